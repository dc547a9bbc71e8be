"""In Chromium on a 360 px phone, the courier page as an installable app: Chromium finds it
installable, it opens with no network on the last round received, actions made offline are
sent once, a refused action is told beside its stop, and logging out leaves no round behind."""

import contextlib
import re
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError

from delivery.models import DeliveryEvent, EventKind, StopKind
from hub.models import IdempotencyRecord
from tests.browser.conftest import CHROMIUM_FLAGS, PHONE, SAFETY_NET_MS
from tests.browser.test_delivery_offline import sign_in
from tests.delivery.factories import DeliverySlotFactory, make_delivery, published_round

pytestmark = pytest.mark.django_db(transaction=True)

# Functions, not expressions: the page's CSP forbids evaluating strings.
WORKER_CONTROLS_PAGE = "() => navigator.serviceWorker.controller !== null"
ROUND_CACHE_FILLED = """async (safetyNetMs) => {
    // Polls Cache Storage until the worker has kept the round.
    const kept = async () => (await (await caches.open("anima-courier-round")).keys()).length;
    const giveUp = Date.now() + safetyNetMs;
    while (!(await kept())) {
        if (Date.now() > giveUp) throw new Error("The worker kept no round.");
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}"""

KEPT_ROUND_SAYS = """async ([text, safetyNetMs]) => {
    // Polls the kept round page until the worker has stored one holding this text.
    const says = async () => {
        const kept = await (await caches.open("anima-courier-round")).match("/coursier/", {
            ignoreVary: true,
        });
        return kept && (await kept.text()).includes(text);
    };
    const giveUp = Date.now() + safetyNetMs;
    while (!(await says())) {
        if (Date.now() > giveUp) throw new Error("The kept round never said it.");
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}"""


@pytest.fixture
def phone(browser, live_server, tmp_path):
    """A 360 px phone with a profile of its own, as a courier's browser: Chromium does not
    install apps from its incognito-like contexts (Playwright's default ones)."""
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile",
        executable_path=shutil.which("chromium"),
        args=CHROMIUM_FLAGS,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="fr-FR",
    )
    context.set_default_timeout(SAFETY_NET_MS)
    page = context.pages[0] if context.pages else context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def courier_with_round(phone, shops=1):
    slot = DeliverySlotFactory(days=0)
    delivery = make_delivery(slot, shops=shops, payment_due="0")
    round_ = published_round(deliveries=[delivery], days=0)
    sign_in(phone, round_.courier.user.email)
    return round_, delivery


def wait_for_app(phone):
    """The worker controls the page and keeps a copy of the round (the page asks for one)."""
    phone.wait_for_function(WORKER_CONTROLS_PAGE)
    phone.evaluate(ROUND_CACHE_FILLED, SAFETY_NET_MS)


def test_chromium_finds_the_courier_page_installable(phone):
    courier_with_round(phone)
    phone.wait_for_function(WORKER_CONTROLS_PAGE)

    manifest = phone.evaluate(
        """async () => {
            const link = document.querySelector("link[rel=manifest]");
            const response = await fetch(link.href);
            return {type: response.headers.get("content-type"), body: await response.json()};
        }"""
    )
    assert manifest["type"].startswith("application/manifest+json")
    body = manifest["body"]
    assert body["start_url"] == "/coursier/"
    assert body["scope"] == "/coursier/"
    assert body["display"] == "standalone"
    assert body["lang"] == "fr"
    assert {(icon["sizes"], icon["purpose"]) for icon in body["icons"]} == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    }
    state = phone.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            return [registration.scope, registration.active.state];
        }"""
    )
    assert state == [phone.base_url + "/coursier/", "activated"]

    session = phone.context.new_cdp_session(phone)
    answer = session.send("Page.getInstallabilityErrors")
    assert answer["installabilityErrors"] == []
    manifest_check = session.send("Page.getAppManifest")
    assert manifest_check["errors"] == []


def test_reloading_with_no_network_shows_the_last_round_received(phone):
    round_, delivery = courier_with_round(phone)
    wait_for_app(phone)
    received = phone.locator(".received-at").inner_text()
    assert re.fullmatch(r"Tournée reçue le \d{1,2}(er)? \w+ à \d\d:\d\d", received)

    phone.context.set_offline(True)
    phone.reload()

    phone.get_by_role("heading", name="Livrer à Camille Durand").wait_for()
    assert phone.locator(".received-at").inner_text() == received
    assert phone.get_by_text(delivery.address).first.is_visible()
    assert phone.locator("#offline-note").is_visible()
    # The page's own scripts and styles came from the worker too: the map is drawn.
    phone.locator(".leaflet-container").first.wait_for()


def wait_until_queue_empty(phone):
    phone.wait_for_function("() => document.getElementById('queue-status').textContent === ''")


def test_an_action_made_offline_is_sent_once_after_a_reload_with_no_network(phone):
    round_, delivery = courier_with_round(phone)
    wait_for_app(phone)
    pickup = round_.stops.get(kind=StopKind.PICKUP)

    phone.context.set_offline(True)
    phone.get_by_role("button", name=re.compile("^Récupéré — Boulangerie")).click()
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    phone.reload()
    # The kept round, with the action still waiting on the phone.
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    phone.locator(f"#arret-{pickup.pk} .pending-note").wait_for()
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 0

    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.locator(f"#arret-{pickup.pk}.stop-done").wait_for()
    wait_until_queue_empty(phone)

    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 1
    assert IdempotencyRecord.objects.filter(scope__startswith="delivery.stop.").count() == 1
    # Back online, the page kept is the new one: reloading offline shows the stop done.
    phone.evaluate(
        KEPT_ROUND_SAYS, [f'id="arret-{pickup.pk}" class="stop stop-done', SAFETY_NET_MS]
    )
    phone.context.set_offline(True)
    phone.reload()
    phone.locator(f"#arret-{pickup.pk}.stop-done").wait_for()


def test_background_sync_sends_the_queue_with_the_round_page_closed(phone):
    round_, delivery = courier_with_round(phone)
    wait_for_app(phone)
    pickup = round_.stops.get(kind=StopKind.PICKUP)
    session = phone.context.new_cdp_session(phone)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    session.send("ServiceWorker.enable")

    phone.context.set_offline(True)
    phone.get_by_role("button", name=re.compile("^Récupéré — Boulangerie")).click()
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    # The courier leaves the round page: no page script is there to send it.
    phone.goto("about:blank")
    phone.context.set_offline(False)
    registration = next(r for r in registrations if r["scopeURL"].endswith("/coursier/"))
    # What Chromium does when the network returns: the "sync" event, to the worker alone.
    session.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": phone.base_url,
            "registrationId": registration["registrationId"],
            "tag": "anima-courier-actions",
            "lastChance": False,
        },
    )

    phone.goto(phone.base_url + "/coursier/")
    phone.locator(f"#arret-{pickup.pk}.stop-done").wait_for()
    wait_until_queue_empty(phone)
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 1
    assert IdempotencyRecord.objects.filter(scope__startswith="delivery.stop.").count() == 1


def deliver(phone, stop):
    phone.locator(f"#arret-{stop.pk} summary", has_text="Livré").click()
    phone.get_by_label("Remise à (nom)").fill("Camille Durand")
    phone.get_by_role("button", name="Enregistrer la livraison").click()


def assert_refusal_beside(phone, stop):
    message = phone.locator(f"#arret-{stop.pk} .stop-refusal")
    message.wait_for()
    assert message.get_attribute("role") == "alert"
    assert "refusé" in message.inner_text()
    phone.wait_for_function("() => document.activeElement.classList.contains('stop-refusal')")
    assert phone.evaluate("document.activeElement.closest('.stop').id") == f"arret-{stop.pk}"
    assert phone.locator("#queue-errors").inner_text() == ""
    # Seen where the courier is looking: in the screen, next to the stop.
    box = message.bounding_box()
    assert box["y"] + box["height"] > 0 and box["y"] < phone.viewport_size["height"]


def test_a_refused_action_is_told_beside_its_stop_with_the_focus(phone):
    round_, delivery = courier_with_round(phone, shops=2)
    wait_for_app(phone)
    dropoff = round_.stops.get(kind=StopKind.DROPOFF)

    deliver(phone, dropoff)  # before picking up: refused

    assert_refusal_beside(phone, dropoff)
    assert DeliveryEvent.objects.filter(kind=EventKind.DELIVERED).count() == 0


def test_a_queued_action_refused_when_replayed_is_told_beside_its_stop(phone):
    round_, delivery = courier_with_round(phone, shops=2)
    wait_for_app(phone)
    dropoff = round_.stops.get(kind=StopKind.DROPOFF)

    phone.context.set_offline(True)
    deliver(phone, dropoff)
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    phone.reload()
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")

    assert_refusal_beside(phone, dropoff)
    assert DeliveryEvent.objects.filter(kind=EventKind.DELIVERED).count() == 0


ROUND_LEFT_ON_PHONE = """async () => ({
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    databases: (await indexedDB.databases()).map((db) => db.name),
})"""


def test_logging_out_leaves_no_round_on_the_phone(phone):
    round_, delivery = courier_with_round(phone)
    wait_for_app(phone)
    assert phone.evaluate(ROUND_LEFT_ON_PHONE)["caches"]

    phone.get_by_text("Mon compte").click()
    phone.get_by_role("button", name="Se déconnecter").click()
    # The home page (not the courier page the test is on, which also ends with "/").
    phone.wait_for_url(phone.base_url + "/")

    assert phone.evaluate(ROUND_LEFT_ON_PHONE) == {"caches": [], "workers": 0, "databases": []}
    phone.context.set_offline(True)
    with contextlib.suppress(PlaywrightError):
        phone.goto(phone.base_url + "/coursier/")
    # Nothing on the phone answers for the courier page any more: Chromium's own error page.
    phone.wait_for_url("chrome-error://chromewebdata/")
    phone.wait_for_load_state()
    content = phone.content()
    assert "Camille" not in content
    assert delivery.address not in content


def test_logging_out_with_actions_waiting_asks_first(phone):
    round_, delivery = courier_with_round(phone)
    wait_for_app(phone)
    phone.context.set_offline(True)
    phone.get_by_role("button", name=re.compile("^Récupéré — Boulangerie")).click()
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    phone.get_by_text("Mon compte").click()

    with phone.expect_event("dialog") as asked:
        # The question holds the page: the click must not wait for what comes after it.
        phone.get_by_role("button", name="Se déconnecter").click(no_wait_after=True)
    question = asked.value
    assert question.message == (
        "1 action pas encore envoyée : se déconnecter maintenant la efface du téléphone. "
        "Se déconnecter quand même ?"
    )
    question.dismiss()

    # Staying: still signed in, the action still waits.
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    assert phone.url.endswith("/coursier/")
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_queue_empty(phone)
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 1

"""In Chromium on a 360 px phone: actions made with the network cut wait on the phone and are
sent once when it returns; the server holds each of them exactly once."""

import re

import pytest

from delivery.models import DeliveryEvent, DeliveryStatus, EventKind, StopKind
from hub.models import IdempotencyRecord
from tests.browser.conftest import horizontal_overflow
from tests.delivery.factories import DeliverySlotFactory, make_delivery, published_round
from tests.hub.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email):
    page.goto(page.base_url + "/comptes/login/?next=/coursier/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/coursier/$"))


def test_actions_made_offline_are_sent_once_when_the_network_returns(phone):
    slot = DeliverySlotFactory(days=0)
    delivery = make_delivery(slot, shops=2, payment_due="0")
    round_ = published_round(deliveries=[delivery], days=0)
    sign_in(phone, round_.courier.user.email)
    assert horizontal_overflow(phone) == 0

    phone.context.set_offline(True)
    phone.get_by_role("button", name=re.compile("^Récupéré — Boulangerie")).click()
    phone.get_by_text(re.compile("1 action en attente d'envoi")).wait_for()
    phone.get_by_role("button", name=re.compile("^Récupéré — Boucherie")).click()
    phone.get_by_text(re.compile("2 actions en attente d'envoi")).wait_for()
    phone.locator("summary", has_text="Livré").click()
    phone.get_by_label("Remise à (nom)").fill("Camille Durand")
    phone.get_by_role("button", name="Enregistrer la livraison").click()
    phone.get_by_text(re.compile("3 actions en attente d'envoi")).wait_for()
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 0

    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.locator(".stop-done").nth(2).wait_for()

    assert phone.locator("#queue-status").inner_text() == ""
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.recipient_name == "Camille Durand"
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 2
    assert DeliveryEvent.objects.filter(kind=EventKind.DELIVERED).count() == 1
    assert IdempotencyRecord.objects.filter(scope__startswith="delivery.stop.").count() == 3
    assert round_.stops.filter(kind=StopKind.DROPOFF, state="done").count() == 1


def test_a_resend_after_a_lost_answer_is_replayed_not_done_twice(phone):
    slot = DeliverySlotFactory(days=0)
    round_ = published_round(deliveries=[make_delivery(slot, shops=1)], days=0)
    sign_in(phone, round_.courier.user.email)
    pickup = round_.stops.get(kind=StopKind.PICKUP)

    # The phone sends the same queued action twice (the first answer never arrived).
    statuses = phone.evaluate(
        """async ([url, token]) => {
            const send = () => fetch(url, {method: "POST", credentials: "same-origin",
                headers: {"Idempotency-Key": "lost-answer-1", "X-CSRFToken": token}});
            const first = await send();
            const second = await send();
            return [first.status, second.status, second.headers.get("Idempotent-Replayed")];
        }""",
        [
            f"/api/v1/courier/stops/{pickup.pk}/pickup/",
            phone.locator("[data-courier]").get_attribute("data-csrf"),
        ],
    )

    assert statuses == [200, 200, "true"]
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 1

"""In Chromium at 360 px: the dispatch board shows a failure recorded by a courier without a
reload, through the event stream alone (polling off) and through polling when the stream is
blocked; a courier's open page shows a round published to them. Each test waits for the page
to be listening, then for the news to show: never for a number of seconds."""

import re

import pytest

from delivery import services
from delivery.models import StopKind
from tests.delivery.factories import (
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)

STREAM = re.compile(r"/flux/")


@pytest.fixture(autouse=True)
def _streams(settings):
    settings.DELIVERY_LIVE_POLL_SECONDS = 0.2


def sign_in(page, email, next_url):
    page.goto(page.base_url + f"/comptes/login/?next={next_url}")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(lambda url: url.startswith(page.base_url + next_url))


def listening(page, how):
    page.locator(f"html[data-live-stream={how}]").wait_for(state="attached")


@pytest.fixture
def round_today():
    slot = DeliverySlotFactory(days=0)
    delivery = make_delivery(slot, shops=1, number="L0000001")
    round_ = published_round(deliveries=[delivery], days=0)
    for stop in round_.stops.filter(kind=StopKind.PICKUP):
        services.record_pickup(round_.courier.user, stop.pk)
    return round_


def fail_dropoff(round_):
    dropoff = round_.stops.get(kind=StopKind.DROPOFF)
    services.record_failure(round_.courier.user, dropoff.pk, "absent")


def open_board(page, round_):
    board = f"/livraisons/regulation/?date={round_.date:%Y-%m-%d}"
    sign_in(page, StaffFactory(roles=["dispatch"]).email, board)
    page.locator("#failures").get_by_text("Aucun échec en attente.").wait_for()
    page.evaluate("window.sameDocument = true")


def test_the_board_shows_a_failure_through_the_stream_alone(phone, settings, round_today):
    settings.DELIVERY_BOARD_POLL_SECONDS = 0  # no polling: only the stream can bring it
    open_board(phone, round_today)
    listening(phone, "open")

    fail_dropoff(round_today)

    failures = phone.locator("#failures")
    failures.get_by_role("link", name="Commande L0000001").wait_for()
    assert "Destinataire absent" in failures.inner_text()
    phone.locator("#board .badge-alert", has_text="Échec").wait_for()
    assert phone.locator("#live-news").inner_text() == "Nouvel échec signalé par un coursier."
    assert phone.evaluate("window.sameDocument") is True  # not reloaded
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") == 0


def test_the_board_still_shows_a_failure_by_polling_when_the_stream_is_blocked(
    phone, settings, round_today
):
    settings.DELIVERY_BOARD_POLL_SECONDS = 1
    phone.route(STREAM, lambda route: route.abort())
    open_board(phone, round_today)
    listening(phone, "down")

    fail_dropoff(round_today)

    phone.locator("#failures").get_by_role("link", name="Commande L0000001").wait_for()
    assert phone.evaluate("window.sameDocument") is True


def test_a_courier_page_shows_a_round_published_to_them(phone, settings):
    settings.DELIVERY_COURIER_POLL_SECONDS = 0
    courier = CourierFactory()
    round_ = RoundFactory(courier=courier, days=0)
    services.add_deliveries(round_.pk, [make_delivery(DeliverySlotFactory(days=0)).pk], None)
    sign_in(phone, courier.user.email, "/coursier/")
    phone.get_by_text("Pas de tournée publiée pour vous aujourd'hui.").wait_for()
    phone.evaluate("window.sameDocument = true")
    listening(phone, "open")

    services.publish_round(round_.pk, None)

    phone.get_by_role("heading", name=re.compile(r"^Tournée 09:00 – 13:00")).wait_for()
    assert phone.evaluate("window.sameDocument") is True


def test_the_board_goes_to_the_login_page_when_its_session_ends(phone, settings, round_today):
    settings.DELIVERY_BOARD_POLL_SECONDS = 1
    phone.route(STREAM, lambda route: route.abort())
    open_board(phone, round_today)
    listening(phone, "down")

    phone.context.clear_cookies()  # signed out: the next refresh finds no session

    phone.wait_for_url(re.compile(r"/comptes/login/\?next=/livraisons/regulation/"))
    phone.get_by_label("Courriel").wait_for()
    assert phone.locator("#failures").count() == 0  # the whole page, not a form in the board

"""In Chromium at 360 px: dispatch spreads a slot and sees the rounds on the map; the courier
sees the round's map with the next stop standing out; the shopper's tracking page shows an
arrival window that moves when the courier records the stop before (late on the plan).

The clock is set, on the server and in the browsers, so that the courier is late whatever the
hour the test runs at; every wait is for an event on the page."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from delivery import services as delivery
from delivery.models import Delivery, DeliverySlot, Pickup
from shop import services as shop
from tests.browser.conftest import horizontal_overflow
from tests.browser.test_delivery_journey import sign_in, wait_done
from tests.delivery.factories import CargoBikeFactory, CourierFactory, DeliverySlotFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def today_at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, minute)))


@pytest.fixture
def clock(monkeypatch):
    """Set the server's clock (the live server runs in this process)."""

    def set_to(moment: datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def orders():
    """Two orders of one shopper for today's 10:00–12:00 slot, every part ready at 8:00."""
    shopper = UserFactory(email="camille@exemple.fr", phone="06 12 34 56 78")
    bakery = MerchantFactory(
        name="Boulangerie du Beffroi", address="12 Boulevard Jacquard, 62100 Calais"
    )
    butcher = MerchantFactory(
        name="Boucherie Lafayette", address="30 Boulevard Lafayette, 62100 Calais"
    )
    bread = ProductFactory(merchant=bakery, name="Pain au levain")
    pate = ProductFactory(merchant=butcher, name="Pâté de campagne")
    slot = DeliverySlotFactory(days=1)
    first = place(shopper, (bread, 2), (pate, 1), slot=slot.pk, key="a")
    second = place(
        shopper, (bread, 1), slot=slot.pk, key="b", address="44 Boulevard Gambetta, 62100 Calais"
    )
    for order in (first, second):
        for part in order.merchant_orders.select_related("order", "merchant"):
            shop.mark_part_ready(shop.accept_part(part))
    start = today_at(10)
    DeliverySlot.objects.filter(pk=slot.pk).update(
        date=start.date(), start=start, end=start + timedelta(hours=2), cutoff=start
    )
    Pickup.objects.update(ready_at=today_at(8))
    return first, second


def fits(page):
    assert horizontal_overflow(page) == 0, page.url


def test_the_map_on_the_board_and_the_courier_page_and_a_moving_arrival_window(
    browser, live_server, orders, clock, settings
):
    settings.DELIVERY_TRACKING_REFRESH_SECONDS = 1
    first, second = orders
    courier = CourierFactory(user=UserFactory(first_name="Mehdi", last_name="Ait-Ali"))
    CargoBikeFactory(name="Le Goéland")
    dispatcher = StaffFactory(roles=["dispatch"])
    clock(today_at(8, 30))
    contexts = []

    def phone():
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="fr-FR", is_mobile=True, has_touch=True
        )
        context.set_default_timeout(120_000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url
        return page

    try:
        # Dispatch, on a phone: the slot spread and optimised, the round on the map.
        board = phone()
        sign_in(board, dispatcher.email, "/livraisons/regulation/")
        board.get_by_role("button", name="Répartir et optimiser le créneau").click()
        board.get_by_role("button", name="Appliquer").click()
        board.get_by_text(re.compile(r"Optimisation : 1 tournée\(s\)")).wait_for()
        expect(board.locator("#board .map path.map-stop")).to_have_count(4)
        expect(board.locator("#board .map path.map-path")).to_have_count(1)
        assert board.locator("#board .map").get_attribute("aria-hidden") == "true"
        assert board.get_by_text(re.compile("^Carte du jour")).is_visible()
        fits(board)
        board.get_by_role("button", name=re.compile("^Publier")).click()
        board.get_by_text(re.compile("Tournée publiée")).wait_for()

        # The shopper follows the second order on its public page.
        token = Delivery.objects.get(order_number=second.number).tracking_token
        planned = delivery.tracking_for_order(second.number).arrival_label
        tracking = phone()
        tracking.goto(f"{live_server.url}/suivi/{token}/")
        expect(tracking.locator(".arrival")).to_have_text(planned)
        fits(tracking)

        # The courier's map: the round, the first stop standing out.
        courier_page = phone()
        sign_in(courier_page, courier.user.email, "/coursier/")
        next_stop = courier_page.locator(".map path.map-stop-next")
        expect(next_stop).to_have_count(1)
        expect(courier_page.locator(".map-label-next")).to_have_text("1–2")
        fits(courier_page)

        # Late on the plan: the first shop visit recorded at 10:45.
        late = today_at(10, 45)
        clock(late)
        courier_page.clock.set_fixed_time(late)
        courier_page.get_by_role("button", name=re.compile("^Tout récupérer")).click()
        wait_done(courier_page, 2)
        expect(courier_page.locator(".map-label-next")).to_have_text("3")

        moved = delivery.tracking_for_order(second.number)
        assert moved.arrival_label != planned and moved.arrival.start >= late
        expect(tracking.locator(".arrival")).to_have_text(moved.arrival_label)
        fits(tracking)
    finally:
        for context in contexts:
            context.close()

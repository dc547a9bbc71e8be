"""One checkout asks the geocoder once for the address, and never while it holds locks."""

import pytest
from django.conf import settings
from django.db import connection

from delivery.geocoding import GazetteerGeocoder
from delivery.models import Delivery
from delivery.services import zone
from shop.models import Merchant, Order
from tests.shop.factories import MerchantFactory, ProductFactory, place
from tests.shop.test_checkout_pages import confirm, review

pytestmark = pytest.mark.django_db(transaction=True)


class CountingGeocoder:
    """The local gazetteer, noting each address asked and whether a transaction was open."""

    def __init__(self):
        self.inner = GazetteerGeocoder(settings.DELIVERY_GAZETTEER_PATH)
        self.calls: list[tuple[str, bool]] = []

    def geocode(self, address):
        self.calls.append((address, connection.in_atomic_block))
        return self.inner.geocode(address)

    def suggest(self, text, limit=5):
        return self.inner.suggest(text, limit)


@pytest.fixture
def geocoder(monkeypatch):
    counting = CountingGeocoder()
    monkeypatch.setattr(zone, "get_geocoder", lambda: counting)
    return counting


@pytest.fixture
def placed_shops(db):
    """Shops whose position is already stored (the usual case)."""
    return [
        ProductFactory(merchant=MerchantFactory(latitude="50.952800", longitude="1.855500"))
        for _ in range(2)
    ]


def test_the_review_and_the_confirmation_check_the_address_once(
    client, shopper, slot, placed_shops, geocoder
):
    from tests.shop.factories import basket_with

    basket_with(shopper, *[(product, 1) for product in placed_shops])
    client.force_login(shopper)

    page = review(client, slot)
    answer = confirm(client, page, slot)

    assert answer.status_code == 302
    assert Order.objects.count() == 1
    assert [address for address, _ in geocoder.calls] == ["18 Rue Mollien, 62100 Calais"]


def test_a_shop_without_a_position_is_placed_before_the_checkout_takes_locks(
    shopper, slot, geocoder
):
    shop = MerchantFactory(address="12 Boulevard Jacquard, 62100 Calais")
    product = ProductFactory(merchant=shop)

    order = place(shopper, (product, 1), slot=slot.pk, address="18 Rue Mollien, 62100 Calais")

    assert geocoder.calls and not any(in_transaction for _, in_transaction in geocoder.calls)
    shop = Merchant.objects.get(pk=shop.pk)
    assert (str(shop.latitude), str(shop.longitude)) == ("50.952800", "1.855500")
    pickup = Delivery.objects.get(order_number=order.number).pickups.get()
    assert (pickup.latitude, pickup.longitude) == (shop.latitude, shop.longitude)


def test_a_shop_is_placed_when_it_applies(shopper, geocoder):
    from shop.services import apply_for_merchant

    shop = apply_for_merchant(
        shopper,
        Merchant(
            name="Épicerie du Beffroi",
            siret="73282932000074",
            category="grocery",
            address="12 Boulevard Jacquard, 62100 Calais",
            phone="03 21 00 00 00",
            description="Épicerie fine.",
            opening_hours="Du mardi au samedi",
        ),
    )

    shop.refresh_from_db()
    assert str(shop.latitude) == "50.952800"
    assert not any(in_transaction for _, in_transaction in geocoder.calls)

"""A checkout stuck behind another transaction's lock asks to retry and keeps the basket."""

import pytest

from hub.exceptions import Conflict
from shop.models import BasketLine, Order, Product
from shop.services import Checkout, place_order
from tests.concurrency import rows_locked_elsewhere
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.shop.factories import ProductFactory, basket_with

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOME = {"fulfilment": "home", "payment": "cash", "address": "18 Rue Mollien, 62100 Calais"}


def test_a_checkout_waiting_on_a_locked_product_says_retry_and_saves_nothing(settings):
    settings.DATABASE_LOCK_TIMEOUT_MS = 50
    product = ProductFactory(stock=5)
    slot = DeliverySlotFactory()
    shopper = UserFactory(phone="0600000000")
    basket = basket_with(shopper, (product, 2))

    with (
        rows_locked_elsewhere(Product.objects.filter(pk=product.pk)),
        pytest.raises(Conflict, match="réessayez"),
    ):
        place_order(shopper, basket, Checkout(slot=slot.pk, **HOME), "key-1")

    product.refresh_from_db()
    slot.refresh_from_db()
    assert product.stock == 5
    assert slot.reserved == 0
    assert not Order.objects.exists()
    assert BasketLine.objects.filter(basket=basket).count() == 1

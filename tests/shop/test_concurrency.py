"""Stock and slot places are never sold twice, even when shoppers click at the same instant.

The threaded tests need PostgreSQL (real row locks); the SQLite fallback relies on immediate
transactions serialising writers, proven here sequentially, plus the database constraints that
refuse a negative stock or an overbooked slot whatever the code path.
"""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from delivery.models import DeliverySlot
from hub.exceptions import Conflict
from shop.models import Order, Product
from shop.services import Checkout, place_order
from tests.concurrency import run_together
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.shop.factories import ProductFactory, basket_with

HOME = {"fulfilment": "home", "payment": "cash", "address": "18 Rue Mollien, 62100 Calais"}


def orders_for(shoppers, product, slot, key=lambda i: f"key-{i}"):
    baskets = [basket_with(shopper, (product, 1)) for shopper in shoppers]
    return [
        (lambda s=s, b=b, i=i: place_order(s, b, Checkout(slot=slot.pk, **HOME), key(i)))
        for i, (s, b) in enumerate(zip(shoppers, baskets, strict=True))
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_orders_for_a_stock_of_five_make_exactly_five():
    product = ProductFactory(stock=5)
    slot = DeliverySlotFactory(capacity=50)
    shoppers = [UserFactory(phone="0600000000") for _ in range(20)]

    outcomes = run_together(orders_for(shoppers, product, slot))

    product.refresh_from_db()
    assert outcomes.count("ok") == 5
    assert outcomes.count("conflict") == 15
    assert product.stock == 0
    assert Order.objects.count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slot_of_capacity_three_takes_at_most_three_orders_under_concurrency():
    product = ProductFactory(stock=100)
    slot = DeliverySlotFactory(capacity=3)
    shoppers = [UserFactory(phone="0600000000") for _ in range(10)]

    outcomes = run_together(orders_for(shoppers, product, slot))

    slot.refresh_from_db()
    product.refresh_from_db()
    assert outcomes.count("ok") == 3
    assert slot.reserved == 3
    assert Order.objects.count() == 3
    assert product.stock == 97


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_order_per_key_when_the_same_checkout_arrives_five_times_at_once():
    product = ProductFactory(stock=10)
    slot = DeliverySlotFactory()
    shopper = UserFactory(phone="0600000000")
    basket = basket_with(shopper, (product, 2))

    def submit():
        place_order(shopper, basket, Checkout(slot=slot.pk, **HOME), "double-click")

    outcomes = run_together([submit] * 5)

    product.refresh_from_db()
    slot.refresh_from_db()
    assert outcomes == ["ok"] * 5
    assert Order.objects.count() == 1
    assert product.stock == 8 and slot.reserved == 1


@pytest.mark.django_db
def test_sequential_fallback_sells_a_stock_of_five_exactly_five_times():
    product = ProductFactory(stock=5)
    slot = DeliverySlotFactory(capacity=50)
    shoppers = [UserFactory(phone="0600000000") for _ in range(20)]
    outcomes = []
    for call in orders_for(shoppers, product, slot):
        try:
            call()
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    product.refresh_from_db()
    assert outcomes.count("ok") == 5 and product.stock == 0


@pytest.mark.django_db
def test_the_database_refuses_a_negative_stock():
    product = ProductFactory(stock=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=F("stock") - 2)


@pytest.mark.django_db
def test_the_database_refuses_an_overbooked_slot():
    slot = DeliverySlotFactory(capacity=1, reserved=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DeliverySlot.objects.filter(pk=slot.pk).update(reserved=F("reserved") + 1)

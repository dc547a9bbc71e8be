"""The shop's state machines: order parts and orders."""

import pytest

from hub.services import Conflict, status_changes
from shop import services
from shop.models import MerchantOrderStatus, OrderStatus
from shop.workflows import MERCHANT_ORDER, ORDER
from tests.hub.factories import UserFactory
from tests.shop.factories import ProductFactory, place
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db


def test_a_merchant_order_part_makes_every_allowed_move_and_no_other(shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    part = order.merchant_orders.get()
    allowed, refused = walk_every_move(MERCHANT_ORDER, part, UserFactory())
    assert (allowed, refused) == (10, 54)


def test_an_order_makes_every_allowed_move_and_no_other(shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    allowed, refused = walk_every_move(ORDER, order, UserFactory())
    assert (allowed, refused) == (8, 17)


def test_accepting_a_part_records_who_moved_the_part_and_the_order(shopper, slot):
    product = ProductFactory()
    order = place(shopper, (product, 1), slot=slot.pk)
    part = order.merchant_orders.select_related("merchant", "order").get()
    owner = product.merchant.owner
    services.accept_part(part, by=owner)
    [part_change] = status_changes(part)
    assert (part_change.from_status, part_change.to_status) == ("placed", "accepted")
    assert part_change.by == owner
    assert part_change.source == "shop.accept_part"
    assert "a accepté sa partie" in part_change.why
    order.refresh_from_db()
    [order_change] = status_changes(order)
    assert (order_change.from_status, order_change.to_status) == (
        OrderStatus.PLACED,
        OrderStatus.IN_PROGRESS,
    )
    assert order_change.by == owner


def test_a_refused_move_writes_nothing(shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    part = order.merchant_orders.select_related("merchant", "order").get()
    with pytest.raises(Conflict):
        services.mark_part_ready(part)
    part.refresh_from_db()
    assert part.status == MerchantOrderStatus.PLACED
    assert not status_changes(part).exists()
    assert not status_changes(order).exists()


def test_cancelling_keeps_a_refused_part_refused_and_its_stock_given_back_once(shopper, slot):
    first, second = ProductFactory(stock=5), ProductFactory(stock=5)
    order = place(shopper, (first, 2), (second, 1), slot=slot.pk)
    refused = order.merchant_orders.select_related("merchant", "order").get(merchant=first.merchant)
    services.refuse_part(refused, "Plus de stock", by=first.merchant.owner)
    services.cancel_order(order, shopper)
    refused.refresh_from_db()
    first.refresh_from_db()
    assert refused.status == MerchantOrderStatus.REFUSED
    assert first.stock == 5
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert [c.by for c in status_changes(order)] == [shopper]

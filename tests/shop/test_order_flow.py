"""After checkout: each shop accepts or refuses, gets ready; the shopper may cancel early."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.exceptions import Conflict
from shop import services
from shop.models import MerchantOrderStatus, OrderStatus
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.shop.factories import place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(shopper, slot, three_shops):
    return place(shopper, *[(product, 2) for product in three_shops], slot=slot.pk)


def part_of(order, product):
    return order.merchant_orders.get(merchant=product.merchant)


def test_accepting_moves_the_order_in_progress_and_tells_the_shopper(order, three_shops):
    mail.outbox.clear()
    services.accept_part(part_of(order, three_shops[0]))

    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    assert "a accepté" in mail.outbox[-1].subject
    assert order.events.filter(message__contains="accepté").exists()


def test_a_part_cannot_be_accepted_twice(order, three_shops):
    part = part_of(order, three_shops[0])
    services.accept_part(part)
    with pytest.raises(Conflict):
        services.accept_part(part)


def test_refusal_returns_stock_drops_the_lines_and_tells_why(order, three_shops):
    refused = three_shops[1]
    mail.outbox.clear()
    services.refuse_part(part_of(order, refused), "Plus de maroilles ce matin")

    refused.refresh_from_db()
    order.refresh_from_db()
    assert refused.stock == 10
    assert order.items_total == Decimal("18.00")
    assert order.total == Decimal("22.90")
    assert [row["gross"] for row in order.vat_breakdown()] == [Decimal("18.00")]
    assert "Plus de maroilles ce matin" in mail.outbox[-1].body
    assert order.status == OrderStatus.PLACED


def test_refusal_needs_a_reason(order, three_shops):
    with pytest.raises(ValidationError):
        services.refuse_part(part_of(order, three_shops[0]), "  ")


def test_when_every_shop_refuses_the_order_is_cancelled_and_the_slot_freed(
    order, slot, three_shops
):
    for product in three_shops:
        services.refuse_part(part_of(order, product), "Fermé pour inventaire")

    order.refresh_from_db()
    slot.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.total == 0
    assert slot.reserved == 0


def test_ready_then_handed_over_then_delivered(order, three_shops):
    for product in three_shops:
        part = part_of(order, product)
        services.accept_part(part)
        services.mark_part_ready(part)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    for product in three_shops:
        services.mark_part_handed_over(part_of(order, product))
    services.mark_order_delivered(order)

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert set(order.merchant_orders.values_list("status", flat=True)) == {"delivered"}


def test_click_and_collect_tells_the_shopper_to_come_then_is_collected(shopper, three_shops):
    order = place(shopper, (three_shops[0], 1), fulfilment="collect")
    part = order.merchant_orders.get()
    services.accept_part(part)
    mail.outbox.clear()
    services.mark_part_ready(part)
    assert "vous attend" in mail.outbox[-1].subject
    services.mark_part_collected(part)

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


def test_a_delivered_order_cannot_be_collected_and_vice_versa(order, shopper, three_shops):
    part = part_of(order, three_shops[0])
    services.accept_part(part)
    services.mark_part_ready(part)
    with pytest.raises(Conflict):
        services.mark_part_collected(part)


def test_the_shopper_cancels_before_any_acceptance(order, slot, three_shops, shopper):
    mail.outbox.clear()
    services.cancel_order(order, shopper)

    order.refresh_from_db()
    slot.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert slot.reserved == 0
    for product in three_shops:
        product.refresh_from_db()
        assert product.stock == 10
    assert len(mail.outbox) == 3  # each shop is told not to prepare it


def test_no_cancellation_once_a_shop_has_accepted(order, three_shops, shopper):
    services.accept_part(part_of(order, three_shops[0]))
    with pytest.raises(Conflict, match="acceptée"):
        services.cancel_order(order, shopper)


def test_only_the_shopper_cancels_their_order(order):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cancel_order(order, UserFactory())


def test_orders_nobody_accepted_before_the_cut_off_are_released(shopper, three_shops):
    slot = DeliverySlotFactory()
    order = place(shopper, (three_shops[0], 3), slot=slot.pk)
    mail.outbox.clear()

    assert services.release_unaccepted_orders(now=timezone.now()) == 0
    released = services.release_unaccepted_orders(now=slot.cutoff + timedelta(minutes=1))
    again = services.release_unaccepted_orders(now=slot.cutoff + timedelta(minutes=2))

    order.refresh_from_db()
    slot.refresh_from_db()
    three_shops[0].refresh_from_db()
    assert (released, again) == (1, 0)
    assert order.status == OrderStatus.CANCELLED
    assert slot.reserved == 0 and three_shops[0].stock == 10
    assert [m.to for m in mail.outbox if "faute de réponse" in m.subject] == [[shopper.email]]


def test_late_parts_of_an_accepted_order_are_dropped(shopper, three_shops):
    slot = DeliverySlotFactory()
    order = place(shopper, (three_shops[0], 1), (three_shops[1], 1), slot=slot.pk)
    services.accept_part(part_of(order, three_shops[0]))

    services.release_unaccepted_orders(now=slot.cutoff + timedelta(minutes=1))

    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PROGRESS
    assert part_of(order, three_shops[1]).status == MerchantOrderStatus.REFUSED
    assert order.items_total == Decimal("4.50")


def test_collect_orders_are_released_after_the_waiting_time(shopper, three_shops, settings):
    order = place(shopper, (three_shops[0], 1), fulfilment="collect")
    later = timezone.now() + timedelta(hours=settings.SHOP_COLLECT_ACCEPT_HOURS, minutes=1)

    assert services.release_unaccepted_orders(now=later) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_the_vat_breakdown_groups_lines_by_rate(shopper, slot):
    from tests.shop.factories import ProductFactory

    bread = ProductFactory(price=Decimal("10.55"), vat_rate=Decimal("5.5"))
    tshirt = ProductFactory(merchant=bread.merchant, price=Decimal("12.00"), vat_rate=Decimal("20"))
    order = place(shopper, (bread, 1), (tshirt, 1), slot=slot.pk)

    rows = order.merchant_orders.get().vat_breakdown()
    assert [(r["rate"], r["net"], r["vat"], r["gross"]) for r in rows] == [
        (Decimal("5.5"), Decimal("10.00"), Decimal("0.55"), Decimal("10.55")),
        (Decimal("20"), Decimal("10.00"), Decimal("2.00"), Decimal("12.00")),
    ]


def test_delivery_signals_move_the_order_along(order, three_shops):
    from delivery.signals import parcel_delivered, parcel_picked_up

    for product in three_shops:
        part = part_of(order, product)
        services.accept_part(part)
        services.mark_part_ready(part)
        parcel_picked_up.send(
            sender=None, order_number=order.number, merchant_id=product.merchant_id
        )
    parcel_delivered.send(sender=None, order_number=order.number)

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED

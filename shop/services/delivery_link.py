"""What the shop tells delivery: the delivery at checkout, parts ready or dropped, the order
cancelled. Called inside the shop's transaction, after the order row is locked (the lock
order delivery expects: order, then delivery)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

import delivery.services as delivery
from shop.models import MerchantOrder, Order, OrderStatus, PaymentStatus, opening_on

FulfilmentMode = delivery.FulfilmentMode


def _payment_due(order: Order) -> Decimal:
    return order.total if order.payment_status == PaymentStatus.DUE else Decimal("0")


def create_delivery_for(
    order: Order, parts: list[MerchantOrder], at: datetime | None = None
) -> None:
    """At checkout (``at``: now): one pickup per shop, the drop-off, the window, contact and
    payment."""
    if not order.by_cargo_bike:
        return
    day = timezone.localtime(order.slot.start).date()
    pickups = [
        delivery.PickupRequest(
            shop_id=part.merchant_id,
            shop_name=part.merchant.name,
            address=part.merchant.address,
            latitude=part.merchant.latitude,
            longitude=part.merchant.longitude,
            phone=part.merchant.phone,
            items=[line.label for line in part.lines.all()],
            weight_grams=part.weight_grams,
            opening_hours=tuple(opening_on(part.merchant, day)),
        )
        for part in parts
    ]
    delivery.create_delivery(
        delivery.DeliveryRequest(
            order_number=order.number,
            slot_id=order.slot_id,
            contact_name=order.contact_name,
            contact_phone=order.contact_phone,
            contact_email=order.contact_email,
            pickups=pickups,
            address=order.address_label or order.address,
            latitude=order.latitude,
            longitude=order.longitude,
            relay_point_id=order.relay_point_id
            if order.fulfilment == FulfilmentMode.RELAY
            else None,
            instructions=order.note,
            payment_due=_payment_due(order),
            payment_method=order.get_payment_method_display(),
            news_by_sms=order.news_by_sms,
            ordered_at=at,
        )
    )


def part_ready(part: MerchantOrder, at: datetime | None = None) -> None:
    """A shop got its part ready (``at``: now): the courier may collect it."""
    if part.order.by_cargo_bike:
        delivery.pickup_ready(part.order.number, part.merchant_id, at)


def parts_dropped(order: Order, parts: list[MerchantOrder], at: datetime | None = None) -> None:
    """Parts refused or withdrawn (``at``: now): no pickup there; the whole order gone: no
    delivery."""
    if not order.by_cargo_bike:
        return
    if order.status == OrderStatus.CANCELLED:
        delivery.cancel_delivery(order.number, order.cancel_reason, at)
        return
    for part in parts:
        delivery.pickup_dropped(order.number, part.merchant_id, _payment_due(order), at)


def payment_now_due(order: Order) -> None:
    """The order is to be paid at the door after all: the courier collects the total."""
    if order.by_cargo_bike:
        delivery.set_payment_due(order.number, order.total, order.get_payment_method_display())


def tracking(order: Order):
    """Where the order's delivery stands (None for click & collect)."""
    if not order.by_cargo_bike:
        return None
    return delivery.tracking_for_order(order.number)

"""What delivery reports back (through ``delivery.signals``, relayed from delivery's outbox):
the shop moves its order along and tells the shopper.

Each report may arrive twice (a relay retried, the reconciliation repairing an order): a
report that finds the order already moved on changes nothing, and the e-mails of one notice
carry its id as their dedupe key, so the shopper hears once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

import delivery.services as delivery
from hub.services import transition
from shop import notifications, payments
from shop.models import (
    MerchantOrder,
    MerchantOrderStatus,
    Order,
    OrderEvent,
    PaymentMethod,
    PaymentStatus,
)
from shop.services.delivery_link import payment_now_due
from shop.services.orders import (
    FulfilmentMode,
    lock_order,
    mark_order_delivered,
    mark_part_handed_over,
    order_parts,
    refresh_order,
)

logger = logging.getLogger(__name__)


def _order(order_number: str) -> Order | None:
    return Order.objects.filter(number=order_number).first()


def _dedupe_key(notice_id: int | None) -> str | None:
    return None if notice_id is None else f"shop:delivery-notice:{notice_id}"


def part_picked_up(order_number: str, merchant_id: int) -> bool:
    """The courier took a shop's part: it is handed over."""
    part = (
        MerchantOrder.objects.filter(
            order__number=order_number, merchant_id=merchant_id, status=MerchantOrderStatus.READY
        )
        .select_related("order", "merchant")
        .first()
    )
    if part is None:
        return False
    mark_part_handed_over(part)
    return True


def order_delivered(order_number: str, payment_collected: bool = False) -> bool:
    """The courier delivered: parts delivered, payment recorded, the shopper told (once)."""
    order = _order(order_number)
    if order is None:
        return False
    with transaction.atomic():
        order = lock_order(order.pk)
        if not any(p.status == MerchantOrderStatus.HANDED_OVER for p in order_parts(order)):
            return False
        if payment_collected:
            Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.PAID)
        order = mark_order_delivered(order)
        notifications.delivery_changed(
            order,
            "order_delivered",
            dedupe_key=f"shop:order-delivered:{order.pk}",
        )
    return True


def delivery_failed(
    order_number: str, reason: str, note: str = "", notice_id: int | None = None
) -> None:
    """The courier could not deliver: the shopper hears why and that dispatch will call back."""
    with transaction.atomic():
        order = _order(order_number)
        if order is None:
            return
        order = lock_order(order.pk)
        OrderEvent.objects.create(
            order=order, message=_("Livraison impossible : %(reason)s.") % {"reason": reason}
        )
        if _refund_on_failure(order):
            _refund_failed_delivery(order, reason)
        notifications.delivery_changed(
            order, "delivery_failed", {"reason": reason}, dedupe_key=_dedupe_key(notice_id)
        )


def _refund_on_failure(order: Order) -> bool:
    return (
        settings.SHOP_FAILED_DELIVERY_POLICY == "refund"
        and order.payment_method == PaymentMethod.ONLINE
        and order.payment_status == PaymentStatus.PAID
    )


def _refund_failed_delivery(order: Order, reason: str) -> None:
    """Policy « refund »: the shopper gets everything back now; a new attempt is paid at the
    door."""
    payments.refund_everything(order, _("Livraison impossible : %(reason)s") % {"reason": reason})
    order.payment_method = PaymentMethod.CARD
    order.payment_status = PaymentStatus.DUE
    order.save(update_fields=["payment_method", "payment_status"])
    payment_now_due(order)
    OrderEvent.objects.create(
        order=order,
        message=_(
            "Votre paiement en ligne vous est remboursé. Si une nouvelle livraison a lieu, "
            "vous réglerez à la remise."
        ),
    )


def delivery_replanned(
    order_number: str, slot_id: int, relay_point_id: int | None, notice_id: int | None = None
) -> None:
    """Dispatch planned a new attempt (maybe at a relay point): the order follows it."""
    with transaction.atomic():
        order = _order(order_number)
        if order is None:
            return
        order = lock_order(order.pk)
        order.slot_id = slot_id
        fields = ["slot"]
        if relay_point_id:
            order.fulfilment, order.relay_point_id = FulfilmentMode.RELAY, relay_point_id
            fields += ["fulfilment", "relay_point"]
        order.save(update_fields=fields)
        order = Order.objects.select_related("slot", "relay_point").get(pk=order.pk)
        where = (
            _(" au point relais %(name)s") % {"name": order.relay_point.name}
            if relay_point_id
            else ""
        )
        window = delivery.slot_label(order.slot)
        OrderEvent.objects.create(
            order=order,
            message=_("Nouvelle livraison prévue le %(slot)s%(where)s.")
            % {"slot": window, "where": where},
        )
        notifications.delivery_changed(
            order,
            "delivery_replanned",
            {"window": window, "where": where},
            dedupe_key=_dedupe_key(notice_id),
        )


def delivery_returned(order_number: str, reason: str) -> bool:
    """Dispatch gave up: the parts on the bike go back to their shops; nothing is charged."""
    on_the_bike = (MerchantOrderStatus.HANDED_OVER, MerchantOrderStatus.READY)
    with transaction.atomic():
        order = _order(order_number)
        if order is None:
            return False
        order = lock_order(order.pk)
        parts = order_parts(order)
        if not any(p.status in on_the_bike for p in parts):
            return False
        returned = [part for part in parts if part.status in on_the_bike]
        why = _("Non livrée : rapportée au commerce.")
        for part in returned:
            part.refusal_reason = why
            transition(
                part,
                MerchantOrderStatus.CANCELLED,
                why=f"{why} {reason}",
                source="shop.delivery_returned",
                fields=["refusal_reason"],
            )
        order.cancel_reason = reason
        refresh_order(order, parts, why=reason, source="shop.delivery_returned")
        OrderEvent.objects.create(
            order=order,
            message=_("Commande non livrée, rapportée aux commerces : %(reason)s")
            % {"reason": reason},
        )
        notifications.delivery_changed(
            order,
            "delivery_returned",
            {"reason": reason},
            dedupe_key=f"shop:order-returned:{order.pk}",
        )
        notifications.parts_returned_to_merchants(returned, reason)
    return True


def repair_orders_behind_deliveries() -> int:
    """The scheduled reconciliation: an order whose delivery moved on (picked up, delivered,
    returned) without the order hearing of it is brought in step; returns how many moved."""
    waiting = (
        Order.objects.exclude(fulfilment=FulfilmentMode.COLLECT)
        .filter(
            merchant_orders__status__in=[
                MerchantOrderStatus.READY,
                MerchantOrderStatus.HANDED_OVER,
            ]
        )
        .values_list("number", flat=True)
        .distinct()
    )
    progress = delivery.delivery_progress(list(waiting))
    repaired = 0
    for number, found in sorted(progress.items()):
        if found.notice_pending:
            continue  # the relay brings it; both paths would do the same
        try:
            repaired += _catch_up(number, found)
        except Exception:  # one broken order must not stop the others: it is tried next run
            logger.exception("Order %s could not be brought in step with its delivery", number)
    return repaired


def _catch_up(number: str, found: delivery.DeliveryProgress) -> int:
    behind = MerchantOrder.objects.filter(
        order__number=number,
        merchant_id__in=found.picked_up_shop_ids,
        status=MerchantOrderStatus.READY,
    ).values_list("merchant_id", flat=True)
    moved = [part_picked_up(number, merchant_id) for merchant_id in list(behind)]
    if found.delivered:
        moved.append(order_delivered(number, found.payment_collected))
    elif found.returned:
        moved.append(delivery_returned(number, _("la livraison n'a pas pu être faite")))
    return int(any(moved))

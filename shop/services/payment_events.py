"""What the shop does when the online payment of an order moves on (hub payment handler)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from hub.services import PaymentHandler, format_money
from shop import notifications, payments
from shop.models import Basket, BasketLine, Order, OrderEvent, OrderStatus, PaymentMethod
from shop.models import PaymentStatus as OrderPaymentStatus
from shop.services.delivery_link import create_delivery_for, payment_now_due
from shop.services.orders import cancel_parts, lock_order, order_parts


def _euros(cents: int) -> str:
    return format_money(Decimal(cents) / 100)


def _order(payment) -> Order:
    return Order.objects.select_related("slot", "relay_point").get(number=payment.reference)


def lock(reference: str) -> None:
    Order.objects.select_for_update().filter(number=reference).first()


def authorised(payment) -> None:
    """The card is authorised: the shops and dispatch now see the order."""
    order = _order(payment)
    if order.status == OrderStatus.CANCELLED:
        return  # cancelled while paying: the payment is released when it settles
    order.payment_status = OrderPaymentStatus.AUTHORISED
    if payment.capture_before:
        order.accept_by = payment.capture_before - timedelta(
            hours=settings.PAYMENTS_CAPTURE_MARGIN_HOURS
        )
    order.save(update_fields=["payment_status", "accept_by"])
    create_delivery_for(order, order_parts(order))
    OrderEvent.objects.create(
        order=order,
        message=_(
            "Paiement accepté : %(amount)s réservés sur votre carte. Seules les parties "
            "acceptées par les commerces seront débitées."
        )
        % {"amount": _euros(payment.amount)},
    )
    notifications.order_placed(order)


def failed(payment) -> None:
    """Never paid (page abandoned or expired): the order is cancelled, the basket restored."""
    order = lock_order(_order(payment).pk)
    if order.status == OrderStatus.CANCELLED:
        return
    parts = cancel_parts(order, _("Paiement en ligne non abouti : commande annulée."))
    Order.objects.filter(pk=order.pk).update(payment_status=OrderPaymentStatus.RELEASED)
    _restore_basket(order, parts)


def _restore_basket(order: Order, parts) -> None:
    basket, _created = Basket.objects.get_or_create(user=order.shopper)
    for part in parts:
        for line in part.lines.all():
            if line.product_id is None:
                continue
            item, created = BasketLine.objects.get_or_create(
                basket=basket, product_id=line.product_id, defaults={"quantity": line.quantity}
            )
            if not created and item.quantity < line.quantity:
                item.quantity = line.quantity
                item.save(update_fields=["quantity"])


def settled(payment) -> None:
    """The accepted parts were charged together and the rest released (or nothing charged)."""
    order = _order(payment)
    if payment.captured:
        status = OrderPaymentStatus.PAID
        message = _("%(charged)s débités pour les parties acceptées ; %(released)s libérés.") % {
            "charged": _euros(payment.captured),
            "released": _euros(payment.released),
        }
    elif order.status == OrderStatus.CANCELLED:
        status = OrderPaymentStatus.RELEASED
        message = _("Aucun débit : les %(amount)s réservés sur votre carte sont libérés.") % {
            "amount": _euros(payment.amount)
        }
    else:
        # The authorisation lapsed before the shops answered: pay at the door instead.
        status = OrderPaymentStatus.DUE
        order.payment_method = PaymentMethod.CARD
        message = _(
            "La réservation sur votre carte a expiré sans débit : vous réglerez à la remise."
        )
        Order.objects.filter(pk=order.pk).update(payment_method=PaymentMethod.CARD)
        payment_now_due(order)
    Order.objects.filter(pk=order.pk).update(payment_status=status)
    OrderEvent.objects.create(order=order, message=message)


def refunded(payment, refund) -> None:
    order = _order(payment)
    OrderEvent.objects.create(
        order=order,
        message=_("Remboursement de %(amount)s : %(reason)s")
        % {"amount": _euros(refund.amount), "reason": refund.reason},
    )
    if order.payment_method == PaymentMethod.ONLINE and payment.refunded >= payment.captured:
        Order.objects.filter(pk=order.pk).update(payment_status=OrderPaymentStatus.REFUNDED)


def next_url(payment) -> str:
    return reverse("shop:order_detail", args=[payment.reference])


HANDLER = PaymentHandler(
    purpose=payments.PURPOSE,
    lock=lock,
    authorised=authorised,
    failed=failed,
    settled=settled,
    refunded=refunded,
    next_url=next_url,
)

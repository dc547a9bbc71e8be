"""Payment providers. Today shoppers pay on delivery or at collection; an online provider
(card payment page) can be added by implementing ``PaymentProvider`` and naming it in
``settings.SHOP_PAYMENT_PROVIDER``."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from shop.models import Order, PaymentStatus


class PaymentProvider(Protocol):
    online: bool

    def start(self, order: Order) -> str | None:
        """Begin payment after the order is placed; return a URL to send the shopper to."""

    def confirm(self, order: Order) -> None:
        """Record that the order has been paid."""


class PayOnDelivery:
    """Card, cash or cheque handed over at delivery or collection: nothing happens online."""

    online = False

    def start(self, order: Order) -> str | None:
        return None

    def confirm(self, order: Order) -> None:
        Order.objects.filter(pk=order.pk).update(payment_status=PaymentStatus.PAID)
        order.payment_status = PaymentStatus.PAID


def payment_provider() -> PaymentProvider:
    """The provider named in the settings."""
    return import_string(settings.SHOP_PAYMENT_PROVIDER)()

"""The helpers the payment modules share: the selling app's handler and lock, the settling job
enqueued after commit, the provider's state as history quotes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from anima.celery import enqueue_on_commit
from hub.models.payments import Payment
from hub.payments import provider
from hub.registry import PaymentHandler, registry


def handler_of(purpose: str) -> PaymentHandler:
    """The selling app's handler of a payment's purpose."""
    for handler in registry.payment_handlers:
        if handler.purpose == purpose:
            return handler
    raise LookupError(f"no payment handler for {purpose!r}")


@contextmanager
def locked_payment(payment: Payment) -> Iterator[Payment]:
    """The payment read again under lock, inside a transaction: the app's row first."""
    with transaction.atomic():
        handler_of(payment.purpose).lock(payment.reference)
        yield Payment.objects.select_for_update().get(pk=payment.pk)


def find_payment(purpose: str, reference: str) -> Payment | None:
    return Payment.objects.filter(purpose=purpose, reference=reference).first()


def settle_after_commit(payment: Payment) -> None:
    """Run the settling job once the caller's transaction commits."""
    from hub.tasks import settle_payment

    enqueue_on_commit(settle_payment, payment.pk)


def provider_said(state: provider.CheckoutState | provider.IntentState) -> str:
    """The provider's state a move follows, as the status history records it."""
    if isinstance(state, provider.IntentState):
        return f"{state.id}: {state.status}"
    said = f"{state.id}: {state.status}"
    return f"{said}, {provider_said(state.intent)}" if state.intent else said

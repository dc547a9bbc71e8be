"""The provider's signed events and the reconciliation job that makes up for lost ones."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.models.payments import (
    OperationStatus,
    Payment,
    PaymentStatus,
    WebhookEvent,
)
from hub.payments import provider
from hub.payments.services.accounts import refresh_account
from hub.payments.services.checkout import payment_by_public_id
from hub.payments.services.common import locked_payment
from hub.payments.services.following import fail_payment, sync_payment
from hub.payments.services.settling import settle_payment

logger = logging.getLogger(__name__)


def handle_webhook(payload: bytes, signature: str | None) -> bool:
    """Handle one signed provider event once; False when it was seen already.
    Raises ``provider.BadSignature`` (nothing is changed)."""
    event = provider.parse_event(payload, signature)
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    event_id=event.id, type=event.type[:100], object_id=event.object_id[:100]
                )
        except IntegrityError:
            return False
        # The event only says where to look: the current state is read from the provider, so
        # events arriving late, twice or out of order change nothing.
        if event.type == "account.updated":
            refresh_account(event.object_id)
        else:
            payment = _payment_of_event(event)
            if payment is not None:
                sync_payment(payment, source=f"payments.webhook {event.type}")
    return True


def _payment_of_event(event: provider.ProviderEvent) -> Payment | None:
    obj = event.object
    public_id = (obj.get("metadata") or {}).get("payment") or obj.get("client_reference_id")
    lookup = Q(checkout_id=event.object_id) | Q(intent_id=event.object_id)
    if obj.get("payment_intent") and isinstance(obj["payment_intent"], str):
        lookup |= Q(intent_id=obj["payment_intent"])
    payment = Payment.objects.filter(lookup).exclude(checkout_id="", intent_id="").first()
    return payment or (payment_by_public_id(public_id) if public_id else None)


def reconcile(now: datetime | None = None) -> int:
    """Ask the provider about every payment left pending and settle it (a webhook lost, a worker
    stopped mid-way). Returns how many payments were looked at."""
    now = now or timezone.now()
    quiet = now - timedelta(minutes=settings.PAYMENTS_RECONCILE_AFTER_MINUTES)
    never_opened = now - timedelta(minutes=settings.PAYMENTS_CHECKOUT_MINUTES)
    pending_operations = Q(refunds__status=OperationStatus.PENDING) | Q(
        parts__payout__status=OperationStatus.PENDING
    )
    payments = Payment.objects.filter(
        Q(status=PaymentStatus.OPEN, updated_at__lte=quiet)
        | Q(status=PaymentStatus.AUTHORISED)
        | (Q(status=PaymentStatus.CAPTURED) & pending_operations)
    ).distinct()
    count = 0
    for payment in payments.order_by("pk"):
        count += 1
        try:
            _reconcile_one(payment, never_opened)
        except (provider.ProviderError, provider.ProviderUnavailable):
            # One payment the provider cannot settle now must not hold the others back.
            logger.exception("Payment %s left pending: the provider refused or failed", payment.pk)
    return count


def _reconcile_one(payment: Payment, never_opened: datetime) -> None:
    if payment.status == PaymentStatus.OPEN and not payment.checkout_id:
        if payment.created_at <= never_opened:
            with locked_payment(payment) as locked:
                if locked.status == PaymentStatus.OPEN:
                    why = _("Page de paiement jamais ouverte à temps.")
                    fail_payment(locked, why=why, source="payments.reconcile")
        return
    if payment.status != PaymentStatus.CAPTURED:
        sync_payment(payment, source="payments.reconcile")
    settle_payment(payment.pk)

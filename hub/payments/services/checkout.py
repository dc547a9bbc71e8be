"""Creating a payment, opening its page at the provider, the payer leaving it."""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.exceptions import Conflict
from hub.models.payments import (
    Payment,
    PaymentPart,
    PaymentStatus,
    PayoutAccount,
)
from hub.payments import provider
from hub.payments.services.common import find_payment, handler_of, locked_payment
from hub.payments.services.following import fail_payment, sync_payment

MINIMUM_CENTS = 50  # the provider's smallest charge in euros
# The ``source`` of the status moves the payer's leaving the payment page makes.
ABANDON = "payments.abandon"


@dataclass(frozen=True)
class PartRequest:
    """A share of a payment: ``payee`` is a payout account's key, None for the platform."""

    key: str
    label: str
    amount: int
    payee: str | None = None
    commission_rate: Decimal = Decimal("0")


@dataclass(frozen=True)
class PaymentRequest:
    purpose: str
    reference: str
    description: str
    email: str
    parts: list[PartRequest]
    payer: Any = None


def online_payment_available() -> bool:
    """Whether card payment online is offered (a provider key is configured)."""
    return provider.configured()


def create_payment(request: PaymentRequest) -> Payment:
    """Record a payment to make (inside the caller's transaction); its page opens later."""
    if not online_payment_available():
        raise Conflict(_("Le paiement en ligne n'est pas proposé."))
    total = sum(part.amount for part in request.parts)
    if total < MINIMUM_CENTS or any(part.amount < 0 for part in request.parts):
        raise ValidationError(
            {"payment": _("Le paiement en ligne demande au moins 0,50 €.")}, code="too_small"
        )
    payees = {part.payee for part in request.parts if part.payee}
    accounts = {
        account.payee: account for account in PayoutAccount.objects.filter(payee__in=payees)
    }
    for part in request.parts:
        account = accounts.get(part.payee) if part.payee else None
        if part.payee and (account is None or not account.is_active):
            raise Conflict(
                _("« %(name)s » ne peut pas encore être payé en ligne.") % {"name": part.label},
                field="payment",
            )
    payment = Payment.objects.create(
        purpose=request.purpose,
        reference=request.reference,
        description=request.description[:200],
        payer=request.payer,
        email=request.email,
        amount=total,
    )
    PaymentPart.objects.bulk_create(
        PaymentPart(
            payment=payment,
            key=part.key,
            label=part.label[:150],
            amount=part.amount,
            account=accounts.get(part.payee) if part.payee else None,
            commission_rate=part.commission_rate,
        )
        for part in request.parts
    )
    return payment


def checkout_url(purpose: str, reference: str) -> str:
    """The provider's payment page of a payment still to make (created on first use)."""
    payment = find_payment(purpose, reference)
    if payment is None:
        raise Conflict(_("Aucun paiement en ligne n'est attendu ici."))
    with locked_payment(payment) as payment:
        if payment.status != PaymentStatus.OPEN:
            raise Conflict(_("Ce paiement n'est plus en attente."))
        if payment.checkout_id:
            return payment.checkout_url
        back = str(settings.SITE_URL).rstrip("/")
        try:
            state = _open_checkout(payment, back)
        except (provider.ProviderError, provider.ProviderUnavailable) as error:
            raise Conflict(
                _("Le paiement en ligne est momentanément indisponible. Réessayez dans un instant.")
            ) from error
        payment.checkout_id = state.id
        payment.checkout_url = state.url
        payment.checkout_expires_at = state.expires_at
        payment.save(update_fields=["checkout_id", "checkout_url", "checkout_expires_at"])
        return state.url


def _open_checkout(payment: Payment, back: str) -> provider.CheckoutState:
    # A retry within the same minute sends the same request, so the same key replays it.
    expires_at = timezone.now().replace(second=0, microsecond=0) + timedelta(
        minutes=settings.PAYMENTS_CHECKOUT_MINUTES + 1
    )
    return provider.create_checkout(
        key=f"anima-checkout-{payment.public_id}-{int(expires_at.timestamp())}",
        reference=str(payment.public_id),
        description=payment.description,
        email=payment.email,
        lines=[
            provider.Line(part.label, part.amount)
            for part in payment.parts.order_by("pk")
            if part.amount
        ],
        success_url=back + reverse("hub:payment_return", args=[payment.public_id]),
        cancel_url=back + reverse("hub:payment_abandon", args=[payment.public_id]),
        expires_at=expires_at,
        transfer_group=payment.reference,
    )


def payment_by_public_id(public_id: uuid.UUID | str) -> Payment | None:
    try:
        return Payment.objects.filter(public_id=public_id).first()
    except ValidationError:
        return None


def next_url(payment: Payment) -> str:
    """Where the payer goes back to after the payment page."""
    return handler_of(payment.purpose).next_url(payment)


def abandon_payment(payment: Payment) -> Payment:
    """The payer left the payment page: close it, so what the payment held is released."""
    if payment.status != PaymentStatus.OPEN:
        return payment
    if payment.checkout_id:
        # Paid or expired meanwhile, the provider refuses: the sync below says which.
        with suppress(provider.ProviderError):
            provider.expire_checkout(payment.checkout_id, key=f"anima-expire-{payment.public_id}")
        return sync_payment(payment, source=ABANDON)
    with locked_payment(payment) as locked:
        if locked.status == PaymentStatus.OPEN:
            fail_payment(locked, why=_("Paiement abandonné par le payeur."), source=ABANDON)
    return locked

"""Following the provider: a payment's checkout and intent read back (return page, webhook,
reconciliation) and recorded as status moves."""

from __future__ import annotations

from contextlib import suppress

from django.utils import timezone
from django.utils.translation import gettext as _

from hub.models.payments import (
    PartStatus,
    Payment,
    PaymentPart,
    PaymentStatus,
    Payout,
)
from hub.payments import amounts, provider
from hub.payments.services.common import (
    find_payment,
    handler_of,
    locked_payment,
    provider_said,
    settle_after_commit,
)
from hub.workflow import transition, transition_many


def sync_payment(payment: Payment, *, source: str = "payments.sync") -> Payment:
    """Align a payment with the provider's state (return page, webhook, reconciliation);
    ``source`` names the caller in the status history."""
    if not payment.checkout_id:
        return payment
    state = provider.retrieve_checkout(payment.checkout_id)
    with locked_payment(payment) as payment:
        apply_checkout(payment, state, source)
    return payment


# The query parameter of the payer's page naming the payment still open when the payer came
# back from the provider's page (the page may follow it with ``follow_open_payment``).
PAYMENT_FOLLOWED = "paiement"


def follow_open_payment(purpose: str, reference: str) -> str | None:
    """Ask the provider again about a payment still open once its payer is back (paid while the
    provider was unreachable, or not paid); its status now, None when there is no payment."""
    payment = find_payment(purpose, reference)
    if payment is None:
        return None
    if payment.status == PaymentStatus.OPEN and payment.checkout_id:
        # Still unreachable, or refusing: the payment stays open, to ask again later.
        with suppress(provider.ProviderUnavailable, provider.ProviderError):
            payment = sync_payment(payment, source="payments.follow")
    return payment.status


def apply_checkout(payment: Payment, state: provider.CheckoutState, source: str) -> None:
    handler = handler_of(payment.purpose)
    intent = state.intent
    if payment.status == PaymentStatus.OPEN:
        if intent and intent.status == "requires_capture":
            _authorise(payment, intent, source)
            handler.authorised(payment)
            settle_after_commit(payment)
        elif state.status == "expired" or (intent and intent.status == "canceled"):
            why = _("Non abouti chez le prestataire (%(state)s).") % {"state": provider_said(state)}
            fail_payment(payment, why=why, source=source)
    elif payment.status == PaymentStatus.AUTHORISED and intent:
        _follow_intent(payment, intent, source)


def _authorise(payment: Payment, intent: provider.IntentState, source: str) -> None:
    payment.intent_id = intent.id
    payment.charge_id = intent.charge_id
    payment.capture_before = intent.capture_before
    payment.amount = intent.amount_capturable or payment.amount
    payment.authorised_at = timezone.now()
    transition(
        payment,
        PaymentStatus.AUTHORISED,
        why=_("Montant réservé par le prestataire (%(state)s).") % {"state": provider_said(intent)},
        source=source,
        fields=["intent_id", "charge_id", "capture_before", "amount", "authorised_at"],
    )


def fail_payment(payment: Payment, *, why: str, source: str) -> None:
    """The payment never went through: it and every part still held are closed, under the
    payment's lock (the parts are locked too, as a seller may be deciding one)."""
    payment.settled_at = timezone.now()
    transition(payment, PaymentStatus.FAILED, why=why, source=source, fields=["settled_at"])
    transition_many(
        payment.parts.select_for_update().exclude(status=PartStatus.RELEASED),
        PartStatus.RELEASED,
        why=why,
        source=source,
    )
    handler_of(payment.purpose).failed(payment)


def _follow_intent(payment: Payment, intent: provider.IntentState, source: str) -> None:
    """An authorised payment changed at the provider: captured (an answer we lost) or lapsed."""
    parts = list(payment.parts.select_for_update().order_by("pk"))
    if intent.status == "succeeded":
        why = _("Débité chez le prestataire (%(state)s).") % {"state": provider_said(intent)}
        record_capture(payment, parts, intent, why=why, source=source)
        handler_of(payment.purpose).settled(payment)
    elif intent.status == "canceled":
        why = _("Autorisation annulée chez le prestataire (%(state)s).") % {
            "state": provider_said(intent)
        }
        record_release(payment, parts, why=why, source=source)
        handler_of(payment.purpose).settled(payment)


def record_capture(
    payment: Payment,
    parts: list[PaymentPart],
    intent: provider.IntentState,
    *,
    why: str,
    source: str,
) -> None:
    captured = [part for part in parts if part.status == PartStatus.ACCEPTED]
    payment.captured = sum(part.amount for part in captured)
    payment.fee = intent.fee or 0
    payment.charge_id = intent.charge_id or payment.charge_id
    payment.settled_at = timezone.now()
    fields = ["captured", "fee", "charge_id", "settled_at"]
    transition(payment, PaymentStatus.CAPTURED, why=why, source=source, fields=fields)
    shares = amounts.split(payment.fee, [part.amount for part in captured])
    for part, share in zip(captured, shares, strict=True):
        part.fee = share
        part.commission = amounts.commission(part.amount, part.commission_rate)
        fields = ["fee", "commission"]
        transition(part, PartStatus.CAPTURED, why=why, source=source, fields=fields)
        if part.account_id:
            Payout.objects.create(part=part, account_id=part.account_id, amount=part.payout_amount)


def record_release(payment: Payment, parts: list[PaymentPart], *, why: str, source: str) -> None:
    payment.settled_at = timezone.now()
    transition(payment, PaymentStatus.RELEASED, why=why, source=source, fields=["settled_at"])
    for part in parts:
        if part.status != PartStatus.RELEASED:
            transition(part, PartStatus.RELEASED, why=why, source=source)

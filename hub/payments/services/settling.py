"""Settling at the provider what was decided: capture or release, refunds, payouts; safe to run
again at any time."""

from __future__ import annotations

from contextlib import suppress

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.models.payments import (
    OperationStatus,
    PartStatus,
    Payment,
    PaymentPart,
    PaymentStatus,
    Payout,
    Refund,
)
from hub.payments import provider
from hub.payments.services.common import (
    handler_of,
    locked_payment,
    provider_said,
    settle_after_commit,
)
from hub.payments.services.following import (
    apply_checkout,
    fail_payment,
    record_capture,
    record_release,
)
from hub.workflow import Actor, status_changes, transition, transition_many

# The ``source`` of the status moves the settling job makes.
SETTLE = "payments.settle"


def settle_payment(payment_id: int) -> None:
    """Do at the provider what the decisions call for; safe to run again at any time."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return
    with locked_payment(payment) as payment:
        parts = list(payment.parts.select_for_update().order_by("pk"))
        if payment.status == PaymentStatus.OPEN and all(
            part.status == PartStatus.RELEASED for part in parts
        ):
            _close_unpaid(payment)
        if payment.status == PaymentStatus.AUTHORISED and not any(
            part.status == PartStatus.PENDING for part in parts
        ):
            _capture_or_release(payment, parts)
            handler_of(payment.purpose).settled(payment)
        if payment.status == PaymentStatus.CAPTURED:
            _send_refunds(payment)
            _send_payouts(payment)


def _close_unpaid(payment: Payment) -> None:
    """What the payment was for is gone while the payer had not paid: close the page."""
    if not payment.checkout_id:
        why = _("Plus rien à payer : toutes les parts ont été libérées.")
        fail_payment(payment, why=why, source=SETTLE)
        return
    # Paid or expired meanwhile, the provider refuses: the state read below says which.
    with suppress(provider.ProviderError):
        provider.expire_checkout(payment.checkout_id, key=f"anima-expire-{payment.public_id}")
    apply_checkout(payment, provider.retrieve_checkout(payment.checkout_id), SETTLE)


def _capture_or_release(payment: Payment, parts: list[PaymentPart]) -> None:
    to_capture = sum(part.amount for part in parts if part.status == PartStatus.ACCEPTED)
    try:
        if to_capture:
            key = f"anima-capture-{payment.public_id}"
            intent = provider.capture(payment.intent_id, to_capture, key)
            why = _("Parts acceptées débitées (%(state)s).") % {"state": provider_said(intent)}
            record_capture(payment, parts, intent, why=why, source=SETTLE)
        else:
            provider.cancel(payment.intent_id, key=f"anima-cancel-{payment.public_id}")
            why = _("Aucune part acceptée : autorisation annulée, rien n'est débité.")
            record_release(payment, parts, why=why, source=SETTLE)
    except provider.ProviderError:
        intent = provider.retrieve_intent(payment.intent_id)
        if intent.status != "canceled":
            raise
        # The authorisation lapsed before we could capture.
        why = _("Autorisation expirée avant le débit (%(state)s).") % {
            "state": provider_said(intent)
        }
        record_release(payment, parts, why=why, source=SETTLE)


def _send_refunds(payment: Payment) -> None:
    handler = handler_of(payment.purpose)
    for item in payment.refunds.filter(status=OperationStatus.PENDING).select_related("part"):
        try:
            item.provider_id = provider.refund(
                payment.intent_id, item.amount, f"anima-refund-{item.pk}", payment.reference
            )
        except provider.ProviderError as error:
            why = _("Refusé par le prestataire : %(error)s") % {"error": error.message}
            transition(item, OperationStatus.FAILED, why=why, source=SETTLE)
            if handler.refund_refused is not None:
                handler.refund_refused(payment, item)
            continue
        item.done_at = timezone.now()
        payment.refunded += item.amount
        if item.part_id:
            part = PaymentPart.objects.select_for_update().get(pk=item.part_id)
            part.refunded += item.amount
            part.save(update_fields=["refunded"])
            _take_back_from_seller(item, part)
        transition(
            item,
            OperationStatus.DONE,
            why=_("Remboursé par le prestataire (%(id)s).") % {"id": item.provider_id},
            source=SETTLE,
            fields=["provider_id", "done_at", "reversal_id", "reversal_amount"],
        )
        payment.save(update_fields=["refunded", "updated_at"])
        handler.refunded(payment, item)


def _take_back_from_seller(item: Refund, part: PaymentPart) -> None:
    """The seller gives back what the payer gets back, up to what it was paid for the part."""
    payout = Payout.objects.select_for_update().filter(part=part).first()
    if payout is None:
        return
    if payout.status != OperationStatus.DONE:
        taken = min(item.amount, payout.amount)
        payout.amount -= taken
        payout.save(update_fields=["amount"])
    else:
        taken = min(item.amount, payout.amount - payout.reversed)
        if taken:
            item.reversal_id = provider.reverse_transfer(
                payout.provider_id, taken, f"anima-reversal-{item.pk}"
            )
            payout.reversed += taken
            payout.save(update_fields=["reversed"])
    item.reversal_amount = taken


def _send_payouts(payment: Payment) -> None:
    payouts = Payout.objects.filter(part__payment=payment, status=OperationStatus.PENDING)
    for payout in payouts.select_related("account", "part"):
        if payout.amount:
            try:
                payout.provider_id = provider.transfer(
                    account_id=payout.account.provider_id,
                    amount=payout.amount,
                    charge_id=payment.charge_id,
                    group=payment.reference,
                    key=_payout_key(payout),
                    reference=payment.reference,
                )
            except provider.ProviderError as error:
                why = _("Refusé par le prestataire : %(error)s") % {"error": error.message}
                transition(payout, OperationStatus.FAILED, why=why, source=SETTLE)
                continue
            why = _("Viré par le prestataire (%(id)s).") % {"id": payout.provider_id}
        else:
            why = _("Rien à reverser (montant nul).")
        payout.sent_at = timezone.now()
        fields = ["sent_at", "provider_id"]
        transition(payout, OperationStatus.DONE, why=why, source=SETTLE, fields=fields)


def _payout_key(payout: Payout) -> str:
    """The transfer's idempotency key: the same for every attempt of one send, so a retry after
    a lost answer never pays twice; a new one after each refusal the history records, or the
    provider would answer a transfer staff send again with its first refusal (a refused
    transfer moved no money, so a new key cannot pay twice)."""
    refused = status_changes(payout).filter(to_status=OperationStatus.FAILED).count()
    return f"anima-payout-{payout.pk}" + (f"-{refused}" if refused else "")


def retry_payout(payout: Payout, *, by: Actor = None) -> None:
    """Staff: send again a payout the provider refused (account fixed meanwhile)."""
    with transaction.atomic():
        transition_many(
            Payout.objects.select_for_update().filter(pk=payout.pk, status=OperationStatus.FAILED),
            OperationStatus.PENDING,
            by=by,
            why=_("Relancé par l'équipe."),
            source="payments.retry_payout",
        )
    settle_after_commit(payout.part.payment)

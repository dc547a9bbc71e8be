"""Online payments for the shop, coworking passes and paid events.

One payment = one hosted checkout that authorises the whole amount (3-D Secure happens on the
provider's page), split into parts (one per seller, plus the platform's own). Each part is
accepted or released by the app that sold it; once no part is left undecided, the accepted
parts are captured in one go and everything else is released with that capture, so a refused
part is never charged. Each seller's share (part − commission − its share of the provider's
fee) is then transferred to its payout account; refunds take the money back from the seller's
transfer.

Locks: the app's own row first (``PaymentHandler.lock``), then the payment. Provider calls are
made under those locks with idempotency keys derived from our ids, so a retry never charges,
releases, refunds or transfers twice, and the shopper's return and the webhook arriving at the
same moment give one paid order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anima.celery import enqueue_on_commit
from hub.exceptions import Conflict
from hub.models.payments import (
    OperationStatus,
    PartStatus,
    Payment,
    PaymentPart,
    PaymentStatus,
    Payout,
    PayoutAccount,
    Refund,
    WebhookEvent,
)
from hub.payments import amounts, provider
from hub.registry import PaymentHandler, registry
from hub.workflow import Actor, status_changes, transition, transition_many

MINIMUM_CENTS = 50  # the provider's smallest charge in euros
# The ``source`` of the status moves the settling job and the abandon page make.
SETTLE = "payments.settle"
ABANDON = "payments.abandon"
logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class RefundLine:
    key: str
    label: str
    amount: int
    reason: str
    done: bool
    at: datetime


@dataclass(frozen=True)
class PaymentSummary:
    """What the payer sees: held, charged, released and refunded, in cents."""

    status: str
    status_label: str
    amount: int
    captured: int
    released: int
    refunded: int
    payable: bool
    parts: dict[str, str] = field(default_factory=dict)  # key -> part status
    refunds: list[RefundLine] = field(default_factory=list)
    page_url: str = ""  # the provider's payment page, once opened and while payable


@dataclass(frozen=True)
class PayoutLine:
    """One sold part paid online, as the seller's statement shows it."""

    reference: str
    captured_at: datetime
    amount: int
    commission: int
    fee: int
    refunded: int
    payout: int
    payout_status: str


def online_payment_available() -> bool:
    """Whether card payment online is offered (a provider key is configured)."""
    return provider.configured()


def _handler(purpose: str) -> PaymentHandler:
    for handler in registry.payment_handlers:
        if handler.purpose == purpose:
            return handler
    raise LookupError(f"no payment handler for {purpose!r}")


@contextmanager
def _locked(payment: Payment) -> Iterator[Payment]:
    with transaction.atomic():
        _handler(payment.purpose).lock(payment.reference)
        yield Payment.objects.select_for_update().get(pk=payment.pk)


def _find(purpose: str, reference: str) -> Payment | None:
    return Payment.objects.filter(purpose=purpose, reference=reference).first()


def _after_commit_settle(payment: Payment) -> None:
    from hub.tasks import settle_payment

    enqueue_on_commit(settle_payment, payment.pk)


# --- Creating a payment and its page ---------------------------------------------------------


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
    payment = _find(purpose, reference)
    if payment is None:
        raise Conflict(_("Aucun paiement en ligne n'est attendu ici."))
    with _locked(payment) as payment:
        if payment.status != PaymentStatus.OPEN:
            raise Conflict(_("Ce paiement n'est plus en attente."))
        if payment.checkout_id:
            return payment.checkout_url
        back = settings.SITE_URL.rstrip("/")
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


def payment_by_public_id(public_id) -> Payment | None:
    try:
        return Payment.objects.filter(public_id=public_id).first()
    except ValidationError:
        return None


def next_url(payment: Payment) -> str:
    """Where the payer goes back to after the payment page."""
    return _handler(payment.purpose).next_url(payment)


# --- Following the provider ------------------------------------------------------------------


def sync_payment(payment: Payment, *, source: str = "payments.sync") -> Payment:
    """Align a payment with the provider's state (return page, webhook, reconciliation);
    ``source`` names the caller in the status history."""
    if not payment.checkout_id:
        return payment
    state = provider.retrieve_checkout(payment.checkout_id)
    with _locked(payment) as payment:
        _apply_checkout(payment, state, source)
    return payment


def _said(state: provider.CheckoutState | provider.IntentState) -> str:
    """The provider's state a move follows, as the status history records it."""
    if isinstance(state, provider.IntentState):
        return f"{state.id}: {state.status}"
    said = f"{state.id}: {state.status}"
    return f"{said}, {_said(state.intent)}" if state.intent else said


def _apply_checkout(payment: Payment, state: provider.CheckoutState, source: str) -> None:
    handler = _handler(payment.purpose)
    intent = state.intent
    if payment.status == PaymentStatus.OPEN:
        if intent and intent.status == "requires_capture":
            _authorise(payment, intent, source)
            handler.authorised(payment)
            _after_commit_settle(payment)
        elif state.status == "expired" or (intent and intent.status == "canceled"):
            why = _("Non abouti chez le prestataire (%(state)s).") % {"state": _said(state)}
            _fail(payment, why=why, source=source)
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
        why=_("Montant réservé par le prestataire (%(state)s).") % {"state": _said(intent)},
        source=source,
        fields=["intent_id", "charge_id", "capture_before", "amount", "authorised_at"],
    )


def _fail(payment: Payment, *, why: str, source: str) -> None:
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
    _handler(payment.purpose).failed(payment)


def _follow_intent(payment: Payment, intent: provider.IntentState, source: str) -> None:
    """An authorised payment changed at the provider: captured (an answer we lost) or lapsed."""
    parts = list(payment.parts.select_for_update().order_by("pk"))
    if intent.status == "succeeded":
        why = _("Débité chez le prestataire (%(state)s).") % {"state": _said(intent)}
        _record_capture(payment, parts, intent, why=why, source=source)
        _handler(payment.purpose).settled(payment)
    elif intent.status == "canceled":
        why = _("Autorisation annulée chez le prestataire (%(state)s).") % {"state": _said(intent)}
        _record_release(payment, parts, why=why, source=source)
        _handler(payment.purpose).settled(payment)


# --- Decisions of the selling app ------------------------------------------------------------


def decide_part(purpose: str, reference: str, key: str, accepted: bool) -> None:
    """A seller accepted its part (to be charged) or refused it (released, never charged)."""
    payment = _find(purpose, reference)
    if payment is None:
        return
    status = PartStatus.ACCEPTED if accepted else PartStatus.RELEASED
    with transaction.atomic():
        # Only a part still waiting moves: the lock makes a concurrent decision (or the payment
        # failing) wait, then see the part already moved and leave it.
        changed = transition_many(
            PaymentPart.objects.select_for_update().filter(
                payment=payment, key=key, status=PartStatus.PENDING
            ),
            status,
            why=_("Part acceptée par le vendeur.")
            if accepted
            else _("Part refusée par le vendeur."),
            source="payments.decide_part",
        )
    if changed:
        _after_commit_settle(payment)


def drop_part(purpose: str, reference: str, key: str, reason: str) -> None:
    """A part is no longer sold (cancelled, sent back): released if not charged, else refunded."""
    with transaction.atomic():
        part = (
            PaymentPart.objects.filter(
                payment__purpose=purpose, payment__reference=reference, key=key
            )
            .select_related("payment")
            .select_for_update(of=("self",))
            .first()
        )
        if part is None:
            return
        if part.status in (PartStatus.PENDING, PartStatus.ACCEPTED):
            transition(part, PartStatus.RELEASED, why=reason, source="payments.drop_part")
            _after_commit_settle(part.payment)
        elif part.status == PartStatus.CAPTURED and (left := _refundable(part)):
            Refund.objects.create(payment=part.payment, part=part, amount=left, reason=reason[:250])
            _after_commit_settle(part.payment)


def _refundable(part: PaymentPart) -> int:
    asked = part.refunds.exclude(status=OperationStatus.FAILED).aggregate(s=Sum("amount"))["s"]
    return part.amount - (asked or 0)


def refund(
    purpose: str,
    reference: str,
    reason: str,
    *,
    part_key: str | None = None,
    amount: int | None = None,
    by=None,
) -> list[Refund]:
    """Give money back: ``amount`` cents of one part, or all that is left of one or every part."""
    payment = _find(purpose, reference)
    if payment is None:
        raise Conflict(_("Aucun paiement en ligne pour cette référence."))
    return refund_payment(payment, reason, part_key=part_key, amount=amount, by=by)


def refund_payment(
    payment: Payment,
    reason: str,
    *,
    part_key: str | None = None,
    amount: int | None = None,
    by=None,
) -> list[Refund]:
    """Refund a payment (see ``refund``); ValidationError on a bad amount, Conflict if nothing
    was charged."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du remboursement.")})
    with _locked(payment) as payment:
        if payment.status != PaymentStatus.CAPTURED:
            raise Conflict(_("Rien n'a été débité : il n'y a rien à rembourser."))
        parts = payment.parts.filter(status=PartStatus.CAPTURED).order_by("pk")
        if part_key:
            parts = parts.filter(key=part_key)
        parts = list(parts)
        if not parts:
            raise ValidationError({"part": _("Cette part n'a pas été débitée.")})
        if amount is not None and len(parts) != 1:
            raise ValidationError({"part": _("Choisissez la part à rembourser en partie.")})
        refunds = []
        withdraw = _handler(payment.purpose).withdraw
        for part in parts:
            left = _refundable(part)
            wanted = left if amount is None else amount
            if amount is not None and not 0 < amount <= left:
                raise ValidationError(
                    {
                        "amount": _("Le montant doit être compris entre 0,01 € et %(max)s.")
                        % {"max": _euros(left)}
                    }
                )
            if wanted > 0:
                if withdraw is not None:
                    withdraw(payment, part.key, wanted)
                refunds.append(
                    Refund.objects.create(
                        payment=payment,
                        part=part,
                        amount=wanted,
                        reason=reason[:250],
                        created_by=by,
                    )
                )
        if not refunds:
            raise Conflict(_("Tout a déjà été remboursé."))
        _after_commit_settle(payment)
    return refunds


def _euros(cents: int) -> str:
    from hub.templatetags.anima import money

    return money(Decimal(cents) / 100)


# --- Settling: capture or release, refunds, payouts ------------------------------------------


def settle_payment(payment_id: int) -> None:
    """Do at the provider what the decisions call for; safe to run again at any time."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return
    with _locked(payment) as payment:
        parts = list(payment.parts.select_for_update().order_by("pk"))
        if payment.status == PaymentStatus.OPEN and all(
            part.status == PartStatus.RELEASED for part in parts
        ):
            _close_unpaid(payment)
        if payment.status == PaymentStatus.AUTHORISED and not any(
            part.status == PartStatus.PENDING for part in parts
        ):
            _capture_or_release(payment, parts)
            _handler(payment.purpose).settled(payment)
        if payment.status == PaymentStatus.CAPTURED:
            _send_refunds(payment)
            _send_payouts(payment)


def _close_unpaid(payment: Payment) -> None:
    """What the payment was for is gone while the payer had not paid: close the page."""
    if not payment.checkout_id:
        why = _("Plus rien à payer : toutes les parts ont été libérées.")
        _fail(payment, why=why, source=SETTLE)
        return
    # Paid or expired meanwhile, the provider refuses: the state read below says which.
    with suppress(provider.ProviderError):
        provider.expire_checkout(payment.checkout_id, key=f"anima-expire-{payment.public_id}")
    _apply_checkout(payment, provider.retrieve_checkout(payment.checkout_id), SETTLE)


def _capture_or_release(payment: Payment, parts: list[PaymentPart]) -> None:
    to_capture = sum(part.amount for part in parts if part.status == PartStatus.ACCEPTED)
    try:
        if to_capture:
            key = f"anima-capture-{payment.public_id}"
            intent = provider.capture(payment.intent_id, to_capture, key)
            why = _("Parts acceptées débitées (%(state)s).") % {"state": _said(intent)}
            _record_capture(payment, parts, intent, why=why, source=SETTLE)
        else:
            provider.cancel(payment.intent_id, key=f"anima-cancel-{payment.public_id}")
            why = _("Aucune part acceptée : autorisation annulée, rien n'est débité.")
            _record_release(payment, parts, why=why, source=SETTLE)
    except provider.ProviderError:
        intent = provider.retrieve_intent(payment.intent_id)
        if intent.status != "canceled":
            raise
        # The authorisation lapsed before we could capture.
        why = _("Autorisation expirée avant le débit (%(state)s).") % {"state": _said(intent)}
        _record_release(payment, parts, why=why, source=SETTLE)


def _record_capture(
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


def _record_release(payment: Payment, parts: list[PaymentPart], *, why: str, source: str) -> None:
    payment.settled_at = timezone.now()
    transition(payment, PaymentStatus.RELEASED, why=why, source=source, fields=["settled_at"])
    for part in parts:
        if part.status != PartStatus.RELEASED:
            transition(part, PartStatus.RELEASED, why=why, source=source)


def _send_refunds(payment: Payment) -> None:
    handler = _handler(payment.purpose)
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
    _after_commit_settle(payout.part.payment)


# --- Webhooks and reconciliation -------------------------------------------------------------


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
            _refresh_account(event.object_id)
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
            with _locked(payment) as locked:
                if locked.status == PaymentStatus.OPEN:
                    why = _("Page de paiement jamais ouverte à temps.")
                    _fail(locked, why=why, source="payments.reconcile")
        return
    if payment.status != PaymentStatus.CAPTURED:
        sync_payment(payment, source="payments.reconcile")
    settle_payment(payment.pk)


# --- What the apps show ----------------------------------------------------------------------


def payment_summary(purpose: str, reference: str) -> PaymentSummary | None:
    """The payer's view of a payment, or None when it was not paid online."""
    return payment_summaries(purpose, [reference]).get(reference)


def payment_summaries(purpose: str, references: Iterable[str]) -> dict[str, PaymentSummary]:
    """``payment_summary`` for many references in three queries."""
    payments = list(
        Payment.objects.filter(purpose=purpose, reference__in=list(references)).prefetch_related(
            "parts", "refunds__part"
        )
    )
    now = timezone.now()
    result = {}
    for payment in payments:
        payable = payment.status == PaymentStatus.OPEN and (
            payment.checkout_expires_at is None or payment.checkout_expires_at > now
        )
        result[payment.reference] = PaymentSummary(
            status=payment.status,
            status_label=payment.get_status_display(),
            amount=payment.amount,
            captured=payment.captured,
            released=payment.released,
            refunded=payment.refunded,
            payable=payable,
            page_url=payment.checkout_url if payable else "",
            parts={part.key: part.status for part in payment.parts.all()},
            refunds=[
                RefundLine(
                    key=item.part.key if item.part else "",
                    label=item.part.label if item.part else "",
                    amount=item.amount,
                    reason=item.reason,
                    done=item.status == OperationStatus.DONE,
                    at=item.done_at or item.created_at,
                )
                for item in sorted(payment.refunds.all(), key=lambda r: r.pk)
                if item.status != OperationStatus.FAILED
            ],
        )
    return result


def payout_lines(payee: str, start: datetime, end: datetime) -> list[PayoutLine]:
    """A seller's parts charged online between ``start`` and ``end``, oldest first."""
    parts = (
        PaymentPart.objects.filter(
            account__payee=payee,
            status=PartStatus.CAPTURED,
            payment__settled_at__gte=start,
            payment__settled_at__lt=end,
        )
        .select_related("payment", "payout")
        .order_by("payment__settled_at", "pk")
    )
    lines = []
    for part in parts:
        payout = getattr(part, "payout", None)
        lines.append(
            PayoutLine(
                reference=part.payment.reference,
                captured_at=part.payment.settled_at,
                amount=part.amount,
                commission=part.commission,
                fee=part.fee,
                refunded=part.refunded,
                payout=(payout.amount - payout.reversed) if payout else 0,
                payout_status=payout.get_status_display() if payout else "",
            )
        )
    return lines


# --- Sellers' payout accounts ----------------------------------------------------------------


def payout_account(payee: str) -> PayoutAccount | None:
    """A seller's payout account, if it started connecting one."""
    return PayoutAccount.objects.filter(payee=payee).first()


def active_payees(payees: Iterable[str]) -> set[str]:
    """Which of these sellers can be paid online now."""
    accounts = PayoutAccount.objects.filter(payee__in=list(payees))
    return {account.payee for account in accounts if account.is_active}


def onboarding_url(payee: str, label: str, email: str, return_url: str, refresh_url: str) -> str:
    """The provider's page where a seller connects (or completes) its payout account."""
    if not online_payment_available():
        raise Conflict(_("Le paiement en ligne n'est pas proposé."))
    with transaction.atomic():
        account = PayoutAccount.objects.select_for_update().filter(payee=payee).first()
        if account is None:
            state = provider.create_account(email=email, label=label, key=f"anima-account-{payee}")
            account = PayoutAccount.objects.create(
                payee=payee, label=label[:150], provider_id=state.id
            )
    return provider.onboarding_link(account.provider_id, return_url, refresh_url)


def refresh_payout_account(payee: str) -> PayoutAccount | None:
    """Read the account's state from the provider (after onboarding, or on its webhook)."""
    account = payout_account(payee)
    if account is None:
        return None
    return _refresh_account(account.provider_id)


def _refresh_account(provider_id: str) -> PayoutAccount | None:
    account = PayoutAccount.objects.filter(provider_id=provider_id).first()
    if account is None:
        return None
    state = provider.retrieve_account(provider_id)
    account.details_submitted = state.details_submitted
    account.payouts_enabled = state.payouts_enabled
    account.transfers_enabled = state.transfers_enabled
    account.save()
    return account


def abandon_payment(payment: Payment) -> Payment:
    """The payer left the payment page: close it, so what the payment held is released."""
    if payment.status != PaymentStatus.OPEN:
        return payment
    if payment.checkout_id:
        # Paid or expired meanwhile, the provider refuses: the sync below says which.
        with suppress(provider.ProviderError):
            provider.expire_checkout(payment.checkout_id, key=f"anima-expire-{payment.public_id}")
        return sync_payment(payment, source=ABANDON)
    with _locked(payment) as locked:
        if locked.status == PaymentStatus.OPEN:
            _fail(locked, why=_("Paiement abandonné par le payeur."), source=ABANDON)
    return locked

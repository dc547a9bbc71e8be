"""What the selling apps and staff decide: a part accepted, refused or dropped, money given back."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from hub.exceptions import Conflict
from hub.models import User
from hub.models.payments import (
    OperationStatus,
    PartStatus,
    Payment,
    PaymentPart,
    PaymentStatus,
    Refund,
)
from hub.payments.services.common import (
    find_payment,
    handler_of,
    locked_payment,
    settle_after_commit,
)
from hub.workflow import transition, transition_many


def decide_part(purpose: str, reference: str, key: str, accepted: bool) -> None:
    """A seller accepted its part (to be charged) or refused it (released, never charged)."""
    payment = find_payment(purpose, reference)
    if payment is None:
        return
    status = PartStatus.ACCEPTED if accepted else PartStatus.RELEASED
    with locked_payment(payment) as payment:
        # Only a part still waiting moves: the locks make a concurrent decision (or the payment
        # failing) wait, then see the part already moved and leave it.
        changed = transition_many(
            payment.parts.select_for_update().filter(key=key, status=PartStatus.PENDING),
            status,
            why=_("Part acceptée par le vendeur.")
            if accepted
            else _("Part refusée par le vendeur."),
            source="payments.decide_part",
        )
    if changed:
        settle_after_commit(payment)


def drop_part(purpose: str, reference: str, key: str, reason: str) -> None:
    """A part is no longer sold (cancelled, sent back): released if not charged, else refunded.

    Locks as ``refund_payment`` and the settling job do (the app's row, the payment, then the
    part), so a staff refund of the same payment waits and sees this one, and the reverse."""
    payment = find_payment(purpose, reference)
    if payment is None:
        return
    with locked_payment(payment) as payment:
        part = payment.parts.select_for_update().filter(key=key).first()
        if part is None:
            return
        if part.status in (PartStatus.PENDING, PartStatus.ACCEPTED):
            transition(part, PartStatus.RELEASED, why=reason, source="payments.drop_part")
            settle_after_commit(payment)
        elif part.status == PartStatus.CAPTURED and (left := _refundable(part)):
            Refund.objects.create(payment=payment, part=part, amount=left, reason=reason[:250])
            settle_after_commit(payment)


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
    by: User | None = None,
) -> list[Refund]:
    """Give money back: ``amount`` cents of one part, or all that is left of one or every part."""
    payment = find_payment(purpose, reference)
    if payment is None:
        raise Conflict(_("Aucun paiement en ligne pour cette référence."))
    return refund_payment(payment, reason, part_key=part_key, amount=amount, by=by)


def refund_payment(
    payment: Payment,
    reason: str,
    *,
    part_key: str | None = None,
    amount: int | None = None,
    by: User | None = None,
) -> list[Refund]:
    """Refund a payment (see ``refund``); ValidationError on a bad amount, Conflict if nothing
    was charged."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez le motif du remboursement.")})
    with locked_payment(payment) as payment:
        if payment.status != PaymentStatus.CAPTURED:
            raise Conflict(_("Rien n'a été débité : il n'y a rien à rembourser."))
        charged = payment.parts.filter(status=PartStatus.CAPTURED).order_by("pk")
        if part_key:
            charged = charged.filter(key=part_key)
        parts = list(charged)
        if not parts:
            raise ValidationError({"part": _("Cette part n'a pas été débitée.")})
        if amount is not None and len(parts) != 1:
            raise ValidationError({"part": _("Choisissez la part à rembourser en partie.")})
        refunds = []
        withdraw = handler_of(payment.purpose).withdraw
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
        settle_after_commit(payment)
    return refunds


def _euros(cents: int) -> str:
    from hub.templatetags.anima import money

    return money(Decimal(cents) / 100)

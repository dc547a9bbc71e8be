"""What the apps show: the payer's view of a payment, a seller's statement."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from hub.models.payments import (
    OperationStatus,
    PartStatus,
    Payment,
    PaymentPart,
    PaymentStatus,
)


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
                captured_at=part.payment.settled_at or part.payment.created_at,
                amount=part.amount,
                commission=part.commission,
                fee=part.fee,
                refunded=part.refunded,
                payout=(payout.amount - payout.reversed) if payout else 0,
                payout_status=payout.get_status_display() if payout else "",
            )
        )
    return lines

"""Back from the payment page: the bank said yes (the payment is authorised) but the charge that
confirms the booking or credits the pass is recorded a few seconds later, by the worker's
capture or the provider's webhook. « Mes réservations » follows these until they settle."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone

from coworking.models import Booking, BookingStatus, PassPurchase, PurchaseStatus
from coworking.services import paid_bookings, passes
from hub import services as hub


class PaymentState(StrEnum):
    WAITING = "waiting"  # authorised at the bank, not charged yet
    PAID = "paid"  # booking confirmed, or pass credited
    FAILED = "failed"  # not paid: the place is freed, the pass not bought
    NONE = "none"  # no payment made yet: nothing to follow


@dataclass(frozen=True)
class PaymentCheck:
    """One booking or pass purchase of the person, as the payment left it."""

    reference: str
    state: PaymentState
    label: str


def payments_being_confirmed(user: Any, bookings: Iterable[Booking]) -> list[PaymentCheck]:
    """The person's held ``bookings`` (those the page lists, read already) and pending pass
    purchases whose payment the bank accepted but whose charge is not recorded yet (a fixed
    number of queries)."""
    now = timezone.now()
    held = [b for b in bookings if b.status == BookingStatus.HELD and b.end >= now]
    pending = PassPurchase.objects.filter(user=user, status=PurchaseStatus.PENDING).select_related(
        "offer"
    )
    items: list[tuple[str, Booking | PassPurchase]] = [(paid_bookings.PURPOSE, b) for b in held]
    items += [(passes.PURPOSE, p) for p in pending]
    authorised = _authorised(items)
    return [
        PaymentCheck(str(item.reference), PaymentState.WAITING, _label(item))
        for _purpose, item in items
        if str(item.reference) in authorised
    ]


def payment_check(user: Any, reference: str) -> PaymentCheck | None:
    """Where the payment of the person's booking or pass purchase ``reference`` stands; None
    when the person has no such booking or purchase."""
    booking = Booking.objects.filter(user=user, reference=reference).select_related("resource")
    purchase = PassPurchase.objects.filter(user=user, reference=reference).select_related("offer")
    item = booking.first() or purchase.first()
    if item is None:
        return None
    return PaymentCheck(str(item.reference), _state(item), _label(item))


def _state(item: Booking | PassPurchase) -> PaymentState:
    if isinstance(item, Booking):
        if item.status == BookingStatus.HELD:
            waiting = _authorised([(paid_bookings.PURPOSE, item)])
            return PaymentState.WAITING if waiting else PaymentState.NONE
        return PaymentState.PAID if item.paid_online else PaymentState.FAILED
    if item.status == PurchaseStatus.PENDING:
        waiting = _authorised([(passes.PURPOSE, item)])
        return PaymentState.WAITING if waiting else PaymentState.NONE
    return PaymentState.PAID if item.status == PurchaseStatus.PAID else PaymentState.FAILED


def _authorised(items: list[tuple[str, Booking | PassPurchase]]) -> set[str]:
    """The references among ``items`` whose payment is authorised and not charged yet."""
    found: set[str] = set()
    for purpose in {purpose for purpose, _item in items}:
        references = [str(item.reference) for p, item in items if p == purpose]
        summaries = hub.payment_summaries(purpose, references)
        authorised = hub.PaymentStatus.AUTHORISED
        found |= {ref for ref, summary in summaries.items() if summary.status == authorised}
    return found


def _label(item: Booking | PassPurchase) -> str:
    if isinstance(item, Booking):
        return item.resource.name
    return item.offer.get_kind_display()

"""Back from the payment page: the bank said yes (the payment is authorised) but the charge that
confirms the booking or credits the pass is recorded a few seconds later, by the worker's
capture or the provider's webhook. « Mes réservations » follows these until they settle, and
also a payment still open when the person came back (the provider unreachable at that moment,
or the page not paid), asking the provider again through the hub's payments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from coworking.models import Booking, BookingStatus, PassPurchase, PurchaseStatus
from coworking.services import paid_bookings, passes
from hub import services as hub

# The query parameter naming the payment the person just came back from, still open.
PAYMENT_FOLLOWED = hub.PAYMENT_FOLLOWED


class PaymentState(StrEnum):
    WAITING = "waiting"  # authorised at the bank, not charged yet
    PAID = "paid"  # booking confirmed, or pass credited
    FAILED = "failed"  # not paid: the place is freed, the pass not bought
    OPEN = "open"  # back from the payment page, paid there or not: the provider is asked
    NONE = "none"  # no payment made yet: nothing to follow


@dataclass(frozen=True)
class PaymentCheck:
    """One booking or pass purchase of the person, as the payment left it."""

    reference: str
    state: PaymentState
    label: str
    booking: bool = True  # else a pass purchase


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
        PaymentCheck(str(item.reference), PaymentState.WAITING, _label(item), _is_booking(item))
        for _purpose, item in items
        if str(item.reference) in authorised
    ]


def payment_followed(user: Any, reference: str | None) -> PaymentCheck | None:
    """The person's held booking or pending pass purchase ``reference`` whose payment is still
    open, to follow once back from the payment page; None for anything else."""
    item = _item(user, reference) if reference else None
    if item is None or not _unpaid(item):
        return None
    summary = hub.payment_summary(_purpose(item), str(item.reference))
    if summary is None or summary.status != hub.PaymentStatus.OPEN:
        return None
    return PaymentCheck(str(item.reference), PaymentState.OPEN, _label(item), _is_booking(item))


def payment_check(user: Any, reference: str) -> PaymentCheck | None:
    """Where the payment of the person's booking or pass purchase ``reference`` stands; None
    when the person has no such booking or purchase."""
    item = _item(user, reference)
    if item is None:
        return None
    return PaymentCheck(str(item.reference), _state(item), _label(item), _is_booking(item))


def _item(user: Any, reference: str) -> Booking | PassPurchase | None:
    try:
        bookings = Booking.objects.filter(user=user, reference=reference)
        booking: Booking | None = bookings.select_related("resource").first()
        if booking is not None:
            return booking
        purchases = PassPurchase.objects.filter(user=user, reference=reference)
        purchase: PassPurchase | None = purchases.select_related("offer").first()
        return purchase
    except ValidationError:  # not a reference at all
        return None


def _state(item: Booking | PassPurchase) -> PaymentState:
    if _unpaid(item):
        return _unpaid_state(item)
    if isinstance(item, Booking):
        return PaymentState.PAID if item.paid_online else PaymentState.FAILED
    return PaymentState.PAID if item.status == PurchaseStatus.PAID else PaymentState.FAILED


def _unpaid_state(item: Booking | PassPurchase) -> PaymentState:
    """Authorised: waiting for the charge. Open: the provider is asked again (the person may
    have paid while it was unreachable); it moves the booking or pass when it has the money."""
    status = hub.follow_open_payment(_purpose(item), str(item.reference))
    if status == hub.PaymentStatus.OPEN:
        return PaymentState.OPEN
    item.refresh_from_db()
    if _unpaid(item):
        waiting = status == hub.PaymentStatus.AUTHORISED
        return PaymentState.WAITING if waiting else PaymentState.NONE
    return _state(item)


def _unpaid(item: Booking | PassPurchase) -> bool:
    if isinstance(item, Booking):
        return item.status == BookingStatus.HELD
    return item.status == PurchaseStatus.PENDING


def _purpose(item: Booking | PassPurchase) -> str:
    return paid_bookings.PURPOSE if isinstance(item, Booking) else passes.PURPOSE


def _is_booking(item: Booking | PassPurchase) -> bool:
    return isinstance(item, Booking)


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

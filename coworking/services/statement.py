"""The monthly statement of a person: bookings and passes with their amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from coworking.models import Booking, BookingStatus, Pass


@dataclass
class Statement:
    month: date
    bookings: list[Booking]
    passes: list[Pass]
    total: Decimal
    paid_online: Decimal = Decimal("0.00")


def _bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    first = datetime.combine(month, time.min, tzinfo=tz)
    return first, datetime.combine(month + relativedelta(months=1), time.min, tzinfo=tz)


def monthly_statement(user, month: date) -> Statement:
    """What ``user`` booked and owes for the month starting on ``month`` (first day)."""
    start, end = _bounds(month)
    bookings = list(
        Booking.objects.filter(
            user=user,
            start__gte=start,
            start__lt=end,
            status__in=[BookingStatus.CONFIRMED, BookingStatus.LATE_CANCELLED],
        )
        .select_related("resource__space", "pass_used", "agreement")
        .order_by("start")
    )
    passes = list(
        Pass.objects.filter(user=user, created_at__gte=start, created_at__lt=end).select_related(
            "purchase"
        )
    )
    total = sum((b.amount_due for b in bookings), Decimal("0.00")) + sum(
        (p.price for p in passes), Decimal("0.00")
    )
    paid_online = sum(
        (p.price for p in passes if getattr(p, "purchase", None) is not None), Decimal("0.00")
    ) + sum((b.amount_due for b in bookings if b.paid_online), Decimal("0.00"))
    return Statement(month, bookings, passes, total, paid_online)

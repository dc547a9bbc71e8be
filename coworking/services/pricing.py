"""Prices, rate tiers, passes and Atelier 8 agreements: what a booking costs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from coworking.models import (
    Booking,
    BookingMode,
    BookingSource,
    BookingStatus,
    Coworker,
    OccupancyAgreement,
    Pass,
    Rate,
    RateTier,
    Resource,
    ResourceKind,
)

CENT = Decimal("0.01")
HALF_DAY_MINUTES = 240
# A credit stays used by a booking kept after a late cancellation.
CREDIT_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.LATE_CANCELLED)


def coworker_for(user) -> Coworker:
    """The person's coworking settings, created on first use."""
    coworker, _created = Coworker.objects.get_or_create(user=user)
    return coworker


def tier_of(user) -> str:
    """The rate tier staff decided for ``user`` (standard until a proof is accepted)."""
    tier = Coworker.objects.filter(user=user).values_list("tier", flat=True).first()
    return tier or RateTier.STANDARD


def rate_for(resource: Resource, tier: str) -> Rate | None:
    """The resource's rate for ``tier``, or its standard rate when it has no solidarity one."""
    rates = {rate.tier: rate for rate in resource.rates.all()}
    return rates.get(tier) or rates.get(RateTier.STANDARD)


def price_of(rate: Rate | None, minutes: int) -> Decimal:
    """The cheapest of hourly, half-days (4 h) and the day price; free without any rate."""
    if rate is None:
        return Decimal("0.00")
    options = []
    if rate.hourly is not None:
        options.append(rate.hourly * Decimal(minutes) / 60)
    if rate.half_day is not None:
        options.append(rate.half_day * math.ceil(minutes / HALF_DAY_MINUTES))
    if rate.day is not None:
        options.append(rate.day)
    if not options:
        return Decimal("0.00")
    return min(options).quantize(CENT, rounding=ROUND_HALF_UP)


def late_share(price: Decimal, percent: int) -> Decimal:
    return (price * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def current_agreement(user, resource: Resource, day: date) -> OccupancyAgreement | None:
    return OccupancyAgreement.objects.current(day).filter(holder=user, resource=resource).first()


def credit_days(pass_: Pass) -> set[date]:
    """The desk days already charged to a pass."""
    starts = Booking.objects.filter(pass_used=pass_, status__in=CREDIT_STATUSES).values_list(
        "start", flat=True
    )
    return {timezone.localdate(start) for start in starts}


def credits_left(pass_: Pass) -> int | None:
    """Desk days left on a pass; None for an unlimited membership."""
    if pass_.is_unlimited:
        return None
    return max(pass_.usable_credits - len(credit_days(pass_)), 0)


def pick_pass(user, resource: Resource, day: date) -> Pass | None:
    """The pass that pays a desk day: a membership, a card already used that day, else credits.

    Called inside the booking transaction: the passes are locked so that two bookings cannot
    both take the last credit.
    """
    if resource.kind != ResourceKind.DESK_POOL:
        return None
    passes = [
        pass_
        for pass_ in Pass.objects.select_for_update()
        .filter(user=user, valid_from__lte=day, valid_until__gte=day)
        .order_by("valid_until", "pk")
        if pass_.covers(day)
    ]
    unlimited = [p for p in passes if p.is_unlimited]
    if unlimited:
        return unlimited[0]
    with_days = [(p, credit_days(p)) for p in passes]
    for pass_, days in with_days:
        if day in days:
            return pass_
    for pass_, days in with_days:
        if len(days) < pass_.usable_credits:
            return pass_
    return None


def apply_price(booking: Booking, now: datetime) -> None:
    """Set how ``booking`` is paid: agreement (free), pass, or the person's rate."""
    resource, user = booking.resource, booking.user
    day = timezone.localdate(booking.start)
    booking.tier = tier_of(user)
    booking.pass_used = None
    booking.agreement = None
    agreement = current_agreement(user, resource, day)
    if agreement is not None:
        booking.agreement = agreement
        booking.price = Decimal("0.00")
    elif resource.booking_mode == BookingMode.ONLINE and (pass_ := pick_pass(user, resource, day)):
        booking.pass_used = pass_
        booking.price = Decimal("0.00")
    else:
        minutes = int((booking.end - booking.start).total_seconds() // 60)
        booking.price = price_of(rate_for(resource, booking.tier), minutes)
    booking.amount_due = booking.price


def may_book(user, resource: Resource, day: date) -> bool:
    """Whether ``user`` may book ``resource`` on ``day`` (Atelier 8 resources: agreement holders
    on that day only)."""
    if resource.booking_mode != BookingMode.AGREEMENT:
        return True
    return current_agreement(user, resource, day) is not None


@dataclass(frozen=True)
class Repriced:
    booking: Booking
    previous_price: Decimal


def reprice_future_bookings(user, now: datetime) -> list[Repriced]:
    """Give ``user``'s rate to their bookings still to come and priced at a rate (not covered by
    a pass or an agreement) and not paid online: those are paid on site, not yet. Returns
    the bookings whose price changed, with their former price. Call it inside a transaction."""
    bookings = (
        Booking.objects.select_for_update(of=("self",))
        .filter(
            user=user,
            status=BookingStatus.CONFIRMED,
            source=BookingSource.ONLINE,
            start__gt=now,
            pass_used__isnull=True,
            agreement__isnull=True,
            paid_online=False,
        )
        .select_related("resource")
        .prefetch_related("resource__rates")
        .order_by("start")
    )
    tier = tier_of(user)
    changed = []
    for booking in bookings:
        minutes = int((booking.end - booking.start).total_seconds() // 60)
        price = price_of(rate_for(booking.resource, tier), minutes)
        if (booking.tier, booking.price) == (tier, price):
            continue
        changed.append(Repriced(booking, booking.price))
        booking.tier, booking.price, booking.amount_due = tier, price, price
        booking.save(update_fields=["tier", "price", "amount_due"])
    return changed


def payment_mode(user, resource: Resource, day: date) -> str:
    """How a booking that day would be paid: "agreement", "pass", or the person's rate tier."""
    if current_agreement(user, resource, day):
        return "agreement"
    if resource.kind == ResourceKind.DESK_POOL and resource.booking_mode == BookingMode.ONLINE:
        for pass_ in Pass.objects.filter(user=user, valid_from__lte=day, valid_until__gte=day):
            if not pass_.covers(day):
                continue
            if pass_.is_unlimited or day in credit_days(pass_) or credits_left(pass_):
                return "pass"
    return tier_of(user)


def price_options(
    user, resource: Resource, start: datetime, ends: list[datetime]
) -> tuple[str, list[tuple[datetime, Decimal]]]:
    """The payment mode and the price of each possible end, for display before booking."""
    mode = payment_mode(user, resource, timezone.localdate(start))
    if mode in ("agreement", "pass"):
        return mode, [(end, Decimal("0.00")) for end in ends]
    rate = rate_for(resource, mode)
    return mode, [(end, price_of(rate, int((end - start).total_seconds() // 60))) for end in ends]

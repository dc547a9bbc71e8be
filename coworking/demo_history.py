"""The spaces' past in the demo: eight weeks of desk and meeting-room bookings at Le Lieu Commun
by its regulars, paid by their memberships, their 10-day cards or at their rate.

Bookings go through ``services.book`` as made a few days ahead (times, capacity, pass credits
and prices checked as they would have been), then are dated when they were made. Idempotent: a
day already booked by a regular is left as it is.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coworking import services
from coworking.models import Booking, Pass, PassKind, Resource
from coworking.services.reminders import add_public_holidays
from hub.services import DEMO_DOMAIN, Conflict, demo_history_days, demo_user

# e-mail (local part), first name, last name, how they pay, share of open days they come
REGULARS = [
    ("coworker", "Léa", "Fournier", PassKind.MONTHLY, 0.7),
    ("antoine.delcroix", "Antoine", "Delcroix", PassKind.MONTHLY, 0.75),
    ("nadege.bourgeois", "Nadège", "Bourgeois", PassKind.CARD, 0.3),
    ("samuel.vermeulen", "Samuel", "Vermeulen", None, 0.35),
    ("porteur.projet", "Kevin", "Marchand", None, 0.3),
    ("cliente.margaux", "Margaux", "Lebrun", PassKind.CARD, 0.25),
    ("client.rachid", "Rachid", "Mansouri", PassKind.MONTHLY, 0.6),
]
DESK_TIMES = [(time(9), time(17)), (time(9), time(18)), (time(9), time(13)), (time(14), time(18))]
ROOM_TIMES = [(time(10), time(11)), (time(14), time(16)), (time(16), time(17))]
PRICES = {PassKind.MONTHLY: Decimal("150.00"), PassKind.CARD: Decimal("150.00")}


def _moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _passes(user, kind: str | None, first: date, days: int) -> None:
    """Monthly memberships over the past weeks, or a 10-day card bought at the start (once:
    a later run leaves the passes bought for an earlier one)."""
    if kind is None or Pass.objects.filter(user=user, kind=kind, valid_from__lte=first).exists():
        return
    if kind == PassKind.CARD:
        until = first + timedelta(days=364)
        Pass.objects.create(
            user=user,
            kind=kind,
            credits=10,
            valid_from=first,
            valid_until=until,
            price=PRICES[kind],
        )
        return
    for start in range(0, days, 28):
        Pass.objects.create(
            user=user,
            kind=kind,
            valid_from=first + timedelta(days=start),
            valid_until=first + timedelta(days=start + 27),
            price=PRICES[kind],
        )


def _book(user, resource: Resource, day: date, times: tuple[time, time], made: list) -> None:
    start, end = _moment(day, times[0]), _moment(day, times[1])
    booked_at = start - timedelta(days=3, hours=5)
    try:
        booking = services.book(user, resource, start, end, now=booked_at)
    except (ValidationError, Conflict):
        return  # closed that day or full: the regular stayed at home
    booking.created_at = booked_at
    made.append(booking)


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Eight weeks of the regulars' bookings at Le Lieu Commun (idempotent)."""
    today, days = timezone.localdate(), demo_history_days()
    first = today - timedelta(days=days)
    add_public_holidays(first.year)
    desks = Resource.objects.filter(name="Plateau de coworking").first()
    room = Resource.objects.filter(name="Salle de réunion").first()
    if desks is None or room is None:
        return []
    regulars = []
    for login, first_name, last_name, kind, share in REGULARS:
        user = demo_user(f"{login}@{DEMO_DOMAIN}", first_name, last_name)
        _passes(user, kind, first, days)
        regulars.append((user, share))
    past = Booking.objects.filter(
        user__in=[user for user, _share in regulars],
        start__gte=_moment(first, time.min),
        start__lt=_moment(today, time.min),
    )
    booked = {(pk, timezone.localdate(start)) for pk, start in past.values_list("user_id", "start")}
    made: list[Booking] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for user, share in regulars:
            # One draw per person and day, whatever was booked before: reruns decide alike.
            rng = random.Random(f"anima-demo-coworking-{day.isoformat()}-{user.email}")
            comes, times = rng.random() < share, rng.choice(DESK_TIMES)
            if comes and (user.pk, day) not in booked:
                _book(user, desks, day, times, made)
        rng = random.Random(f"anima-demo-meeting-room-{day.isoformat()}")
        user, times = rng.choice(regulars)[0], rng.choice(ROOM_TIMES)
        if day.weekday() in (1, 3) and (user.pk, day) not in booked:
            _book(user, room, day, times, made)
    Booking.objects.bulk_update(made, ["created_at"])
    return []

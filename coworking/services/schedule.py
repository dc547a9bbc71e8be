"""Opening hours, closures and the booking grid: what can be booked, and what is free."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.models import Booking, Closure, Resource, Space
from hub.services import french_date


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    free: int
    capacity: int

    @property
    def is_free(self) -> bool:
        return self.free > 0


@dataclass(frozen=True)
class DayPlan:
    day: date
    closed_reason: str
    slots: list[Slot]


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def at(day: date, clock: time) -> datetime:
    """The aware datetime of a wall-clock time in Calais on ``day``."""
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


def peak_occupancy(
    intervals: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime
) -> int:
    """The most intervals overlapping at one instant of [start, end); touching ones do not."""
    changes = []
    for begins, ends in intervals:
        if begins < end and ends > start:
            changes.append((max(begins, start), 1))
            changes.append((min(ends, end), -1))
    # At the same instant an end (-1) sorts before a start (+1): back-to-back is no overlap.
    changes.sort()
    current = highest = 0
    for _moment, step in changes:
        current += step
        highest = max(highest, current)
    return highest


def closures_of(spaces: Iterable[Space], first: date, last: date) -> list[Closure]:
    """Closures of these spaces, and of every space, that overlap [first, last], in one query."""
    return list(
        Closure.objects.filter(Q(space__in=list(spaces)) | Q(space=None))
        .filter(start_date__lte=last, end_date__gte=first)
        .order_by("start_date")
    )


class SpaceCalendar:
    """Opening hours and closures of one space over a range of days, loaded in two queries
    (one, when ``closures`` holds those already loaded for several spaces: ``closures_of``)."""

    def __init__(
        self, space: Space, first: date, last: date, closures: list[Closure] | None = None
    ):
        self.hours: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for opening in space.opening_hours.all():
            self.hours[opening.weekday].append((opening.opens, opening.closes))
        for intervals in self.hours.values():
            intervals.sort()
        if closures is None:
            closures = closures_of([space], first, last)
        self.closures = [
            closure
            for closure in closures
            if closure.space_id in (space.pk, None)
            and closure.start_date <= last
            and closure.end_date >= first
        ]

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.start_date <= day <= c.end_date), None)

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if self.closure_on(day):
            return []
        return [(at(day, opens), at(day, closes)) for opens, closes in self.hours[day.weekday()]]

    def opens_at(self, moment: datetime) -> bool:
        """Whether the space is open at ``moment``."""
        return any(o <= moment < c for o, c in self.intervals_on(local(moment).date()))

    def describe_hours(self, day: date) -> str:
        intervals = self.hours[day.weekday()]
        if not intervals:
            return _("fermé ce jour-là")
        return ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in intervals)


def validate_times(
    resource: Resource,
    start: datetime,
    end: datetime,
    now: datetime,
    calendar: SpaceCalendar | None = None,
) -> None:
    """Raise a ValidationError with field errors unless [start, end) is a bookable period."""
    if end <= start:
        raise ValidationError({"end": _("L'heure de fin doit suivre l'heure de début.")})
    if start < now:
        raise ValidationError({"start": _("Ce créneau est déjà passé.")})
    space = resource.space
    day = local(start).date()
    if day > timezone.localdate(now) + timedelta(days=space.booking_horizon_days):
        raise ValidationError(
            {
                "start": _("On peut réserver au plus %(days)s jours à l'avance.")
                % {"days": space.booking_horizon_days}
            }
        )
    calendar = calendar or SpaceCalendar(space, day, day)
    closure = calendar.closure_on(day)
    if closure:
        raise ValidationError(
            {
                "start": _("%(space)s est fermé ce jour-là (%(reason)s).")
                % {"space": space.name, "reason": closure.reason}
            }
        )
    interval = next(
        ((o, c) for o, c in calendar.intervals_on(day) if o <= start and end <= c), None
    )
    if interval is None:
        raise ValidationError(
            {
                "start": _("En dehors des heures d'ouverture (%(day)s : %(hours)s).")
                % {"day": french_date(day, "l j F"), "hours": calendar.describe_hours(day)}
            }
        )
    step = timedelta(minutes=resource.slot_minutes)
    if (start - interval[0]) % step or (end - start) % step:
        raise ValidationError(
            {
                "start": _("On réserve par tranches de %(minutes)s minutes à partir de %(opens)s.")
                % {"minutes": resource.slot_minutes, "opens": f"{local(interval[0]):%H:%M}"}
            }
        )


def week_plan(resource: Resource, monday: date, now: datetime | None = None) -> list[DayPlan]:
    """Seven days of slots with the number of free places; four queries whatever the data."""
    now = now or timezone.now()
    sunday = monday + timedelta(days=6)
    calendar = SpaceCalendar(resource.space, monday, sunday)
    taken = list(
        Booking.objects.taking_place()
        .filter(resource=resource)
        .overlapping(at(monday, time.min), at(sunday + timedelta(days=1), time.min))
        .values_list("start", "end")
    )
    step = timedelta(minutes=resource.slot_minutes)
    horizon = timezone.localdate(now) + timedelta(days=resource.space.booking_horizon_days)
    plans = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        closure = calendar.closure_on(day)
        slots = []
        for opens, closes in calendar.intervals_on(day) if day <= horizon else []:
            begin = opens
            while begin + step <= closes:
                if begin >= now:
                    used = peak_occupancy(taken, begin, begin + step)
                    slots.append(
                        Slot(
                            begin, begin + step, max(resource.capacity - used, 0), resource.capacity
                        )
                    )
                begin += step
        plans.append(DayPlan(day, closure.reason if closure else "", slots))
    return plans


def availability(
    resource: Resource, first: date, last: date, now: datetime | None = None
) -> list[Slot]:
    """Every future slot from ``first`` to ``last`` (inclusive) with its free places."""
    slots: list[Slot] = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        for plan in week_plan(resource, monday, now):
            if first <= plan.day <= last:
                slots.extend(plan.slots)
        monday += timedelta(days=7)
    return slots


def end_choices(
    resource: Resource,
    start: datetime,
    calendar: SpaceCalendar,
    user=None,
    exclude: int | None = None,
) -> list[datetime]:
    """The ends a booking starting at ``start`` can have and be accepted: within its opening
    interval, and never past the moment the resource is full or ``user`` already holds a place
    there (``exclude``: the booking being moved, which gives its place back)."""
    day = local(start).date()
    step = timedelta(minutes=resource.slot_minutes)
    for opens, closes in calendar.intervals_on(day):
        if opens <= start < closes:
            bookings = (
                Booking.objects.taking_place().filter(resource=resource).overlapping(start, closes)
            )
            if exclude:
                bookings = bookings.exclude(pk=exclude)
            rows = list(bookings.values_list("start", "end", "user_id"))
            taken = [(begins, ends) for begins, ends, _who in rows]
            own = [(begins, ends) for begins, ends, who in rows if user and who == user.pk]
            ends, moment = [], start + step
            while moment <= closes:
                if peak_occupancy(taken, start, moment) >= resource.capacity or peak_occupancy(
                    own, start, moment
                ):
                    break
                ends.append(moment)
                moment += step
            return ends
    return []

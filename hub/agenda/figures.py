"""What the agenda adds to /pilotage/ (events this week) and to /impact/ (aggregates only)."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.formatting import french_date
from hub.models import Event, Registration, RegistrationStatus
from hub.registry import DashboardLine, Indicator, month_windows
from hub.templatetags.anima import percent


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def week_lines(user) -> list[DashboardLine]:
    """Events from today to the Sunday of next week, each with its fill rate and waiting list,
    after the count of full events and of people waiting (what asks for a decision: a bigger
    room, a second date)."""
    today = timezone.localdate()
    next_sunday = today + timedelta(days=13 - today.weekday())
    events = list(
        Event.objects.published()
        .filter(
            start__gte=_local_midnight(today),
            start__lt=_local_midnight(next_sunday) + timedelta(1),
        )
        .annotate(
            waiting=Count("registrations", filter=Q(registrations__status="waiting")),
            waiting_seats=Sum("registrations__seats", filter=Q(registrations__status="waiting")),
        )
        .order_by("start")
    )
    lines = _waiting_lines(events, next_sunday)
    for event in events:
        when = french_date(timezone.localtime(event.start), "D j N, H:i")
        label = _("%(when)s — %(title)s : %(seats)s/%(capacity)s places (%(rate)s)") % {
            "when": when,
            "title": event.title,
            "seats": event.confirmed_seats,
            "capacity": event.capacity,
            "rate": percent(event.fill_rate),
        }
        if event.waiting:
            label += " · " + _("%(count)s en attente") % {"count": event.waiting}
        lines.append(
            DashboardLine(label=label, url=reverse("hub:organiser_event", args=[event.pk]))
        )
    return lines


def _waiting_lines(events: list[Event], until: date) -> list[DashboardLine]:
    full = [event for event in events if event.is_full]
    waiting = sum(event.waiting_seats or 0 for event in events)
    if not (full or waiting):
        return []
    url = reverse("hub:organiser_home")
    until_label = french_date(until, "l j F")
    return [
        DashboardLine(
            _("Événements complets d'ici au %(day)s") % {"day": until_label}, url, len(full)
        ),
        DashboardLine(
            _("Places demandées en liste d'attente d'ici au %(day)s") % {"day": until_label},
            url,
            waiting,
        ),
    ]


def _fill_rate(seats: int, capacity: int) -> Decimal:
    if not capacity:
        return Decimal(0)
    return (Decimal(100) * seats / capacity).quantize(Decimal(1), ROUND_HALF_UP)


def _held_by_month(first: date, last: date) -> dict[date, dict[str, int]]:
    """Events held, seats offered and present participants per month, in one query."""
    start, end = _local_midnight(first), _local_midnight(last) + timedelta(days=1)
    present = (
        Registration.objects.filter(event=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
        .exclude(attended=False)
        .values("event")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    rows = (
        Event.objects.held_between(start, end)
        .annotate(month=TruncMonth("start"), present=Subquery(present))
        .values("month")
        .annotate(events=Count("pk"), capacity=Sum("capacity"), seats=Sum("present"))
        .order_by()
    )
    return {
        _as_date(row["month"]): {
            "events": row["events"],
            "capacity": row["capacity"] or 0,
            "seats": row["seats"] or 0,
        }
        for row in rows
    }


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def impact_indicators(first: date, last: date) -> list[Indicator]:
    """Events held, participants and fill rate between two days (inclusive), with the value of
    each month, from one query."""
    by_month = _held_by_month(first, last)
    empty = {"events": 0, "capacity": 0, "seats": 0}
    windows = [
        (window, by_month.get(window.replace(day=1), empty))
        for window, _ in month_windows(first, last)
    ]
    total = {key: sum(row[key] for _window, row in windows) for key in empty}

    def months(
        value: Callable[[dict[str, int]], int | Decimal],
    ) -> tuple[tuple[date, int | Decimal], ...]:
        return tuple((window, value(row)) for window, row in windows)

    return [
        Indicator(
            key="events_held",
            label=_("Événements organisés"),
            value=total["events"],
            description=_("Rendez-vous publiés dans l'agenda et tenus (hors annulations)."),
            months=months(lambda row: row["events"]),
        ),
        Indicator(
            key="event_participants",
            label=_("Participations"),
            value=total["seats"],
            unit=_("places"),
            description=_(
                "Places confirmées aux événements tenus, sans les absences pointées par les "
                "organisateurs."
            ),
            months=months(lambda row: row["seats"]),
        ),
        Indicator(
            key="event_fill_rate",
            label=_("Taux de remplissage"),
            value=_fill_rate(total["seats"], total["capacity"]),
            unit="%",
            description=_("Participations rapportées aux places offertes par ces événements."),
            months=months(lambda row: _fill_rate(row["seats"], row["capacity"])),
        ),
    ]

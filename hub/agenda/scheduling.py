"""Creating, changing and cancelling events, with the room booked through the registry.

Rooms belong to another app (coworking) that registers a ``RoomBooker``; the hub never imports
it. The booker is called inside the event's transaction: when it refuses (``Conflict``), the
whole action is rolled back — a booker writing to the same database is rolled back with it —
and the organiser reads the booker's own French message.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.agenda import paid_seats
from hub.agenda.access import can_organise
from hub.agenda.emails import notify
from hub.agenda.registrations import lock_event, notify_promoted, promote_waiting
from hub.exceptions import Conflict
from hub.formatting import french_date
from hub.mail import absolute_url
from hub.models import (
    ACTIVE_STATUSES,
    Event,
    EventSeries,
    EventStatus,
    Recurrence,
    RegistrationStatus,
)
from hub.registry import RoomBooker, registry
from hub.workflow import other_fields, transition

MAX_OCCURRENCES = 60


def available_rooms() -> list[tuple[str, str]]:
    """Rooms offered by the apps that registered a room booker, as (key, label)."""
    return [room for booker in registry.room_bookers for room in booker.rooms()]


def _booker_for(key: str) -> tuple[RoomBooker, str]:
    for booker in registry.room_bookers:
        for room_key, label in booker.rooms():
            if room_key == key:
                return booker, label
    raise ValidationError({"room": _("Cette salle n'est pas proposée.")})


def _book_room(event: Event, by) -> None:
    if not event.room_key:
        event.room_label = event.room_booking = ""
        return
    booker, event.room_label = _booker_for(event.room_key)
    try:
        event.room_booking = booker.book(event.room_key, event.start, event.end, event.title, by)
    except Conflict as error:
        raise Conflict(error.message, field="room") from error


def _free_room(event: Event) -> None:
    if event.room_booking:
        booker, _label = _booker_for(event.room_key)
        booker.cancel(event.room_booking)
        event.room_booking = ""


def _check_organiser(by, event: Event) -> None:
    if not can_organise(by, event.structure):
        raise PermissionDenied(_("Vous n'organisez pas les événements de cette structure."))


@dataclass(frozen=True)
class Repeat:
    """« Every week » or « every Nth weekday of the month » until a date (inclusive)."""

    frequency: str
    until: date


def occurrence_starts(start: datetime, repeat: Repeat) -> list[datetime]:
    """The start of each date of a series, same local time of day (DST-safe)."""
    local = timezone.localtime(start).replace(tzinfo=None)
    until = datetime.combine(repeat.until, local.time())
    if repeat.frequency == Recurrence.WEEKLY:
        rule = rrule(WEEKLY, dtstart=local, until=until, count=None)
    else:
        rule = rrule(
            MONTHLY, dtstart=local, until=until, byweekday=weekday(local.weekday(), _ordinal(local))
        )
    starts = [timezone.make_aware(moment) for moment in rule[:MAX_OCCURRENCES]]
    return starts or [start]


def _ordinal(moment: datetime) -> int:
    """1 for the first Thursday of its month…, -1 for a fifth one (the last)."""
    ordinal = (moment.day - 1) // 7 + 1
    return -1 if ordinal == 5 else ordinal


def create_event(event: Event, *, by, repeat: Repeat | None = None) -> list[Event]:
    """Save a new event, or each date of a new series, booking the room for every date."""
    _check_organiser(by, event)
    starts = occurrence_starts(event.start, repeat) if repeat else [event.start]
    duration = event.end - event.start
    created = []
    with transaction.atomic():
        if repeat:
            local = timezone.localtime(event.start)
            event.series = EventSeries.objects.create(
                title=event.title,
                structure=event.structure,
                frequency=repeat.frequency,
                weekday=local.weekday(),
                week_of_month=_ordinal(local) if repeat.frequency == Recurrence.MONTHLY else None,
                until=repeat.until,
                created_by=by,
            )
        for start in starts:
            occurrence = _copy(event, start, duration) if created else event
            occurrence.created_by = by
            occurrence.full_clean()
            try:
                _book_room(occurrence, by)
            except Conflict as error:
                if not repeat:
                    raise
                day = french_date(timezone.localtime(start), "DATE_FORMAT")
                raise Conflict(f"{day} : {error.message}", field="room") from error
            occurrence.save()
            created.append(occurrence)
    return created


def _copy(event: Event, start: datetime, duration: timedelta) -> Event:
    shift = start - event.start
    copy = Event(
        **{
            field.attname: getattr(event, field.attname)
            for field in Event._meta.concrete_fields
            if not field.primary_key
        }
    )
    copy.start, copy.end = start, start + duration
    for name in ("registration_opens_at", "registration_closes_at"):
        if getattr(event, name):
            setattr(copy, name, getattr(event, name) + shift)
    return copy


def update_event(event: Event, *, by) -> Event:
    """Save an organiser's changes: rebook the room if needed, refuse a capacity below the
    confirmed seats, give new seats to the waiting list, tell participants of a move."""
    with transaction.atomic():
        before = lock_event(event.pk)
        _check_organiser(by, before)
        _check_organiser(by, event)
        if event.capacity < before.confirmed_seats:
            raise ValidationError(
                {
                    "capacity": _(
                        "%(seats)s places sont déjà confirmées : la capacité ne peut pas "
                        "descendre en dessous."
                    )
                    % {"seats": before.confirmed_seats}
                }
            )
        event.confirmed_seats = before.confirmed_seats
        moved = (before.start, before.end, before.room_key) != (
            event.start,
            event.end,
            event.room_key,
        )
        event.room_booking = before.room_booking
        if moved:
            _free_room(before)
            _book_room(event, by)
        event.full_clean()
        event.save(update_fields=other_fields(event))  # its status moves only by cancel_event
        promoted = promote_waiting(event) if event.capacity > before.confirmed_seats else []
        notify_promoted(promoted)
        if moved or before.place != event.place:
            for registration in event.registrations.filter(
                status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
            ).exclude(pk__in=[r.pk for r in promoted]):
                notify(registration, "event_changed")
    return event


def cancel_event(event: Event, *, by, following: bool = False) -> list[Event]:
    """Cancel an event (and the later dates of its series): free rooms, tell participants."""
    _check_organiser(by, event)
    events = [event]
    if following and event.series_id:
        events = list(
            Event.objects.filter(series_id=event.series_id, start__gte=event.start)
            .published()
            .order_by("start")
        )
    with transaction.atomic():
        cancelled = []
        for item in events:
            locked = lock_event(item.pk)
            if locked.status == EventStatus.CANCELLED:
                continue
            if locked.start <= timezone.now():
                raise Conflict(_("Un événement commencé ou passé ne peut pas être annulé."))
            _free_room(locked)
            transition(
                locked,
                EventStatus.CANCELLED,
                by=by,
                why=_("Événement annulé."),
                source="agenda.cancel_event",
                fields=["room_booking"],
            )
            for registration in locked.registrations.filter(status__in=ACTIVE_STATUSES):
                paid_seats.give_up(registration, _("Événement annulé."))
                notify(
                    registration,
                    "event_cancelled",
                    dedupe_key=f"event-cancelled:{registration.pk}",
                    agenda_url=absolute_url(reverse("hub:agenda")),
                )
            cancelled.append(locked)
    return cancelled

"""What the public and the tenants see of the spaces: opening hours, the Made in Calais studios
(free or let), requests for a studio, and a tenant's own leases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.models import (
    BookingMode,
    OpeningHours,
    Resource,
    ResourceKind,
    Space,
    StudioLease,
    StudioRequest,
    Weekday,
)
from coworking.services.atelier8 import coworking_team_emails
from hub.services import absolute_url, french_date, send_email, to_e164


def french_time(moment: time) -> str:
    """« 9 h », « 12 h 30 »: how opening hours are written in French."""
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


@dataclass(frozen=True)
class HoursLine:
    days: str
    hours: str


def _days_label(first: int, last: int) -> str:
    start, end = Weekday(first).label, Weekday(last).label
    if first == last:
        return str(start)
    if last == first + 1:
        return _("%(first)s et %(last)s") % {"first": start, "last": end}
    return _("du %(first)s au %(last)s") % {"first": start, "last": end}


def opening_hours_lines(hours: list[OpeningHours]) -> list[HoursLine]:
    """A space's week, consecutive days with the same hours grouped (« du lundi au vendredi :
    9 h – 12 h, 14 h – 18 h »); ``hours`` are the space's opening intervals (none: no line)."""
    if not hours:
        return []
    by_day: dict[int, list[str]] = {day: [] for day in Weekday.values}
    for opening in sorted(hours, key=lambda o: (o.weekday, o.opens)):
        by_day[opening.weekday].append(
            f"{french_time(opening.opens)} – {french_time(opening.closes)}"
        )
    lines, first = [], 0
    for day in Weekday.values:
        following = day + 1
        if following in by_day and by_day[following] == by_day[day]:
            continue
        text = ", ".join(by_day[day]) or _("fermé")
        lines.append(HoursLine(_days_label(first, day), text))
        first = following
    return lines


@dataclass(frozen=True)
class StudioState:
    studio: Resource
    free: bool
    until: date | None  # let until this day, or free until the next lease starts


def studios() -> QuerySet[Resource]:
    """The studios rented by lease in published spaces."""
    return (
        Resource.objects.filter(
            kind=ResourceKind.STUDIO,
            booking_mode=BookingMode.LEASE,
            is_active=True,
            space__is_published=True,
        )
        .select_related("space")
        .order_by("space__position", "position", "name")
    )


def studio_board(today: date | None = None) -> list[StudioState]:
    """Each studio, free or let today, and until when (two queries)."""
    today = today or timezone.localdate()
    leases = StudioLease.objects.filter(end_date__gte=today).order_by("start_date")
    board = []
    for studio in studios().prefetch_related(Prefetch("leases", leases, to_attr="coming")):
        current = next((lease for lease in studio.coming if lease.start_date <= today), None)
        if current is not None:
            board.append(StudioState(studio, False, current.end_date))
        else:
            following = next(iter(studio.coming), None)
            board.append(StudioState(studio, True, following.start_date if following else None))
    return board


def request_studio(
    user, activity: str, wanted_from: date, studio: Resource | None = None, phone: str = ""
) -> StudioRequest:
    """Record an artisan's request for a studio; the coworking team is e-mailed."""
    if wanted_from < timezone.localdate():
        raise ValidationError({"wanted_from": _("Choisissez une date à venir.")})
    if studio is not None and not studios().filter(pk=studio.pk).exists():
        raise ValidationError({"studio": _("Cet atelier n'est pas proposé à la location.")})
    with transaction.atomic():
        request = StudioRequest.objects.create(
            requester=user,
            studio=studio,
            activity=activity.strip(),
            wanted_from=wanted_from,
            phone=to_e164(phone),
        )
        url = absolute_url(reverse("admin:coworking_studiorequest_change", args=[request.pk]))
        for email in coworking_team_emails():
            send_email(
                email,
                "coworking/email/studio_request",
                {
                    "request": request,
                    "when": french_date(wanted_from, "j F Y"),
                    "url": url,
                },
            )
    return request


def leases_of(user) -> QuerySet[StudioLease]:
    """The studio leases held by ``user``, newest first, with their documents."""
    return (
        StudioLease.objects.filter(tenant=user)
        .select_related("studio__space")
        .prefetch_related("documents")
        .order_by("-start_date")
    )


def published_spaces() -> QuerySet[Space]:
    return Space.objects.filter(is_published=True).prefetch_related("opening_hours")

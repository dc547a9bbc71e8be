"""Aggregates for the staff dashboard and the public impact page (never about one person)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from coworking.models import (
    Application,
    ApplicationStatus,
    Booking,
    BookingMode,
    BookingSource,
    BookingStatus,
    OccupancyAgreement,
    ProofStatus,
    Resource,
    SolidarityProof,
    SpaceKind,
)
from coworking.services.reminders import agreements_ending_soon, leases_ending_soon
from coworking.services.schedule import SpaceCalendar, at, closures_of
from hub.services import DashboardLine, Indicator, month_windows


def dashboard_lines(user) -> list[DashboardLine]:
    """Today's to-dos of the coworking team, each linking to where it is done."""
    to_review = Application.objects.filter(
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]
    ).count()
    return [
        DashboardLine(
            _("Candidatures Atelier 8 à examiner"),
            reverse("coworking:staff_applications") + "?etat=submitted",
            to_review,
        ),
        DashboardLine(
            _("Baux d'ateliers qui finissent dans les deux mois"),
            reverse("admin:coworking_studiolease_changelist") + "?fin=2mois",
            len(leases_ending_soon()),
        ),
        DashboardLine(
            _("Conventions Atelier 8 qui finissent dans le mois"),
            reverse("admin:coworking_occupancyagreement_changelist") + "?fin=1mois",
            agreements_ending_soon().count(),
        ),
        DashboardLine(
            _("Justificatifs de tarif solidaire à examiner"),
            reverse("admin:coworking_solidarityproof_changelist") + "?status__exact=pending",
            SolidarityProof.objects.filter(status=ProofStatus.PENDING).count(),
        ),
    ]


def _percent(part: float, whole: float) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


class _CoworkingHours:
    """Open and booked hours of the coworking desks and rooms over a period, loaded in four
    queries, then measured over the period or any part of it."""

    def __init__(self, first: date, last: date):
        self.resources = list(
            Resource.objects.filter(
                space__kind=SpaceKind.COWORKING, booking_mode=BookingMode.ONLINE, is_active=True
            )
            .select_related("space")
            .prefetch_related("space__opening_hours")
        )
        spaces = {resource.space_id: resource.space for resource in self.resources}
        closures = closures_of(spaces.values(), first, last) if spaces else []
        self.calendars = {
            space_id: SpaceCalendar(space, first, last, closures)
            for space_id, space in spaces.items()
        }
        begin, finish = at(first, time.min), at(last + timedelta(days=1), time.min)
        self.bookings = list(
            Booking.objects.active()
            .filter(resource__in=self.resources, start__lt=finish, end__gt=begin)
            .values_list("start", "end")
        )

    def occupancy(self, first: date, last: date) -> Decimal:
        """Booked hours over open hours between two days of the period (inclusive), in %."""
        begin, finish = at(first, time.min), at(last + timedelta(days=1), time.min)
        open_seconds = booked_seconds = 0.0
        for resource in self.resources:
            calendar = self.calendars[resource.space_id]
            day = first
            while day <= last:
                for opens, closes in calendar.intervals_on(day):
                    open_seconds += (closes - opens).total_seconds() * resource.capacity
                day += timedelta(days=1)
        for start, end in self.bookings:
            if start < finish and end > begin:
                booked_seconds += (min(end, finish) - max(start, begin)).total_seconds()
        return _percent(booked_seconds, open_seconds)


class _Atelier8Days:
    """Place-days of Atelier 8 and the agreements covering them over a period (two queries)."""

    def __init__(self, first: date, last: date):
        resources = Resource.objects.filter(
            space__kind=SpaceKind.INCUBATOR, booking_mode=BookingMode.AGREEMENT, is_active=True
        )
        self.places = sum(resources.values_list("capacity", flat=True))
        self.agreements = list(
            OccupancyAgreement.objects.filter(
                resource__in=resources, start_date__lte=last, end_date__gte=first
            ).values_list("start_date", "end_date", "terminated_on")
        )

    def occupancy(self, first: date, last: date) -> Decimal:
        """Place-days covered by an agreement over all place-days, between two days, in %."""
        days = (last - first).days + 1
        covered = 0
        for start, end, terminated in self.agreements:
            if start <= last and end >= first:
                end = min(end, terminated or end, last)
                covered += max((end - max(start, first)).days + 1, 0)
        return _percent(covered, self.places * days)


def coworking_occupancy(first: date, last: date) -> Decimal:
    """Booked desk and room hours of the coworking spaces over their open hours, in %."""
    return _CoworkingHours(first, last).occupancy(first, last)


def atelier8_occupancy(first: date, last: date) -> Decimal:
    """Place-days of Atelier 8 covered by an agreement over all its place-days, in %."""
    return _Atelier8Days(first, last).occupancy(first, last)


def impact_indicators(first: date, last: date) -> list[Indicator]:
    """Occupancy of the coworking and of Atelier 8, and bookings made, over the period, with
    the value of each month (each figure's rows are loaded once for the whole period)."""
    begin, finish = at(first, time.min), at(last + timedelta(days=1), time.min)
    made = dict(
        Booking.objects.filter(source=BookingSource.ONLINE, start__gte=begin, start__lt=finish)
        .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.HELD])
        .annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
        .order_by()
    )
    made_by_month = {
        (month.date() if isinstance(month, datetime) else month): n for month, n in made.items()
    }
    windows = month_windows(first, last)
    coworking = _CoworkingHours(first, last)
    atelier8 = _Atelier8Days(first, last)
    return [
        Indicator(
            "coworking_occupancy",
            _("Taux d'occupation du coworking"),
            coworking.occupancy(first, last),
            "%",
            _("Heures réservées sur les heures d'ouverture, postes et salles du Lieu Commun."),
            months=tuple((start, coworking.occupancy(start, end)) for start, end in windows),
        ),
        Indicator(
            "atelier8_occupancy",
            _("Occupation d'Atelier 8"),
            atelier8.occupancy(first, last),
            "%",
            _("Part des places d'Atelier 8 prêtées sous convention sur la période."),
            months=tuple((start, atelier8.occupancy(start, end)) for start, end in windows),
        ),
        Indicator(
            "coworking_bookings",
            _("Réservations d'espaces"),
            sum(made_by_month.values()),
            "",
            _("Postes, salles et ateliers réservés en ligne."),
            months=tuple(
                (start, made_by_month.get(start.replace(day=1), 0)) for start, _end in windows
            ),
        ),
    ]

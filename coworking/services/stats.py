"""Aggregates for the staff dashboard and the public impact page (never about one person)."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

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
from coworking.services.schedule import SpaceCalendar, at
from hub.services import DashboardLine, Indicator


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


def coworking_occupancy(first: date, last: date) -> Decimal:
    """Booked desk and room hours of the coworking spaces over their open hours, in %."""
    resources = list(
        Resource.objects.filter(
            space__kind=SpaceKind.COWORKING, booking_mode=BookingMode.ONLINE, is_active=True
        )
        .select_related("space")
        .prefetch_related("space__opening_hours")
    )
    begin, finish = at(first, time.min), at(last + timedelta(days=1), time.min)
    open_seconds = booked_seconds = 0.0
    calendars = {}
    for resource in resources:
        if resource.space_id not in calendars:
            calendars[resource.space_id] = SpaceCalendar(resource.space, first, last)
        calendar = calendars[resource.space_id]
        day = first
        while day <= last:
            for opens, closes in calendar.intervals_on(day):
                open_seconds += (closes - opens).total_seconds() * resource.capacity
            day += timedelta(days=1)
    bookings = Booking.objects.active().filter(
        resource__in=resources, start__lt=finish, end__gt=begin
    )
    for start, end in bookings.values_list("start", "end"):
        booked_seconds += (min(end, finish) - max(start, begin)).total_seconds()
    return _percent(booked_seconds, open_seconds)


def atelier8_occupancy(first: date, last: date) -> Decimal:
    """Place-days of Atelier 8 covered by an agreement over all its place-days, in %."""
    resources = Resource.objects.filter(
        space__kind=SpaceKind.INCUBATOR, booking_mode=BookingMode.AGREEMENT, is_active=True
    )
    places = sum(resources.values_list("capacity", flat=True))
    days = (last - first).days + 1
    covered = 0
    agreements = OccupancyAgreement.objects.filter(
        resource__in=resources, start_date__lte=last, end_date__gte=first
    ).values_list("start_date", "end_date", "terminated_on")
    for start, end, terminated in agreements:
        end = min(end, terminated or end, last)
        covered += max((end - max(start, first)).days + 1, 0)
    return _percent(covered, places * days)


def impact_indicators(first: date, last: date) -> list[Indicator]:
    """Occupancy of the coworking and of Atelier 8, and bookings made, over the period."""
    begin, finish = at(first, time.min), at(last + timedelta(days=1), time.min)
    bookings = Booking.objects.filter(
        source=BookingSource.ONLINE, start__gte=begin, start__lt=finish
    ).exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.HELD])
    return [
        Indicator(
            "coworking_occupancy",
            _("Taux d'occupation du coworking"),
            coworking_occupancy(first, last),
            "%",
            _("Heures réservées sur les heures d'ouverture, postes et salles du Lieu Commun."),
        ),
        Indicator(
            "atelier8_occupancy",
            _("Occupation d'Atelier 8"),
            atelier8_occupancy(first, last),
            "%",
            _("Part des places d'Atelier 8 prêtées sous convention sur la période."),
        ),
        Indicator(
            "coworking_bookings",
            _("Réservations d'espaces"),
            bookings.count(),
            "",
            _("Postes, salles et ateliers réservés en ligne."),
        ),
    ]

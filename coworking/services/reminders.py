"""Scheduled e-mails: booking reminders, lease and agreement ends; public holidays as closures.

Each e-mail carries a dedupe key, so a job run twice (or retried) mails once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from coworking.models import (
    Booking,
    BookingSource,
    Closure,
    OccupancyAgreement,
    StudioLease,
)
from coworking.services.atelier8 import coworking_team_emails
from hub.services import absolute_url, send_email


def send_booking_reminders(today: date | None = None) -> int:
    """E-mail everyone who has a confirmed booking tomorrow; the number of bookings reminded."""
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    tz = timezone.get_current_timezone()
    bookings = (
        Booking.objects.active()
        .filter(
            source=BookingSource.ONLINE,
            start__gte=datetime.combine(tomorrow, time.min, tzinfo=tz),
            start__lt=datetime.combine(tomorrow + timedelta(days=1), time.min, tzinfo=tz),
        )
        .select_related("user", "resource__space")
    )
    url = absolute_url(reverse("coworking:my_bookings"))
    sent = 0
    for booking in bookings:
        sent += bool(
            send_email(
                booking.user.email,
                "coworking/email/booking_reminder",
                {"booking": booking, "url": url},
                dedupe_key=f"coworking:booking-reminder:{booking.pk}",
            )
        )
    return sent


def leases_ending_soon(today: date | None = None):
    """Leases ending within the reminder window with no following lease on the same studio."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.COWORKING_LEASE_REMINDER_DAYS)
    leases = StudioLease.objects.filter(end_date__gte=today, end_date__lte=horizon).select_related(
        "studio", "tenant", "tenant_structure"
    )
    followed = set(
        StudioLease.objects.filter(start_date__gt=today).values_list("studio_id", "start_date")
    )
    return [
        lease
        for lease in leases
        if not any(s == lease.studio_id and start > lease.end_date for s, start in followed)
    ]


def send_lease_reminders(today: date | None = None) -> int:
    """Tell the coworking team about leases to renew two months before they end."""
    url = absolute_url(reverse("admin:coworking_studiolease_changelist") + "?fin=2mois")
    team = coworking_team_emails()
    sent = 0
    for lease in leases_ending_soon(today):
        for email in team:
            sent += bool(
                send_email(
                    email,
                    "coworking/email/lease_reminder",
                    {"lease": lease, "url": url},
                    dedupe_key=f"coworking:lease-end:{lease.pk}:{lease.end_date}:{email}",
                )
            )
    return sent


def agreements_ending_soon(today: date | None = None):
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.COWORKING_AGREEMENT_REMINDER_DAYS)
    return OccupancyAgreement.objects.filter(
        terminated_on=None, end_date__gte=today, end_date__lte=horizon
    ).select_related("holder", "resource")


def send_agreement_reminders(today: date | None = None) -> int:
    """Remind the holder and the coworking team that an Atelier 8 agreement ends soon."""
    team = coworking_team_emails()
    sent = 0
    for agreement in agreements_ending_soon(today):
        url = absolute_url(reverse("coworking:agreement_detail", args=[agreement.pk]))
        for email in [agreement.holder.email, *team]:
            sent += bool(
                send_email(
                    email,
                    "coworking/email/agreement_reminder",
                    {"agreement": agreement, "url": url},
                    dedupe_key=f"coworking:agreement-end:{agreement.pk}:{agreement.end_date}:{email}",
                )
            )
    return sent


def add_public_holidays(year: int) -> int:
    """Close every space on the French public holidays of ``year``; the number added."""
    added = 0
    for day, name in sorted(holidays.France(years=year, language="fr").items()):
        _closure, created = Closure.objects.get_or_create(
            space=None, start_date=day, end_date=day, defaults={"reason": name}
        )
        added += created
    return added

"""The day-before reminder, and the clean-up of visitor registrations never confirmed."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from hub.agenda.emails import notify
from hub.models import EventStatus, Registration, RegistrationStatus


def send_reminders(today: date | None = None) -> int:
    """E-mail each confirmed participant of tomorrow's events once; returns how many were sent."""
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    registrations = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        event__status=EventStatus.PUBLISHED,
        event__start__gte=start,
        event__start__lt=start + timedelta(days=1),
    ).select_related("event", "event__structure")
    sent = 0
    for registration in registrations:
        key = f"event-reminder:{registration.pk}:{tomorrow:%Y%m%d}"
        if notify(registration, "event_reminder", dedupe_key=key) is not None:
            sent += 1
    return sent


def purge_unconfirmed() -> int:
    """Delete visitor registrations whose e-mail was never confirmed (personal data kept short)."""
    limit = timezone.now() - timedelta(days=settings.EVENT_PENDING_REGISTRATION_DAYS)
    deleted, _ = Registration.objects.filter(
        status=RegistrationStatus.PENDING, created_at__lt=limit
    ).delete()
    return deleted

"""Scheduled jobs of the spaces (declared in apps.py, editable in the admin). Idempotent."""

from django.utils import timezone

from anima.celery import resilient_task
from coworking.services import paid_bookings, reminders


@resilient_task
def send_booking_reminders() -> int:
    return reminders.send_booking_reminders()


@resilient_task
def send_lease_reminders() -> int:
    return reminders.send_lease_reminders()


@resilient_task
def send_agreement_reminders() -> int:
    return reminders.send_agreement_reminders()


@resilient_task
def add_next_year_public_holidays() -> int:
    return reminders.add_public_holidays(timezone.localdate().year + 1)


@resilient_task
def release_booking_holds() -> int:
    """Every few minutes: bookings held for an online payment past their time are freed."""
    return paid_bookings.release_expired_holds()

"""Scheduled jobs of the insertion app (idempotent: safe to run twice)."""

from django.utils import timezone

from anima.celery import resilient_task
from insertion import reminders, retention


@resilient_task
def send_insertion_reminders() -> int:
    """E-mail each counsellor what is due: contract and PASS ends, interviews, ESF+ checks."""
    return reminders.send_reminders(timezone.localdate())


@resilient_task
def anonymise_expired_records() -> int:
    """Anonymise records past their retention period and purge old access-log lines."""
    today = timezone.localdate()
    return retention.anonymise_expired(today) + retention.purge_access_log(today)

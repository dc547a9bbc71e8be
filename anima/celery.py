"""The Celery app: tasks autodiscovered in each Django app, beat schedules kept in the database."""

import os

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")

app = Celery("anima", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks talk to the database, the mail server or another service: transient failures of those
# (OSError covers sockets and SMTP) are retried with exponential backoff and jitter.
RETRY_POLICY = {
    "autoretry_for": (OSError, OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


def resilient_task(*args, **kwargs):
    """``app.task`` with the project's retry policy; use for every task."""
    return app.task(*args, **{**RETRY_POLICY, **kwargs})

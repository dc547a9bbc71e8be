"""The Celery app: tasks autodiscovered in each Django app, beat schedules kept in the database."""

import logging
import os
from functools import partial

from celery import Celery
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")

logger = logging.getLogger(__name__)

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


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task`` now; False, logged, when the broker cannot take it.

    Work is enqueued after its rows are committed: a broker outage must not turn that committed
    action into an error. What was not queued is found again by a scheduled sweep (stored
    e-mails: hub.tasks.resend_overdue_emails; payments: hub.tasks.reconcile_payments).
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (KombuError, RedisError):
        logger.exception("Could not queue %s%r; a sweep will pick the work up.", task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """``enqueue`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))

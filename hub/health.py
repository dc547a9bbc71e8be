"""Checks behind /healthz: database, broker, and when the worker and beat were last seen."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu import Connection

from hub.models import Heartbeat


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as error:
        return {"ok": False, "error": error.__class__.__name__}


def broker_state() -> dict:
    try:
        with Connection(
            str(settings.CELERY_BROKER_URL),
            transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
            connect_timeout=2,
        ) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return {"ok": True}
    except Exception as error:
        return {"ok": False, "error": error.__class__.__name__}


def heartbeat_states(database_ok: bool) -> dict:
    states = {name: {"last_seen": None, "late": True} for name in Heartbeat.Component.values}
    if not database_ok:
        return states
    stale_before = timezone.now() - timedelta(seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS)
    for beat in Heartbeat.objects.all():
        states[beat.component] = {
            "last_seen": beat.seen_at.isoformat(),
            "late": beat.seen_at < stale_before,
        }
    return states


def health_report() -> tuple[dict, bool]:
    """The JSON report and whether the service can take traffic (database and broker up)."""
    database = database_state()
    broker = broker_state()
    healthy = database["ok"] and broker["ok"]
    report = {
        "status": "ok" if healthy else "down",
        "database": database,
        "broker": broker,
        **heartbeat_states(database["ok"]),
    }
    return report, healthy

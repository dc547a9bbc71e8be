"""/healthz: what a load balancer and docker-compose call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.models import Heartbeat
from hub.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_it_reports_database_and_broker_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True}
    assert body["broker"] == {"ok": True}


def test_it_answers_503_when_the_broker_is_down(client, settings):
    # Nothing listens on port 1: the broker is unreachable.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["broker"]["ok"] is False
    assert body["database"] == {"ok": True}


def test_it_says_worker_and_beat_were_never_seen(client):
    body = client.get("/healthz").json()

    assert body["worker"] == {"last_seen": None, "late": True}
    assert body["beat"] == {"last_seen": None, "late": True}


def test_the_heartbeat_task_marks_the_worker_seen(client):
    heartbeat.delay()

    body = client.get("/healthz").json()
    assert body["worker"]["late"] is False
    assert body["worker"]["last_seen"]


def test_an_old_heartbeat_is_reported_late(client):
    Heartbeat.objects.create(
        component=Heartbeat.Component.BEAT, seen_at=timezone.now() - timedelta(minutes=10)
    )

    body = client.get("/healthz").json()
    assert body["beat"]["late"] is True
    assert body["beat"]["last_seen"]


def test_publishing_the_heartbeat_marks_beat_seen(client):
    from hub.signals import record_beat_alive

    record_beat_alive(sender="hub.tasks.heartbeat")
    record_beat_alive(sender="shop.tasks.something_else")

    assert client.get("/healthz").json()["beat"]["late"] is False
    assert Heartbeat.objects.count() == 1


def test_it_is_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_check_heartbeat_command_fails_when_beat_was_never_seen():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("check_heartbeat", "beat")
    Heartbeat.objects.create(component=Heartbeat.Component.BEAT)
    call_command("check_heartbeat", "beat")

"""A real worker process executes tasks sent through Redis; the test sees their effect."""

import pytest
from django.conf import settings

from hub.models import Heartbeat, OutgoingEmail
from hub.services import send_email
from hub.tasks import heartbeat
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def test_the_broker_is_redis():
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_a_worker_process_runs_a_task_sent_through_redis(celery_worker_process):
    heartbeat.delay()

    assert wait_for(
        lambda: Heartbeat.objects.filter(component=Heartbeat.Component.WORKER).exists()
    ), "the worker did not record its heartbeat"


def test_an_email_is_sent_by_the_worker_after_commit(celery_worker_process):
    email = send_email(
        "camille@exemple.fr", "account/email/password_reset_key", {"password_reset_url": "u"}
    )

    assert wait_for(lambda: OutgoingEmail.objects.get(pk=email.pk).sent_at is not None)

"""Beat schedules declared by apps exist after migrate and keep what staff change."""

import pytest
from django_celery_beat.models import PeriodicTask

from hub.registry import registry
from hub.schedules import ensure_periodic_tasks

pytestmark = pytest.mark.django_db


def test_every_declared_schedule_exists_after_migrate():
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {spec.name for spec in registry.periodic} <= names


def test_a_schedule_changed_by_staff_is_not_overwritten():
    task = PeriodicTask.objects.get(task="hub.tasks.heartbeat")
    task.enabled = False
    task.save()

    ensure_periodic_tasks()

    assert PeriodicTask.objects.get(task="hub.tasks.heartbeat").enabled is False
    assert PeriodicTask.objects.filter(task="hub.tasks.heartbeat").count() == 1

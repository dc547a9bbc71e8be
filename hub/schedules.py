"""Beat schedules declared by the apps, created once in django-celery-beat's tables.

Created when missing and never overwritten, so what staff change in the admin stays.
"""

import json

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from hub.registry import PeriodicTaskSpec, registry


def _schedule_fields(spec: PeriodicTaskSpec) -> dict:
    if spec.every_seconds:
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=spec.every_seconds, period=IntervalSchedule.SECONDS
        )
        return {"interval": interval}
    crontab, _ = CrontabSchedule.objects.get_or_create(
        timezone="Europe/Paris",
        **{
            "minute": "0",
            "hour": "*",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            **(spec.crontab or {}),
        },
    )
    return {"crontab": crontab}


def ensure_periodic_tasks(**kwargs) -> None:
    existing = set(PeriodicTask.objects.values_list("name", flat=True))
    for spec in registry.periodic:
        if spec.name in existing:
            continue
        kwargs_json = json.dumps({})
        PeriodicTask.objects.create(
            name=spec.name,
            task=spec.task,
            description=spec.description,
            kwargs=kwargs_json,
            **_schedule_fields(spec),
        )

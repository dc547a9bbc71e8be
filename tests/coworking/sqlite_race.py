"""Helper run as separate processes by test_sqlite_fallback.py (not a test module)."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")
django.setup()

from datetime import datetime, timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402


def start_at() -> datetime:
    day = timezone.localdate() + timedelta(days=2)
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def setup(capacity: int, people: int) -> None:
    from coworking.models import OpeningHours, Resource, ResourceKind, Space, SpaceKind
    from hub.models import User

    space = Space.objects.create(name="Course", slug="course", kind=SpaceKind.COWORKING)
    for weekday in range(7):
        OpeningHours.objects.create(space=space, weekday=weekday, opens="00:00", closes="23:00")
    pool = Resource.objects.create(
        space=space, name="Postes", kind=ResourceKind.DESK_POOL, capacity=capacity
    )
    for index in range(people):
        User.objects.create_user(f"p{index}@exemple.fr")
    print(pool.pk)


def attempt(pool_id: int, index: int) -> None:
    """Say « ready », wait for the test's « go » on stdin, then try to book."""
    from coworking.services import book
    from hub.exceptions import Conflict
    from hub.models import User

    user = User.objects.get(email=f"p{index}@exemple.fr")
    begins = start_at() + timedelta(hours=9)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        book(user, pool_id, begins, begins + timedelta(hours=1))
        print("ok")
    except Conflict:
        print("conflict")


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), int(sys.argv[3]))
    else:
        attempt(int(sys.argv[2]), int(sys.argv[3]))

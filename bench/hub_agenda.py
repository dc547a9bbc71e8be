"""Time the agenda, an event page and the impact page at two data sizes, with query counts.

Run from the repository root (a throwaway SQLite database under a temporary folder):

    python bench/hub_agenda.py            # 200 and 2,000 events
    python bench/hub_agenda.py 500 5000   # other sizes

Each page is fetched 20 times through Django's test client; the median time and the number
of queries per request are printed. Query counts must not grow with the data.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["ANIMA_VAR_DIR"] = tempfile.mkdtemp(prefix="anima-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "anima.settings"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from hub.models import Event, EventKind, Registration, Structure  # noqa: E402

REPEATS = 20


def add_events(count: int) -> None:
    structure = Structure.objects.first()
    now = timezone.now()
    kinds = EventKind.values
    events = Event.objects.bulk_create(
        Event(
            title=f"Événement {n}",
            kind=kinds[n % len(kinds)],
            structure=structure,
            place="Pôle Anima",
            start=now + timedelta(hours=n - count // 3),
            end=now + timedelta(hours=n - count // 3 + 2),
            capacity=20,
            confirmed_seats=5,
        )
        for n in range(count)
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name="Participant",
            email=f"p{event.pk}-{i}@exemple.fr",
            status="confirmed",
            queued_at=now,
            token=f"bench-{event.pk}-{i}",
        )
        for event in events
        for i in range(5)
    )


def measure(client: Client, path: str) -> tuple[float, int]:
    timings, queries = [], 0
    for _ in range(REPEATS):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(captured.captured_queries)
    return statistics.median(timings), queries


def main(sizes: list[int]) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    client = Client()
    total = 0
    print(f"{'events':>8}  {'page':<28} {'median ms':>10} {'queries':>8}")
    for size in sizes:
        add_events(size - total)
        total = size
        event = Event.objects.upcoming().first()
        for path in ("/agenda/", "/agenda/?type=bike_repair", event.get_absolute_url(), "/impact/"):
            median, queries = measure(client, path)
            print(f"{size:>8}  {path:<28} {median:>10.1f} {queries:>8}")
    print(
        datetime.now().isoformat(timespec="seconds"),
        "database:",
        settings.DATABASES["default"]["NAME"],
    )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [200, 2000])

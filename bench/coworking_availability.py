"""Week view and availability API of the coworking desks with many bookings, against a bare
Django view, on gunicorn + PostgreSQL.

.venv/bin/pip install -e ".[bench]" && .venv/bin/python bench/coworking_availability.py \
    [--users 20 --seconds 30 --bookings 3000]
"""

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    bench_env,
    ensure_database,
    gunicorn,
    print_report,
    run_locust,
)

# Fills the next weeks of the demo desk pool with bookings written directly (no e-mails), up to
# the requested number, so that the pages read a realistic amount of data.
FILL = """
from datetime import datetime, time, timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from coworking.models import Booking, Resource
pool = Resource.objects.get(name="Plateau de coworking")
wanted = {count} - Booking.objects.filter(resource=pool).count()
user = get_user_model().objects.get(email="coworker@demo.anima-calais.fr")
tz = timezone.get_current_timezone()
rows, day = [], timezone.localdate() + timedelta(days=1)
while len(rows) < wanted:
    for hour in range(9, 18):
        for _ in range(pool.capacity // 2):
            start = datetime.combine(day, time(hour), tzinfo=tz)
            end = start + timedelta(hours=1)
            rows.append(Booking(resource=pool, user=user, start=start, end=end))
    day += timedelta(days=1)
Booking.objects.bulk_create(rows[: max(wanted, 0)])
print(pool.pk)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--bookings", type=int, default=3000)
    args = parser.parse_args()
    env = bench_env()
    ensure_database(env)
    pool_id = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", FILL.format(count=args.bookings)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    env["BENCH_POOL_ID"] = pool_id
    with gunicorn(env) as url:
        stats = run_locust(
            Path(__file__).with_name("coworking_locust_availability.py"),
            url,
            args.users,
            args.seconds,
        )
    print_report(stats, baseline="bare view")


if __name__ == "__main__":
    main()

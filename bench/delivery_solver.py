"""Round optimisation: 60 stops (24 deliveries, 36 pickups) over 4 cargo bikes.

    .venv/bin/python bench/delivery_solver.py [--runs 5] [--time-limit 1.0]

Prints the wall-clock time of each solve (matrix, model and search), the distance ridden and
any delivery left unplaced. The target: under 2 seconds on a 2-core machine.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")

import django

django.setup()

from delivery.routing import Bike, Job, Options, Pickup, Point, solve  # noqa: E402

HUB = Point(50.9513, 1.8587)
H = 3600
SLOTS = [(10 * H, 12 * H), (14 * H, 16 * H), (17 * H, 19 * H)]


def scattered(rng: random.Random, radius_deg: float) -> Point:
    return Point(
        HUB.lat + rng.uniform(-radius_deg, radius_deg) * 0.65,
        HUB.lon + rng.uniform(-radius_deg, radius_deg),
    )


def day_of_deliveries(seed: int) -> list[Job]:
    rng = random.Random(seed)
    shops = [scattered(rng, 0.006) for _ in range(8)]
    jobs = []
    for n in range(24):
        count = 1 if n % 2 else 2
        pickups = tuple(
            Pickup(f"j{n}-p{i}", rng.choice(shops), rng.randint(500, 9000)) for i in range(count)
        )
        jobs.append(Job(f"j{n}", pickups, scattered(rng, 0.03), SLOTS[n % 3]))
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--time-limit", type=float, default=1.0)
    args = parser.parse_args()
    bikes = [Bike(f"velo-{n}", 80_000, (9 * H, 19 * H)) for n in range(4)]
    options = Options(depot=HUB, time_limit_s=args.time_limit)
    print(f"{'run':>4}{'stops':>7}{'seconds':>9}{'km':>8}{'routes':>8}{'unplaced':>10}")
    worst = 0.0
    for run in range(args.runs):
        jobs = day_of_deliveries(run)
        stops = sum(len(job.pickups) + 1 for job in jobs)
        started = time.perf_counter()
        plan = solve(jobs, bikes, options)
        elapsed = time.perf_counter() - started
        worst = max(worst, elapsed)
        print(
            f"{run:>4}{stops:>7}{elapsed:>9.2f}{plan.distance_m / 1000:>8.1f}"
            f"{len(plan.routes):>8}{len(plan.unplaced):>10}"
        )
    verdict = "OK" if worst < 2 else "TOO SLOW"
    print(f"worst {worst:.2f} s for 60 stops over 4 bikes (target < 2 s): {verdict}")


if __name__ == "__main__":
    main()

"""Round optimisation on Calais-like afternoons: 20, 60, 120 and 240 stops.

    .venv/bin/python bench/delivery_solver.py [--json] [--sizes 20 60 120 240]

Each case: shops clustered in the town centre (a third of them closed until 14 h), drop-offs
anywhere within 3 km, 1–2 hour slots between 14 h and 19 h, parts ready 15 to 90 minutes
before their slot, 80 kg bikes whose couriers work 13 h 30 – 19 h 30. Prints per case the
deliveries placed and left out, km, bikes used, CPU seconds (this process, all threads) and
the gap to a reference plan found with ten times the search (ten runs on the jobs in seeded
orders, the best kept). Targets on the 2-core machine: 60 stops / 4 bikes complete in
≤ 0.5 s CPU within 2 %; 240 stops / 6 bikes complete in ≤ 5 s CPU within 3 %.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")

import django

django.setup()

from delivery.routing import (  # noqa: E402
    UNPLACED_COST,
    Bike,
    Job,
    Options,
    Pickup,
    Plan,
    Point,
    solve,
)

H = 3600
HUB = Point(50.9536, 1.8592)
CENTRE = Point(50.9513, 1.8587)
SLOTS = [(14 * H, 16 * H), (15 * H, 16 * H), (16 * H, 18 * H), (17 * H, 18 * H), (17 * H, 19 * H)]
SHIFT = (13 * H + 1800, 19 * H + 1800)
BIKES_FOR = {20: 2, 60: 4, 120: 5, 240: 6}


def around(rng: random.Random, centre: Point, radius_m: float) -> Point:
    """A point uniformly spread in a disc of ``radius_m`` around ``centre``."""
    r, angle = radius_m * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return Point(
        centre.lat + r * math.cos(angle) / 111_320,
        centre.lon + r * math.sin(angle) / (111_320 * math.cos(math.radians(centre.lat))),
    )


def calais_case(stops: int, seed: int = 1) -> tuple[list[Job], list[Bike]]:
    """Deliveries of one, two or three shops (55 / 30 / 15 %) until ``stops`` stops."""
    rng = random.Random(seed * 7919 + stops)
    shops = [
        (f"shop-{n}", around(rng, CENTRE, 450), ((14 * H, 19 * H),) if n % 3 == 0 else ())
        for n in range(24)
    ]
    shops = [(key, point, opening or ((9 * H + 1800, 19 * H),)) for key, point, opening in shops]
    jobs, count = [], 0
    while count < stops:
        left = stops - count
        parts = min(rng.choices([1, 2, 3], weights=[55, 30, 15])[0], left - 1)
        if left - parts - 1 == 1:  # never leave a single stop over: it cannot be a delivery
            parts = parts + 1 if parts < 3 else parts - 1
        window = rng.choice(SLOTS)
        chosen = rng.sample(shops, parts)
        n = len(jobs)
        pickups = tuple(
            Pickup(
                f"d{n}-p{i}",
                point,
                rng.randint(300, 4000),
                place=key,
                opening=opening,
                ready_s=window[0] - rng.randint(15, 90) * 60,
            )
            for i, (key, point, opening) in enumerate(chosen)
        )
        jobs.append(Job(f"d{n}", pickups, around(rng, CENTRE, 3000), window))
        count += parts + 1
    bikes = [Bike(f"velo-{n}", 80_000, SHIFT) for n in range(BIKES_FOR.get(stops, 4))]
    return jobs, bikes


def run(jobs, bikes, options) -> tuple[Plan, float]:
    started = time.process_time()
    plan = solve(jobs, bikes, options)
    return plan, time.process_time() - started


def measure_case(stops: int, seed: int) -> dict:
    jobs, bikes = calais_case(stops, seed)
    options = Options(depot=HUB)
    plan, cpu = run(jobs, bikes, options)
    reference, _ = run(jobs, bikes, Options(depot=HUB, restarts=10 * options.restarts))
    cost, best = plan_cost(plan, options), plan_cost(reference, options)
    return {
        "stops": sum(len(job.pickups) + 1 for job in jobs),
        "bikes": len(bikes),
        "placed": len(jobs) - len(plan.unplaced),
        "unplaced": len(plan.unplaced),
        "km": round(plan.distance_m / 1000, 2),
        "bikes_used": len(plan.routes),
        "cpu_s": round(cpu, 3),
        "gap_pct": round(100 * (cost - best) / best, 2) if best else 0.0,
    }


def plan_cost(plan: Plan, options: Options) -> int:
    """The solver's objective (riding time plus a fixed cost per bike used); a left-out
    delivery costs more than any plan that carries it."""
    return plan.cost(options) + UNPLACED_COST * len(plan.unplaced)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per case")
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 60, 120, 240])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = [measure_case(stops, args.seed) for stops in args.sizes]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    header = ["stops", "bikes", "placed", "unplaced", "km", "bikes_used", "cpu_s", "gap_pct"]
    print("".join(f"{name:>11}" for name in header))
    for row in rows:
        print("".join(f"{row[name]:>11}" for name in header))


if __name__ == "__main__":
    main()

"""Which engine plans the rounds: OR-Tools (the model Anima used before), PyVRP and VROOM on
the same cases, in one run, every plan checked and measured by the same schedule.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/delivery_engines.py [--sizes 20 60 120 240] [--seeds 1 2 3]

Cases: the Calais-like afternoons of ``bench/delivery_solver.py`` ("calais"), the same with
shops always open and parts ready ("open": all the former OR-Tools model could express), plus
the Li & Lim PDPTW instance lrc206 (100 tasks) that PyVRP's source distribution ships for its
own benchmarks (``--lilim path/to/lrc206.vrp``; the benchmark cannot be downloaded at run time).

For each engine and case: deliveries placed (complete, on one bike, every window, load and
hour kept as checked by ``delivery.routing``'s own schedule), orders split over two bikes,
km, bikes used, courier hours, CPU seconds. Budgets: OR-Tools at its former 1 s limit and at
10 s; PyVRP at 1,000 and 10,000 iterations; VROOM at exploration level 5 (one run), and ten
runs (``restarts=10``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anima.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import ortools_round_model as old  # noqa: E402
import pyvrp  # noqa: E402
from delivery_solver import HUB, calais_case  # noqa: E402
from pyvrp.stop import MaxIterations  # noqa: E402

from delivery import routing  # noqa: E402

# --- One yardstick for every engine ---------------------------------------------------------


def evaluate(engine: str, case: str, jobs, bikes, options, routes, cpu: float) -> dict:
    """``routes``: per bike key, a list of (job key, "pickup" | "dropoff", pickup key)."""
    places = routing._Places(options, jobs, bikes)
    by_key = {job.key: job for job in jobs}
    steps_of = {}
    for job in jobs:
        pickups, dropoff = routing._job_steps(job, places)
        steps_of[job.key] = ({s.pickup.key: s for s in pickups}, dropoff)
    seen: dict[str, set[str]] = {}
    for bike_key, visits in routes.items():
        for job_key, _kind, _pickup in visits:
            seen.setdefault(job_key, set()).add(bike_key)
    split = {key for key, carriers in seen.items() if len(carriers) > 1}
    placed, km, hours, used, broken = 0, 0.0, 0.0, 0, 0
    for bike in bikes:
        visits = [v for v in routes.get(bike.key, []) if v[0] not in split]
        steps = []
        for job_key, kind, pickup_key in visits:
            pickups, dropoff = steps_of[job_key]
            steps.append(pickups[pickup_key] if kind == "pickup" else dropoff)
        steps = routing._merge_dropoffs(steps)
        steps = routing._complete_jobs_only(steps)
        if not steps:
            continue
        schedule = routing._best_with_breaks(bike, steps, places)
        if not schedule.ok:
            broken += 1
            continue
        used += 1
        placed += len(routing._jobs_of(steps))
        km += schedule.distance_m / 1000
        hours += (schedule.end_s - schedule.start_s) / 3600
    assert set(by_key) >= set(seen)
    return {
        "case": case,
        "engine": engine,
        "jobs": len(jobs),
        "placed": placed,
        "split": len(split),
        "broken_routes": broken,
        "km": round(km, 2),
        "bikes_used": used,
        "hours": round(hours, 2),
        "cpu_s": round(cpu, 2),
    }


def visits_of(plan: routing.Plan) -> dict:
    return {
        route.bike_key: [(s.job_key, s.kind, s.pickup_key) for s in route.stops]
        for route in plan.routes
    }


# --- VROOM (delivery.routing) ----------------------------------------------------------------


def run_vroom(jobs, bikes, options, restarts: int):
    started = time.process_time()
    plan = routing.solve(jobs, bikes, replace(options, restarts=restarts))
    return visits_of(plan), time.process_time() - started


# --- OR-Tools: the former model (pickups chained in their best order, no shop hours) ---------


def run_ortools(jobs, bikes, options, seconds: float):
    started = time.process_time()
    old_jobs = [
        old.Job(
            job.key,
            tuple(
                old.Pickup(p.key, old.Point(p.point.lat, p.point.lon), p.weight_g)
                for p in job.pickups
            ),
            old.Point(job.dropoff.lat, job.dropoff.lon),
            job.window,
        )
        for job in jobs
    ]
    old_bikes = [old.Bike(b.key, b.payload_g, b.window) for b in bikes]
    old_options = old.Options(
        depot=old.Point(options.depot.lat, options.depot.lon),
        detour_factor=options.detour_factor,
        speed_kmh=options.speed_kmh,
        time_limit_s=seconds,
    )
    plan = old.solve(old_jobs, old_bikes, old_options)
    routes = {
        route.bike_key: [(s.job_key, s.kind, s.pickup_key) for s in route.stops]
        for route in plan.routes
    }
    return routes, time.process_time() - started


# --- PyVRP 0.14: one shipment per shop part; setups folded into the matrix -------------------


def run_pyvrp(jobs, bikes, options, iterations: int):
    started = time.process_time()
    places = routing._Places(options, jobs, bikes)
    count = len(places.points)
    setup = [0] * count
    shipments, owners = [], []
    for job in jobs:
        pickups, dropoff = routing._job_steps(job, places)
        setup[dropoff.place] = dropoff.setup_s
        for step in pickups:
            setup[step.place] = step.setup_s
            # PyVRP takes one window per step: the first opening period that reaches the slot.
            early, late = next(
                ((a, b) for a, b in step.windows if a < job.window[1]), step.windows[0]
            )
            shipments.append(
                pyvrp.Shipment(
                    step.place,
                    dropoff.place,
                    pickup_tw_early=early + step.setup_s,
                    pickup_tw_late=late + step.setup_s,
                    pickup_service_duration=step.service_s,
                    delivery_tw_early=job.window[0] + dropoff.setup_s,
                    delivery_tw_late=job.window[1] + dropoff.setup_s,
                    delivery_service_duration=dropoff.service_s,
                    amount=[step.load_g],
                )
            )
            owners.append((job.key, step.pickup.key))
    durations = np.array(
        [
            [0 if i == j else places.seconds[i][j] + setup[j] for j in range(count)]
            for i in range(count)
        ],
        dtype=np.int64,
    )
    distances = np.array(places.metres, dtype=np.int64)
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(p.lon, p.lat) for p in places.points],
        clients=[],
        depots=[pyvrp.Depot(places.hub)],
        vehicle_types=[
            pyvrp.VehicleType(
                1,
                capacity=[bike.payload_g],
                tw_early=bike.window[0],
                tw_late=bike.window[1],
                fixed_cost=options.bike_cost_s,
                # Li & Lim minimise distance; Anima minimises courier time.
                unit_distance_cost=int(isinstance(options.travel, Euclid)),
                unit_duration_cost=int(not isinstance(options.travel, Euclid)),
            )
            for bike in bikes
        ],
        distance_matrices=[distances],
        duration_matrices=[durations],
        shipments=shipments,
    )
    result = pyvrp.solve(data, stop=MaxIterations(iterations), seed=1, display=False)
    routes = {}
    if result.best.is_feasible():
        for route in result.best.routes():
            visits = []
            for activity in route.schedule():
                if activity.is_pickup() or activity.is_delivery():
                    job_key, pickup_key = owners[activity.idx]
                    kind = "pickup" if activity.is_pickup() else "dropoff"
                    visits.append((job_key, kind, pickup_key if kind == "pickup" else None))
            routes[bikes[route.vehicle_type()].key] = visits
    return routes, time.process_time() - started


# --- Li & Lim: lrc206 from PyVRP's source distribution ---------------------------------------


class Euclid:
    """Li & Lim's plane: distance and time are the Euclidean distance (PyVRP scaled it ×1000)."""

    def matrix(self, points):
        metres = [[round(np.hypot(a.lat - b.lat, a.lon - b.lon)) for b in points] for a in points]
        return metres, metres


def without_shop_hours(jobs):
    """The same deliveries with shops always open and parts ready: what the former model
    could express, so that all three engines solve the same problem."""
    return [
        replace(job, pickups=tuple(replace(p, opening=(), ready_s=0) for p in job.pickups))
        for job in jobs
    ]


def lilim_case(path: str):
    data = pyvrp.read(path, round_func="exact")
    loc = data.locations()
    depot = data.depots()[0]
    point = [routing.Point(loc[i].y, loc[i].x) for i in range(len(loc))]
    jobs = []
    for n, ship in enumerate(data.shipments()):
        pickup = routing.Pickup(
            f"s{n}",
            point[ship.pickup.location],
            ship.amount[0],
            place=f"L{ship.pickup.location}",
            opening=((ship.pickup.tw_early, ship.pickup.tw_late),),
        )
        jobs.append(
            routing.Job(
                f"s{n}",
                (pickup,),
                point[ship.delivery.location],
                (ship.delivery.tw_early, ship.delivery.tw_late),
            )
        )
    vehicle = data.vehicle_type(0)
    bikes = [
        routing.Bike(f"v{n}", vehicle.capacity[0], (vehicle.tw_early, min(vehicle.tw_late, 10**9)))
        for n in range(vehicle.num_available)
    ]
    options = routing.Options(
        depot=point[depot.location],
        travel=Euclid(),
        bike_cost_s=10**7,
        pickup_setup_s=0,
        dropoff_setup_s=0,
        parcel_s=data.shipments()[0].pickup.service_duration,
    )
    return jobs, bikes, options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 60, 120, 240])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--lilim", default="")
    parser.add_argument("--quick", action="store_true", help="only the small budgets")
    args = parser.parse_args()
    cases = []
    for seed in args.seeds:
        for stops in args.sizes:
            jobs, bikes = calais_case(stops, seed)
            options = routing.Options(depot=HUB)
            cases.append((f"open-{stops}-s{seed}", without_shop_hours(jobs), bikes, options))
            cases.append((f"calais-{stops}-s{seed}", jobs, bikes, options))
    if args.lilim:
        cases.append(("lrc206",) + lilim_case(args.lilim))
    engines = [
        ("ortools-1s", lambda j, b, o: run_ortools(j, b, o, 1.0)),
        ("pyvrp-1k", lambda j, b, o: run_pyvrp(j, b, o, 1000)),
        ("vroom-x5", lambda j, b, o: run_vroom(j, b, o, 1)),
    ]
    if not args.quick:
        engines += [
            ("ortools-10s", lambda j, b, o: run_ortools(j, b, o, 10.0)),
            ("pyvrp-10k", lambda j, b, o: run_pyvrp(j, b, o, 10000)),
            ("vroom-x5-10runs", lambda j, b, o: run_vroom(j, b, o, 10)),
        ]
    columns = [
        "case",
        "engine",
        "jobs",
        "placed",
        "split",
        "broken_routes",
        "km",
        "bikes_used",
        "hours",
        "cpu_s",
    ]
    print("".join(f"{c:>16}" for c in columns), flush=True)
    for name, jobs, bikes, options in cases:
        for engine, run in engines:
            if engine.startswith("ortools") and not name.startswith("open"):
                continue  # the former model knows neither shop hours nor a plane's distances
            routes, cpu = run(jobs, bikes, options)
            row = evaluate(engine, name, jobs, bikes, options, routes, cpu)
            print("".join(f"{row[c]!s:>16}" for c in columns), flush=True)


if __name__ == "__main__":
    main()

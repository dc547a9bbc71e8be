"""Cargo-bike rounds: which bike carries which delivery, and in what order, solved with VROOM.

A job is one delivery: one pickup per shop of the order, then one drop-off, all on the same
bike, every pickup before the drop-off. Each pickup is a VROOM shipment (shop → door): the
solver keeps payload and volume, the drop-off window of the slot, the shop's opening hours and
the time its part is ready, the courier's hours and maximum round duration, and the break the
law requires on a long round. Parcels taken at the same shop one after the other are one visit
(the shop's service time is a VROOM *setup*, counted once per visit); so are drop-offs at the
same door (a relay point). The objective is courier time plus a fixed cost per bike used.

Why VROOM (measured against OR-Tools and PyVRP in ``docs/delivery-solver.md``): native
shipments, setups, breaks and several windows per stop, a deterministic search bounded by its
exploration level, and the fastest of the three on our cases.

Never lie about a left-out delivery: before solving, checks that do not depend on the search
give the true reason a delivery can never fit (too heavy, no courier then, shop closed or not
ready in time, window out of reach even straight from the hub); after solving, every route is
checked again and each delivery the search left out is inserted wherever it fits; one that
still fits nowhere is reported with what blocks it in each round.

Pure functions on plain data: no database, so dispatch and the benchmark call it alike.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import vroom
from django.utils.translation import gettext as _

from hub.services import kilograms

EARTH_RADIUS_M = 6_371_000
DAY_S = 24 * 3600
# Seconds spent at a place: finding the shop or the door once per visit (setup), then each
# parcel handled there. A lone parcel: 3 min at a shop, 4 min at a door.
PICKUP_SETUP_S = 150
DROPOFF_SETUP_S = 210
PARCEL_S = 30
# Code du travail, art. L3121-16: as soon as daily work reaches 6 hours, at least 20 minutes'
# break in one go. A round whose courier reaches 6 hours of work during it takes that break.
BREAK_AFTER_S = 6 * 3600
BREAK_S = 20 * 60
BREAK_NOT_BEFORE_S = 2 * 3600  # after the shift start: a break at departure helps nobody
# Few bikes riding full rather than many riding empty: a bike costs as much as half an hour.
BIKE_COST_S = 1800
UNPLACED_COST = 10**9  # comparing plans: one more delivery placed beats any saving
DEFAULT_EFFORT = 5  # VROOM's exploration level: how many searches, how deep (0 to 5)


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


class TravelTimes(Protocol):
    """Where the solver gets every distance and riding time."""

    def matrix(self, points: Sequence[Point]) -> tuple[list[list[int]], list[list[int]]]:
        """(metres, seconds) from each point to each point, in the order given."""
        ...


def great_circle_m(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class StraightLine:
    """Great-circle distance stretched by the detour factor of city streets, ridden at a
    steady cargo-bike speed: the embedded default, with no routing service."""

    detour_factor: float = 1.3
    speed_kmh: float = 14.0

    def matrix(self, points: Sequence[Point]) -> tuple[list[list[int]], list[list[int]]]:
        metres = [
            [round(great_circle_m(a, b) * self.detour_factor) for b in points] for a in points
        ]
        speed = self.speed_kmh * 1000 / 3600
        return metres, [[round(m / speed) for m in row] for row in metres]


@dataclass(frozen=True)
class Pickup:
    """A shop's part of a delivery. ``place`` names the shop: parcels with the same place are
    taken in one visit. ``opening`` lists the shop's opening periods of the day (seconds of the
    day; empty: open all day); ``ready_s`` is when the part is (or is expected) ready."""

    key: str
    point: Point
    weight_g: int
    place: str = ""
    opening: tuple[tuple[int, int], ...] = ()
    ready_s: int = 0
    volume_l: float = 0
    label: str = ""

    @property
    def place_key(self) -> str:
        return self.place or f"{self.point.lat:.6f},{self.point.lon:.6f}"


@dataclass(frozen=True)
class Job:
    """One delivery: its pickups still to make, its drop-off and the drop-off window (seconds
    of the day). ``on_board_g`` is what is already on the bike (a round re-planned on the way)."""

    key: str
    pickups: tuple[Pickup, ...]
    dropoff: Point
    window: tuple[int, int]
    on_board_g: int = 0
    on_board_l: float = 0

    @property
    def weight_g(self) -> int:
        return self.on_board_g + sum(pickup.weight_g for pickup in self.pickups)

    @property
    def volume_l(self) -> float:
        return self.on_board_l + sum(pickup.volume_l for pickup in self.pickups)


@dataclass(frozen=True)
class Break:
    """A break of ``duration_s`` starting between ``earliest_s`` and ``latest_s``."""

    earliest_s: int
    latest_s: int
    duration_s: int = BREAK_S


@dataclass(frozen=True)
class Bike:
    """A bike with its courier for the round: payload, volume (None: not limiting), the
    window the round may use (seconds of the day, already cut to the courier's hours and
    maximum round duration), breaks, and where it starts (None: the hub)."""

    key: str
    payload_g: int
    window: tuple[int, int]
    volume_l: float | None = None
    breaks: tuple[Break, ...] = ()
    start: Point | None = None


def courier_breaks(shift: tuple[int, int], round_window: tuple[int, int]) -> tuple[Break, ...]:
    """The break a round must hold (L3121-16): when the courier's shift is longer than 6 hours
    and its 6-hour mark falls inside the round, a 20-minute break starts between 2 hours after
    the shift start (or the round's departure, if later) and that mark."""
    shift_start, shift_end = shift
    mark = shift_start + BREAK_AFTER_S
    if shift_end - shift_start <= BREAK_AFTER_S or not round_window[0] < mark < round_window[1]:
        return ()
    return (Break(max(round_window[0], shift_start + BREAK_NOT_BEFORE_S), mark),)


@dataclass(frozen=True)
class Options:
    depot: Point
    detour_factor: float = 1.3
    speed_kmh: float = 14.0
    travel: TravelTimes | None = None
    bike_cost_s: int = BIKE_COST_S
    effort: int = DEFAULT_EFFORT
    restarts: int = 1
    seed: int = 0
    threads: int = 1
    pickup_setup_s: int = PICKUP_SETUP_S
    dropoff_setup_s: int = DROPOFF_SETUP_S
    parcel_s: int = PARCEL_S

    @property
    def travel_times(self) -> TravelTimes:
        return self.travel or StraightLine(self.detour_factor, self.speed_kmh)


@dataclass(frozen=True)
class Stop:
    job_key: str
    kind: str  # "pickup" or "dropoff"
    pickup_key: str | None
    point: Point
    arrival_s: int  # when service starts there (after waiting for a window or a shop)
    load_g: int  # on board when leaving the stop
    visit: int = 0  # stops with the same number are one visit to one place


@dataclass(frozen=True)
class Route:
    bike_key: str
    stops: list[Stop]
    distance_m: int
    duration_s: int
    start_s: int = 0
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (start_s, duration_s)
    ride_s: int = 0  # riding time, without stops and waits


@dataclass(frozen=True)
class Unplaced:
    job_key: str
    reason: str


@dataclass
class Plan:
    routes: list[Route] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    @property
    def distance_m(self) -> int:
        return sum(route.distance_m for route in self.routes)

    @property
    def duration_s(self) -> int:
        return sum(route.duration_s for route in self.routes)

    def cost(self, options: Options) -> int:
        """The objective: riding time plus the fixed cost of each bike used."""
        return sum(route.ride_s for route in self.routes) + options.bike_cost_s * len(self.routes)


# --- Places and steps ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One task of a route: a pickup, a drop-off or a break, at a place of the matrix."""

    kind: str  # "pickup", "dropoff" or "break"
    job: Job | None
    pickup: Pickup | None
    place: int
    setup_s: int
    service_s: int
    windows: tuple[tuple[int, int], ...]
    load_g: int  # change of load
    load_l: float = 0
    brk: Break | None = None


class _Places:
    """Every distinct place of the problem (hub, bike starts, shops, doors) and the matrix."""

    def __init__(self, options: Options, jobs: Iterable[Job], bikes: Iterable[Bike]):
        self.options = options
        self.points: list[Point] = []
        self.index: dict[str, int] = {}
        self.hub = self.add("hub", options.depot)
        for bike in bikes:
            if bike.start is not None:
                self.add(f"start:{bike.key}", bike.start)
        for job in jobs:
            for pickup in job.pickups:
                self.add(f"shop:{pickup.place_key}", pickup.point)
            self.add(_door(job.dropoff), job.dropoff)
        self.metres, self.seconds = options.travel_times.matrix(self.points)

    def add(self, key: str, point: Point) -> int:
        if key not in self.index:
            self.index[key] = len(self.points)
            self.points.append(point)
        return self.index[key]

    def start_of(self, bike: Bike) -> int:
        return self.hub if bike.start is None else self.index[f"start:{bike.key}"]


def _door(point: Point) -> str:
    return f"door:{point.lat:.6f},{point.lon:.6f}"


def _pickup_windows(pickup: Pickup) -> tuple[tuple[int, int], ...]:
    """Opening periods from the time the part is ready."""
    periods = pickup.opening or ((0, DAY_S),)
    return tuple(
        (max(start, pickup.ready_s), end) for start, end in periods if end >= pickup.ready_s
    )


def _job_steps(job: Job, places: _Places) -> tuple[list[_Step], _Step]:
    options = places.options
    pickups = [
        _Step(
            "pickup",
            job,
            pickup,
            places.index[f"shop:{pickup.place_key}"],
            options.pickup_setup_s,
            options.parcel_s,
            _pickup_windows(pickup),
            pickup.weight_g,
            pickup.volume_l,
        )
        for pickup in job.pickups
    ]
    dropoff = _Step(
        "dropoff",
        job,
        None,
        places.index[_door(job.dropoff)],
        options.dropoff_setup_s,
        options.parcel_s,
        (job.window,),
        -job.weight_g,
        -job.volume_l,
    )
    return pickups, dropoff


# --- The schedule of a route (the one truth every check and every reported time uses) -------


@dataclass
class _Schedule:
    ok: bool
    blocked_by: str = ""  # "load", "volume", "window", "shop", "hours"
    begins: list[int] = field(default_factory=list)
    loads: list[int] = field(default_factory=list)
    distance_m: int = 0
    end_s: int = 0
    start_s: int = 0
    ride_s: int = 0


def _schedule(bike: Bike, steps: Sequence[_Step], places: _Places) -> _Schedule:
    """Ride the steps in order from the bike's start as early as possible, waiting for windows;
    say what breaks first if the order does not hold."""
    here, time = places.start_of(bike), bike.window[0]
    load = sum(s.job.on_board_g for s in steps if s.kind == "dropoff" and s.job.on_board_g)
    volume = sum(s.job.on_board_l for s in steps if s.kind == "dropoff" and s.job.on_board_l)
    result = _Schedule(True, start_s=time)
    for step in steps:
        if step.kind != "break":
            result.distance_m += places.metres[here][step.place]
            result.ride_s += places.seconds[here][step.place]
            time += places.seconds[here][step.place]
        arrival = time
        begin = next((max(arrival, a) for a, b in step.windows if arrival <= b), None)
        if begin is None:
            blocked = {"pickup": "shop", "dropoff": "window", "break": "hours"}[step.kind]
            return _Schedule(False, blocked)
        moved = step.kind != "break" and step.place != here
        time = begin + (step.setup_s if moved else 0) + step.service_s
        here = here if step.kind == "break" else step.place
        load += step.load_g
        volume += step.load_l
        if load > bike.payload_g:
            return _Schedule(False, "load")
        if bike.volume_l is not None and volume > bike.volume_l + 1e-9:
            return _Schedule(False, "volume")
        result.begins.append(begin)
        result.loads.append(load)
    result.distance_m += places.metres[here][places.hub]
    result.ride_s += places.seconds[here][places.hub]
    result.end_s = time + places.seconds[here][places.hub]
    if result.end_s > bike.window[1]:
        return _Schedule(False, "hours")
    return result


# --- Reasons that do not depend on the search ------------------------------------------------


def _clock(seconds: int) -> str:
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"


def _reason_before_solving(job: Job, bikes: list[Bike], places: _Places) -> str | None:
    """Why a job can never fit, whatever the other jobs: said plainly to dispatch."""
    if not bikes:
        return _("Aucun vélo ni coursier disponible pour ce créneau.")
    if job.weight_g > max(bike.payload_g for bike in bikes):
        return _("Trop lourd pour tous les vélos disponibles (%(weight)s).") % {
            "weight": kilograms(job.weight_g)
        }
    volumes = [bike.volume_l for bike in bikes]
    if None not in volumes and job.volume_l > max(volumes):
        return _("Trop volumineux pour tous les vélos disponibles (%(l)s L).") % {
            "l": f"{job.volume_l:.0f}"
        }
    working = [b for b in bikes if b.window[0] < job.window[1] and b.window[1] > job.window[0]]
    if not working:
        return _("Aucun coursier ne travaille pendant ce créneau (%(start)s – %(end)s).") % {
            "start": _clock(job.window[0]),
            "end": _clock(job.window[1]),
        }
    for pickup in job.pickups:
        windows = _pickup_windows(pickup)
        if not any(a < job.window[1] for a, _b in windows):
            return _shop_reason(pickup, job)
    if not any(_alone(job, bike, places).ok for bike in working):
        return _("Créneau intenable : même seul, le trajet dépasse la fenêtre de livraison.")
    return None


def _shop_reason(pickup: Pickup, job: Job) -> str:
    name = pickup.label or _("le commerce")
    if pickup.ready_s >= job.window[1]:
        return _("%(shop)s n'a pas la commande prête avant la fin du créneau (prête à %(at)s).") % {
            "shop": name,
            "at": _clock(pickup.ready_s),
        }
    return _("%(shop)s est fermé pendant tout le temps utile à cette livraison.") % {"shop": name}


def _alone(job: Job, bike: Bike, places: _Places) -> _Schedule:
    """The job alone on the bike: its pickups in the order they open (no permutations), then
    the drop-off, with the bike's breaks where they fit."""
    pickups, dropoff = _job_steps(job, places)
    pickups.sort(key=lambda s: (min(a for a, _b in s.windows), s.place))
    return _best_with_breaks(bike, [*pickups, dropoff], places)


def _break_steps(bike: Bike) -> list[_Step]:
    return [
        _Step("break", None, None, -1, 0, b.duration_s, ((b.earliest_s, b.latest_s),), 0, 0, b)
        for b in bike.breaks
    ]


def _best_with_breaks(bike: Bike, tasks: list[_Step], places: _Places) -> _Schedule:
    """The tasks in this order with the bike's breaks at the first position that holds."""
    steps = list(tasks)
    for brk in _break_steps(bike):
        tried = None
        for position in range(len(steps) + 1):
            candidate = [*steps[:position], brk, *steps[position:]]
            tried = _schedule(bike, candidate, places)
            if tried.ok:
                steps = candidate
                break
        else:
            return tried or _Schedule(False, "hours")
    return _schedule(bike, steps, places)


# --- Solving ---------------------------------------------------------------------------------


def solve(jobs: list[Job], bikes: list[Bike], options: Options) -> Plan:
    """Assign jobs to bikes and order their stops; report the jobs that cannot be placed, each
    with its true reason."""
    places = _Places(options, jobs, bikes)
    plan = Plan()
    placeable = []
    for job in jobs:
        reason = _reason_before_solving(job, bikes, places)
        if reason:
            plan.unplaced.append(Unplaced(job.key, reason))
        else:
            placeable.append(job)
    if not placeable:
        return plan
    best: tuple[int, dict[str, list[_Step]], list[Job]] | None = None
    for restart in range(max(options.restarts, 1)):
        order = list(placeable)
        if restart:
            random.Random(options.seed * 1009 + restart).shuffle(order)
        routes, _cost = _vroom(order, bikes, places, options)
        routes, left = _complete(routes, placeable, bikes, places)
        routes = _fewer_bikes(routes, bikes, places)
        cost = _plan_cost(routes, bikes, places) + UNPLACED_COST * len(left)
        if best is None or cost < best[0]:
            best = (cost, routes, left)
    _cost, routes, left = best
    plan.unplaced += [
        Unplaced(job.key, _no_room_reason(job, routes, bikes, places)) for job in left
    ]
    plan.routes = [
        _route(bike, routes[bike.key], places) for bike in bikes if _tasks(routes.get(bike.key))
    ]
    return plan


def _complete(
    routes: dict[str, list[_Step]], jobs: list[Job], bikes: list[Bike], places: _Places
) -> tuple[dict[str, list[_Step]], list[Job]]:
    """The search's routes made whole: orders split over bikes and anything a route cannot
    hold taken out, then every job not on a route inserted where it costs least. Returns the
    routes and the jobs that fit nowhere."""
    routes, left = _check_routes(_split_orders_out(routes), bikes, places)
    left += [job for job in jobs if not any(job.key in _jobs_of(r) for r in routes.values())]
    left = list({job.key: job for job in left}.values())
    nowhere = []
    for job in sorted(left, key=lambda j: (-j.weight_g, j.key)):
        bike, steps = _cheapest_insertion(job, routes, bikes, places)
        if steps is None:
            nowhere.append(job)
        else:
            routes[bike.key] = steps
    return routes, nowhere


def _plan_cost(routes: dict[str, list[_Step]], bikes: list[Bike], places: _Places) -> int:
    """The objective: riding time plus the fixed cost of each bike used."""
    total = 0
    for bike in bikes:
        steps = routes.get(bike.key)
        if _tasks(steps):
            total += _schedule(bike, steps, places).ride_s + places.options.bike_cost_s
    return total


def _fewer_bikes(
    routes: dict[str, list[_Step]], bikes: list[Bike], places: _Places
) -> dict[str, list[_Step]]:
    """Few bikes full rather than many empty: empty the least loaded round into the others
    while every job finds a place and the plan costs less."""
    while True:
        used = [b for b in bikes if _tasks(routes.get(b.key))]
        if len(used) < 2:
            return routes
        lightest = min(used, key=lambda b: (len(_jobs_of(routes[b.key])), b.key))
        others = [b for b in bikes if b.key != lightest.key]
        trial = {key: steps for key, steps in routes.items() if key != lightest.key}
        moved = sorted(
            {s.job.key: s.job for s in routes[lightest.key] if s.job}.values(),
            key=lambda j: (-j.weight_g, j.key),
        )
        for job in moved:
            bike, steps = _cheapest_insertion(job, trial, others, places)
            if steps is None:
                return routes
            trial[bike.key] = steps
        if _plan_cost(trial, bikes, places) >= _plan_cost(routes, bikes, places):
            return routes
        routes = trial


def _jobs_of(steps: list[_Step]) -> set[str]:
    return {s.job.key for s in steps if s.job is not None}


def _tasks(steps: list[_Step] | None) -> list[_Step]:
    return [s for s in steps or [] if s.kind != "break"]


def _vroom(
    jobs: list[Job],
    bikes: list[Bike],
    places: _Places,
    options: Options,
) -> tuple[dict[str, list[_Step]], tuple[int, int]]:
    """One VROOM run: the steps of each bike and the plan's cost (left out, then time)."""
    problem = vroom.Input()
    problem.set_durations_matrix("bike", places.seconds)
    problem.set_distances_matrix("bike", places.metres)
    problem.set_costs_matrix("bike", _tie_broken(places.seconds))
    tasks: dict[tuple[str, int], _Step] = {}
    with_volume = any(bike.volume_l is not None for bike in bikes)

    def amount(grams: int, litres: float) -> vroom.Amount:
        return vroom.Amount([grams, round(litres * 1000)] if with_volume else [grams])

    def vroom_step(step: _Step, task_id: int) -> vroom.ShipmentStep:
        return vroom.ShipmentStep(
            task_id,
            location=vroom.LocationIndex(step.place),
            default_setup=step.setup_s,
            default_service=step.service_s,
            time_windows=[vroom.TimeWindow(a, b) for a, b in step.windows],
        )

    next_id = 1
    for job in jobs:
        pickups, dropoff = _job_steps(job, places)
        for pickup in pickups:
            problem.add_shipment(
                vroom_step(pickup, next_id),
                vroom_step(replace(dropoff, load_g=-pickup.load_g), next_id),
                amount=amount(pickup.load_g, pickup.load_l),
            )
            tasks[("pickup", next_id)] = pickup
            tasks[("delivery", next_id)] = replace(dropoff, load_g=-pickup.load_g)
            next_id += 1
        if job.on_board_g or job.on_board_l or not pickups:
            problem.add_job(
                vroom.Job(
                    next_id,
                    location=vroom.LocationIndex(dropoff.place),
                    default_setup=dropoff.setup_s,
                    default_service=dropoff.service_s,
                    delivery=amount(job.on_board_g, job.on_board_l),
                    time_windows=[vroom.TimeWindow(*job.window)],
                )
            )
            tasks[("job", next_id)] = replace(dropoff, load_g=-job.on_board_g)
            next_id += 1
    for index, bike in enumerate(bikes):
        problem.add_vehicle(
            vroom.Vehicle(
                index,
                start=vroom.LocationIndex(places.start_of(bike)),
                end=vroom.LocationIndex(places.hub),
                profile="bike",
                capacity=amount(
                    bike.payload_g, bike.volume_l if bike.volume_l is not None else 10**6
                ),
                time_window=vroom.TimeWindow(*bike.window),
                breaks=[
                    vroom.Break(
                        index * 100 + n,
                        time_windows=[vroom.TimeWindow(b.earliest_s, b.latest_s)],
                        service=b.duration_s,
                    )
                    for n, b in enumerate(bike.breaks)
                ],
                costs=vroom.VehicleCosts(fixed=100 * options.bike_cost_s),
            )
        )
    answer = problem.solve(exploration_level=options.effort, nb_threads=options.threads).to_dict()
    routes: dict[str, list[_Step]] = {}
    for route in answer["routes"]:
        bike = bikes[route["vehicle"]]
        steps = []
        for step in route["steps"]:
            if step["type"] == "break":
                steps.append(_break_steps(bike)[step["id"] - route["vehicle"] * 100])
            elif step["type"] in ("pickup", "delivery", "job"):
                steps.append(tasks[(step["type"], step["id"])])
        routes[bike.key] = _merge_dropoffs(_canonical(steps))
    summary = answer["summary"]
    return routes, (summary["unassigned"], summary["cost"])


def _canonical(steps: list[_Step]) -> list[_Step]:
    """Tasks of one kind in a row at one place cost the same in any order (VROOM returns any):
    keep them in the order of their job keys, so that the same input reads the same."""
    ordered, run = [], []
    for step in [*steps, None]:
        if run and (step is None or (step.kind, step.place) != (run[0].kind, run[0].place)):
            ordered += sorted(run, key=lambda s: s.job.key if s.job else "")
            run = []
        if step is not None:
            run.append(step)
    return ordered


def _tie_broken(seconds: list[list[int]]) -> list[list[int]]:
    """Costs in hundredths of a second with a fixed small offset per pair of places: plans
    that ride equally long no longer cost the same, so the search has no tie to break by
    chance and the same deliveries always give the same plan."""
    return [
        [100 * s + (0 if i == j else (i * 7919 + j * 104_729) % 97) for j, s in enumerate(row)]
        for i, row in enumerate(seconds)
    ]


def _merge_dropoffs(steps: list[_Step]) -> list[_Step]:
    """VROOM sees one drop-off per parcel: keep one per delivery, at its last parcel's turn
    (the parcels of one order are handed over together)."""
    last = {}
    for position, step in enumerate(steps):
        if step.kind == "dropoff":
            last[step.job.key] = position
    merged = []
    for position, step in enumerate(steps):
        if step.kind != "dropoff":
            merged.append(step)
        elif last[step.job.key] == position:
            merged.append(replace(step, load_g=-step.job.weight_g))
    return merged


def _split_orders_out(routes: dict[str, list[_Step]]) -> dict[str, list[_Step]]:
    """An order's parcels ride one bike: an order the search spread over two bikes leaves the
    routes, to be inserted whole afterwards (rare: a split order visits its door twice)."""
    seen: dict[str, str] = {}
    split = set()
    for key, steps in routes.items():
        for step in steps:
            if step.job is not None and seen.setdefault(step.job.key, key) != key:
                split.add(step.job.key)
    return {
        key: [s for s in steps if s.job is None or s.job.key not in split]
        for key, steps in routes.items()
    }


def _check_routes(
    routes: dict[str, list[_Step]], bikes: list[Bike], places: _Places
) -> tuple[dict[str, list[_Step]], list[Job]]:
    """Every route checked by our own schedule; a job that breaks a route leaves it (and is
    inserted again where it fits). Guards against any disagreement with the engine."""
    left: list[Job] = []
    checked = {}
    for bike in bikes:
        steps = [s for s in routes.get(bike.key, []) if s.kind != "dropoff" or s.job]
        steps = _complete_jobs_only(steps)
        while _tasks(steps) and not _schedule(bike, steps, places).ok:
            last = _tasks(steps)[-1].job
            left.append(last)
            steps = [s for s in steps if s.job is None or s.job.key != last.key]
        checked[bike.key] = steps
    return checked, left


def _complete_jobs_only(steps: list[_Step]) -> list[_Step]:
    """A job is on a route with all its pickups before its drop-off, or not at all."""
    counts: dict[str, int] = {}
    keep = set()
    for step in steps:
        if step.kind == "pickup":
            counts[step.job.key] = counts.get(step.job.key, 0) + 1
        elif step.kind == "dropoff" and counts.get(step.job.key, 0) == len(step.job.pickups):
            keep.add(step.job.key)
    return [s for s in steps if s.job is None or s.job.key in keep]


def _cheapest_insertion(
    job: Job, routes: dict[str, list[_Step]], bikes: list[Bike], places: _Places
) -> tuple[Bike | None, list[_Step] | None]:
    """The cheapest place for a whole job in the current routes: its pickups inserted one by
    one where each costs least, then its drop-off after them (no permutations)."""
    best: tuple[tuple[int, int], Bike | None, list[_Step] | None] = ((0, 0), None, None)
    pickups, dropoff = _job_steps(job, places)
    pickups.sort(key=lambda s: (min(a for a, _b in s.windows), s.place))
    for bike in bikes:
        current = routes.get(bike.key) or _break_steps(bike)
        base = _schedule(bike, current, places)
        if not base.ok:
            continue
        steps: list[_Step] | None = list(current)
        floor = 0
        for pickup in pickups:
            steps, floor = _insert_one(bike, steps, pickup, floor, places)
            if steps is None:
                break
            floor += 1
        if steps is None:
            continue
        steps, _at = _insert_one(bike, steps, dropoff, floor, places)
        if steps is None:
            continue
        after = _schedule(bike, steps, places)
        cost = (after.ride_s - base.ride_s, after.end_s - base.end_s)
        if not _tasks(current):
            cost = (cost[0] + places.options.bike_cost_s, cost[1])
        if best[2] is None or cost < best[0]:
            best = (cost, bike, steps)
    return best[1], best[2]


def _insert_one(
    bike: Bike, steps: list[_Step], step: _Step, floor: int, places: _Places
) -> tuple[list[_Step] | None, int]:
    chosen, chosen_at, chosen_end = None, floor, None
    for position in range(floor, len(steps) + 1):
        candidate = [*steps[:position], step, *steps[position:]]
        tried = _schedule(bike, candidate, places)
        if tried.ok and (chosen_end is None or tried.end_s < chosen_end):
            chosen, chosen_at, chosen_end = candidate, position, tried.end_s
    return chosen, chosen_at


def _no_room_reason(
    job: Job, routes: dict[str, list[_Step]], bikes: list[Bike], places: _Places
) -> str:
    """The job fits a bike alone but no longer in any round as planned: say what blocks it."""
    blocks = set()
    for bike in bikes:
        steps = routes.get(bike.key) or _break_steps(bike)
        pickups, dropoff = _job_steps(job, places)
        blocks.add(_schedule(bike, [*steps, *pickups, dropoff], places).blocked_by or "hours")
    if blocks <= {"load", "volume"}:
        return _("Plus de place : chaque vélo est déjà chargé au maximum sur ce créneau.")
    if "load" in blocks or "volume" in blocks:
        return _(
            "Plus de place : ajoutée à n'importe quelle tournée, elle dépasserait la charge "
            "d'un vélo ou les horaires d'un·e coursier·e."
        )
    return _(
        "Plus de place : ajoutée à n'importe quelle tournée, un autre arrêt sortirait de son "
        "créneau ou la tournée dépasserait les horaires du coursier."
    )


def _route(bike: Bike, steps: list[_Step], places: _Places) -> Route:
    schedule = _schedule(bike, steps, places)
    stops, breaks, visit, here = [], [], 0, None
    for step, begin, load in zip(steps, schedule.begins, schedule.loads, strict=True):
        if step.kind == "break":
            breaks.append((begin, step.service_s))
            continue
        if step.place != here:
            visit += 1
            here = step.place
        stops.append(
            Stop(
                step.job.key,
                step.kind,
                step.pickup.key if step.pickup else None,
                places.points[step.place],
                begin,
                load,
                visit,
            )
        )
    return Route(
        bike.key,
        stops,
        schedule.distance_m,
        schedule.end_s - schedule.start_s,
        schedule.start_s,
        breaks,
        schedule.ride_s,
    )


# --- A route ridden in a fixed order ---------------------------------------------------------


@dataclass(frozen=True)
class Leg:
    """A stop ridden in a fixed order: where, how long is spent there, and the earliest time
    (seconds after leaving the hub) it may be served — a drop-off waits for its window. A leg
    at the same point as the one before is the same visit: its setup is not spent again."""

    point: Point
    service_s: int
    not_before_s: int = 0
    setup_s: int = 0


@dataclass(frozen=True)
class Measure:
    distance_m: int
    duration_s: int
    arrivals_s: list[int]  # seconds after leaving the hub, one per leg


def measure(legs: list[Leg], options: Options, start: Point | None = None) -> Measure:
    """Distance and times of a route in a given order: from the hub (or ``start``), legs
    (waiting for a window that has not opened), back to the hub."""
    origin = start or options.depot
    points = [origin, options.depot, *(leg.point for leg in legs)]
    unique = list(dict.fromkeys(points))
    where = {point: i for i, point in enumerate(unique)}
    metres, seconds = options.travel_times.matrix(unique)
    here, elapsed, total, arrivals = where[origin], 0, 0, []
    for number, leg in enumerate(legs):
        there = where[leg.point]
        total += metres[here][there]
        elapsed = max(elapsed + seconds[here][there], leg.not_before_s)
        arrivals.append(elapsed)
        same_visit = number > 0 and there == here
        elapsed += leg.service_s + (0 if same_visit else leg.setup_s)
        here = there
    hub = where[options.depot]
    back_m = metres[here][hub] if legs else 0
    back_s = seconds[here][hub] if legs else 0
    return Measure(total + back_m, elapsed + back_s, arrivals)


def arrivals_from(
    origin: Point, legs: list[Leg], options: Options, pause: tuple[int, int] | None = None
) -> list[int]:
    """When service can start at each leg, in seconds after the courier leaves ``origin``
    where they have just finished a stop: legs ridden in order, waiting for a window that has
    not opened. ``pause`` (leg index, seconds) is a break still to take before riding to that
    leg. A leg at the origin, or at the same point as the leg before, is the same visit: no
    ride, no setup."""
    points = list(dict.fromkeys([origin, *(leg.point for leg in legs)]))
    where = {point: i for i, point in enumerate(points)}
    _metres, seconds = options.travel_times.matrix(points)
    here, elapsed, arrivals = where[origin], 0, []
    for number, leg in enumerate(legs):
        if pause is not None and pause[0] == number:
            elapsed += pause[1]
        there = where[leg.point]
        elapsed = max(elapsed + seconds[here][there], leg.not_before_s)
        arrivals.append(elapsed)
        elapsed += leg.service_s + (0 if there == here else leg.setup_s)
        here = there
    return arrivals

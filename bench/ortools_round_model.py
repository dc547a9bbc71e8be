"""The round model Anima used before issue 10 (OR-Tools), kept for bench/delivery_engines.py.

A job is one delivery: one pickup per shop of the order, then one drop-off. The pickups of a
job are ridden in a row, in the order that is shortest (the shops of one order are a few
streets apart in the centre); that chain and the drop-off form one pickup-and-delivery pair
for the solver, which keeps every pickup of a job before its drop-off and on the same bike,
never loads a bike beyond its payload, drops off inside the slot window, and starts and ends
each route at the hub.
Distances come from coordinates: great-circle distance times a detour factor, ridden at a
cargo-bike speed. A job that cannot be placed is reported with the reason.

Pure functions on plain data: no database, so dispatch and the benchmark call it alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise, permutations

from django.utils.translation import gettext as _
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

EARTH_RADIUS_M = 6_371_000
UNPLACED_PENALTY = 10_000_000
# Seconds spent at a stop: taking a shop's parcels, handing the order over at the door.
PICKUP_SERVICE_S = 180
DROPOFF_SERVICE_S = 240
DAY_S = 24 * 3600


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True)
class Pickup:
    key: str
    point: Point
    weight_g: int
    service_s: int = PICKUP_SERVICE_S


@dataclass(frozen=True)
class Job:
    """One delivery: its pickups, its drop-off and the drop-off window (seconds of the day)."""

    key: str
    pickups: tuple[Pickup, ...]
    dropoff: Point
    window: tuple[int, int]
    dropoff_service_s: int = DROPOFF_SERVICE_S

    @property
    def weight_g(self) -> int:
        return sum(pickup.weight_g for pickup in self.pickups)


@dataclass(frozen=True)
class Bike:
    """A bike with its courier for the round: payload and working window (seconds of the day)."""

    key: str
    payload_g: int
    window: tuple[int, int]


@dataclass(frozen=True)
class Options:
    depot: Point
    detour_factor: float = 1.3
    speed_kmh: float = 14.0
    time_limit_s: float = 1.0


@dataclass(frozen=True)
class Stop:
    job_key: str
    kind: str  # "pickup" or "dropoff"
    pickup_key: str | None
    point: Point
    arrival_s: int
    load_g: int  # on board when leaving the stop


@dataclass(frozen=True)
class Route:
    bike_key: str
    stops: list[Stop]
    distance_m: int
    duration_s: int


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


def road_distance_m(a: Point, b: Point, detour_factor: float) -> int:
    """Great-circle distance stretched by the detour factor of city streets."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(h)) * detour_factor)


def ride_seconds(distance_m: int, speed_kmh: float) -> int:
    return round(distance_m / (speed_kmh * 1000 / 3600))


@dataclass(frozen=True)
class _Chain:
    """The pickups of one job, ridden in a row in the best order: one node for the solver."""

    pickups: tuple[Pickup, ...]
    distance_m: int  # from the first pickup to the last one
    duration_s: int  # services and rides from arriving at the first to leaving the last

    @property
    def first(self) -> Point:
        return self.pickups[0].point

    @property
    def last(self) -> Point:
        return self.pickups[-1].point


def _best_chain(job: Job, options: Options) -> _Chain:
    def legs_m(order) -> list[int]:
        return [
            road_distance_m(a.point, b.point, options.detour_factor) for a, b in pairwise(order)
        ]

    def cost(order) -> int:
        to_customer = road_distance_m(order[-1].point, job.dropoff, options.detour_factor)
        return sum(legs_m(order)) + to_customer

    order = min(permutations(job.pickups), key=cost)
    legs = legs_m(order)
    rides = sum(ride_seconds(leg, options.speed_kmh) for leg in legs)
    return _Chain(tuple(order), sum(legs), rides + sum(p.service_s for p in order))


@dataclass(frozen=True)
class _Node:
    job: Job | None
    chain: _Chain | None  # for a pickup node
    arrive_at: Point  # where the bike goes to reach this node
    leave_from: Point  # where the bike is when it leaves this node
    demand_g: int
    inner_distance_m: int
    service_s: int  # time between arriving and leaving


def _reason_before_solving(job: Job, bikes: list[Bike], options: Options) -> str | None:
    """Reasons a job can never fit, whatever the other jobs: said plainly to dispatch."""
    if not bikes:
        return _("Aucun vélo ni coursier disponible pour ce créneau.")
    if job.weight_g > max(bike.payload_g for bike in bikes):
        return _("Trop lourd pour tous les vélos disponibles (%(kg)s kg).") % {
            "kg": f"{job.weight_g / 1000:.1f}".replace(".", ",")
        }
    if not any(_can_reach_in_time(job, bike, options) for bike in bikes):
        return _("Créneau intenable : même seul, le trajet dépasse la fenêtre de livraison.")
    return None


def _can_reach_in_time(job: Job, bike: Bike, options: Options) -> bool:
    """Depot → every pickup → drop-off → depot, alone, within the window and the shift."""
    time = bike.window[0]
    here = options.depot
    for pickup in job.pickups:
        time += (
            ride_seconds(
                road_distance_m(here, pickup.point, options.detour_factor), options.speed_kmh
            )
            + pickup.service_s
        )
        here = pickup.point
    time += ride_seconds(
        road_distance_m(here, job.dropoff, options.detour_factor), options.speed_kmh
    )
    time = max(time, job.window[0])
    back = ride_seconds(
        road_distance_m(job.dropoff, options.depot, options.detour_factor), options.speed_kmh
    )
    return time <= job.window[1] and time + job.dropoff_service_s + back <= bike.window[1]


def solve(jobs: list[Job], bikes: list[Bike], options: Options) -> Plan:
    """Assign jobs to bikes and order their stops; report the jobs that could not be placed."""
    plan = Plan()
    placeable = []
    for job in jobs:
        reason = _reason_before_solving(job, bikes, options)
        if reason:
            plan.unplaced.append(Unplaced(job.key, reason))
        else:
            placeable.append(job)
    if not placeable:
        return plan
    solved = _solve_with_ortools(placeable, bikes, options)
    if solved is None:
        plan.unplaced += [
            Unplaced(job.key, _("Aucune solution trouvée dans le temps imparti."))
            for job in placeable
        ]
        return plan
    plan.routes, placed = solved
    plan.unplaced += [
        Unplaced(job.key, _("Plus de place : charge ou horaires des tournées déjà pleins."))
        for job in placeable
        if job.key not in placed
    ]
    return plan


def _build_nodes(jobs: list[Job], options: Options) -> list[_Node]:
    """Node 0 is the hub; then, per job, its pickup chain and its drop-off."""
    hub = options.depot
    nodes = [_Node(None, None, hub, hub, 0, 0, 0)]
    for job in jobs:
        chain = _best_chain(job, options)
        nodes.append(
            _Node(
                job,
                chain,
                chain.first,
                chain.last,
                job.weight_g,
                chain.distance_m,
                chain.duration_s,
            )
        )
        nodes.append(
            _Node(job, None, job.dropoff, job.dropoff, -job.weight_g, 0, job.dropoff_service_s)
        )
    return nodes


def _solve_with_ortools(jobs: list[Job], bikes: list[Bike], options: Options):
    nodes = _build_nodes(jobs, options)
    manager = pywrapcp.RoutingIndexManager(len(nodes), len(bikes), 0)
    routing = pywrapcp.RoutingModel(manager)
    distance = [
        [
            a.inner_distance_m + road_distance_m(a.leave_from, b.arrive_at, options.detour_factor)
            for b in nodes
        ]
        for a in nodes
    ]
    ride = [
        [
            ride_seconds(
                road_distance_m(a.leave_from, b.arrive_at, options.detour_factor), options.speed_kmh
            )
            for b in nodes
        ]
        for a in nodes
    ]

    def distance_cb(i, j):
        return distance[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def time_cb(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return nodes[a].service_s + ride[a][b]

    def demand_cb(i):
        return nodes[manager.IndexToNode(i)].demand_g

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance_cb))
    routing.AddDimension(routing.RegisterTransitCallback(time_cb), DAY_S, DAY_S, False, "time")
    time = routing.GetDimensionOrDie("time")
    routing.AddDimensionWithVehicleCapacity(
        routing.RegisterUnaryTransitCallback(demand_cb),
        0,
        [bike.payload_g for bike in bikes],
        True,
        "load",
    )
    for vehicle, bike in enumerate(bikes):
        time.CumulVar(routing.Start(vehicle)).SetRange(*bike.window)
        time.CumulVar(routing.End(vehicle)).SetRange(*bike.window)
        routing.AddVariableMinimizedByFinalizer(time.CumulVar(routing.End(vehicle)))

    solver = routing.solver()
    for position, job in enumerate(jobs):
        pickup = manager.NodeToIndex(1 + 2 * position)
        dropoff = manager.NodeToIndex(2 + 2 * position)
        routing.AddPickupAndDelivery(pickup, dropoff)
        solver.Add(routing.VehicleVar(pickup) == routing.VehicleVar(dropoff))
        solver.Add(time.CumulVar(pickup) <= time.CumulVar(dropoff))
        time.CumulVar(dropoff).SetRange(*job.window)
        routing.AddDisjunction([pickup], UNPLACED_PENALTY)
        routing.AddDisjunction([dropoff], UNPLACED_PENALTY)

    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(int(options.time_limit_s * 1000))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return None
    return _read_routes(routing, manager, solution, nodes, bikes, distance, time, options)


def _read_routes(routing, manager, solution, nodes, bikes, distance, time, options):
    routes, placed = [], set()
    for vehicle, bike in enumerate(bikes):
        index = routing.Start(vehicle)
        stops, load, meters = [], 0, 0
        start_time = solution.Min(time.CumulVar(index))
        while not routing.IsEnd(index):
            following = solution.Value(routing.NextVar(index))
            node = nodes[manager.IndexToNode(index)]
            meters += distance[manager.IndexToNode(index)][manager.IndexToNode(following)]
            arrival = solution.Min(time.CumulVar(index))
            if node.chain is not None:
                stops += _chain_stops(node, arrival, load, options)
                load += node.demand_g
                placed.add(node.job.key)
            elif node.job is not None:
                load += node.demand_g
                stops.append(Stop(node.job.key, "dropoff", None, node.arrive_at, arrival, load))
            index = following
        if stops:
            end_time = solution.Min(time.CumulVar(index))
            routes.append(Route(bike.key, stops, meters, end_time - start_time))
    return routes, placed


def _chain_stops(node: _Node, arrival: int, load: int, options: Options) -> list[Stop]:
    stops, here = [], node.chain.first
    for pickup in node.chain.pickups:
        arrival += ride_seconds(
            road_distance_m(here, pickup.point, options.detour_factor), options.speed_kmh
        )
        load += pickup.weight_g
        stops.append(Stop(node.job.key, "pickup", pickup.key, pickup.point, arrival, load))
        arrival += pickup.service_s
        here = pickup.point
    return stops


@dataclass(frozen=True)
class Leg:
    """A stop ridden in a fixed order: where, how long is spent there, and the earliest time
    (seconds after leaving the hub) it may be served — a drop-off waits for its window."""

    point: Point
    service_s: int
    not_before_s: int = 0


@dataclass(frozen=True)
class Measure:
    distance_m: int
    duration_s: int
    arrivals_s: list[int]  # seconds after leaving the hub, one per leg


def measure(legs: list[Leg], options: Options) -> Measure:
    """Distance and times of a route in a given order: hub, legs (waiting for a window that
    has not opened), back to the hub."""
    here, elapsed, meters, arrivals = options.depot, 0, 0, []
    for leg in legs:
        step = road_distance_m(here, leg.point, options.detour_factor)
        meters += step
        elapsed = max(elapsed + ride_seconds(step, options.speed_kmh), leg.not_before_s)
        arrivals.append(elapsed)
        elapsed += leg.service_s
        here = leg.point
    back = road_distance_m(here, options.depot, options.detour_factor) if legs else 0
    return Measure(meters + back, elapsed + ride_seconds(back, options.speed_kmh), arrivals)

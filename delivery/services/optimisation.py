"""« Optimiser » : the solver orders a round's stops, or spreads a slot's deliveries over its
rounds in preparation and the couriers and bikes still free; what cannot fit is unplanned with
the reason the solver gave. A started round is re-planned from where its courier is.

Three steps, each a named function so that the orchestration (``proposals``: a task computing
a proposal without locks, then an atomic apply) can call them apart:
``build_problem`` turns rounds and deliveries into solver input, ``solve`` runs the solver (no
database), ``apply_plan`` writes the routes into the rounds' stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from delivery import routing
from delivery.models import (
    BikeStatus,
    CargoBike,
    Courier,
    Delivery,
    DeliverySlot,
    DeliveryStatus,
    EventKind,
    EventSource,
    PickupStatus,
    Round,
    Stop,
    StopKind,
    StopState,
)
from delivery.services import live
from delivery.services.deliveries import record_event
from delivery.services.planning import (
    default_window,
    measure_round,
    number_visits,
    solver_options,
    unplan,
)
from hub.services import elide

HUB_KEY = "hub"


@dataclass
class Optimisation:
    """What « Optimiser » did: the rounds it filled, their totals, and what it left out."""

    rounds: list[Round] = field(default_factory=list)
    unplaced: list[tuple[Delivery, str]] = field(default_factory=list)

    @property
    def distance_m(self) -> int:
        return sum(r.distance_m for r in self.rounds)

    @property
    def duration_s(self) -> int:
        return sum(r.duration_s for r in self.rounds)


@dataclass
class Problem:
    """Solver input built from the database, and what it was built from."""

    rounds: list[Round]
    deliveries: dict[int, Delivery]
    jobs: list[routing.Job]
    bikes: list[routing.Bike]
    options: routing.Options
    # A started round re-planned from where its courier is: the stops already made stay.
    started: bool = False


def _seconds(moment: datetime, day: date) -> int:
    local = timezone.localtime(moment)
    midnight = timezone.make_aware(datetime.combine(day, time()), local.tzinfo)
    return max(int((local - midnight).total_seconds()), 0)


def _clock_seconds(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def expected_ready(delivery: Delivery) -> datetime:
    """When a part not yet ready is expected: the slot's round leaves the hub then
    (``DELIVERY_ROUND_LEAD_MINUTES`` before the slot), and shops are asked to be ready by it."""
    return default_window(delivery.slot)[0]


def _ready_s(pickup, delivery: Delivery, day: date) -> int:
    """When the part can be collected: when the shop said it was ready, or when it is expected
    if the shop has not said yet."""
    if pickup.status == PickupStatus.WAITING:
        return _seconds(expected_ready(delivery), day)
    return _seconds(pickup.ready_at, day) if pickup.ready_at else 0


def _pickup(pickup, delivery: Delivery, day: date) -> routing.Pickup:
    return routing.Pickup(
        str(pickup.pk),
        routing.Point(float(pickup.latitude), float(pickup.longitude)),
        pickup.weight_grams,
        place=f"shop-{pickup.shop_id}",
        opening=tuple(
            (_clock_seconds(start), _clock_seconds(end)) for start, end in pickup.opening_hours
        ),
        ready_s=_ready_s(pickup, delivery, day),
        label=pickup.shop_name,
    )


def build_job(
    delivery: Delivery, day: date, options: routing.Options, started: bool = False
) -> routing.Job:
    """A delivery as a solver job: its pickups still to make (at the hub after a failure),
    what is already on the bike (``started``: parcels waiting at the hub left with the
    courier), its drop-off and the slot window."""
    window = (_seconds(delivery.slot.start, day), _seconds(delivery.slot.end, day))
    dropoff = routing.Point(float(delivery.latitude), float(delivery.longitude))
    pickups = [p for p in delivery.pickups.all() if p.status != PickupStatus.DROPPED]
    if delivery.at_hub and started:
        return routing.Job(str(delivery.pk), (), dropoff, window, on_board_g=delivery.weight_grams)
    if delivery.at_hub:
        hub = routing.Pickup(HUB_KEY, options.depot, delivery.weight_grams, place=HUB_KEY)
        return routing.Job(str(delivery.pk), (hub,), dropoff, window)
    to_collect = tuple(
        _pickup(p, delivery, day)
        for p in pickups
        if p.status in (PickupStatus.WAITING, PickupStatus.READY)
    )
    on_board = sum(p.weight_grams for p in pickups if p.status == PickupStatus.PICKED_UP)
    return routing.Job(str(delivery.pk), to_collect, dropoff, window, on_board_g=on_board)


def _shift_of(round_: Round) -> tuple[int, int] | None:
    """The courier's working hours that day covering the round's departure."""
    day = timezone.localtime(round_.start).date()
    departure = _seconds(round_.start, day)
    for shift in round_.courier.shifts.all():
        start, end = (
            shift.start_time.hour * 3600 + shift.start_time.minute * 60,
            shift.end_time.hour * 3600 + shift.end_time.minute * 60,
        )
        if shift.weekday == day.weekday() and start <= departure < end:
            return start, end
    return None


def build_bike(round_: Round, start: routing.Point | None = None, from_s: int | None = None):
    """A round as a solver bike: its window cut to the courier's working hours and maximum
    round duration, the break a long shift requires, and where it starts."""
    day = round_.date
    begin, end = _seconds(round_.start, day), _seconds(round_.end, day)
    shift = _shift_of(round_)
    if shift:
        begin, end = max(begin, shift[0]), min(end, shift[1])
    if round_.courier.max_round_minutes:
        end = min(end, begin + round_.courier.max_round_minutes * 60)
    if from_s is not None:
        begin = max(begin, from_s)
    breaks = routing.courier_breaks(shift, (begin, end)) if shift else ()
    return routing.Bike(
        str(round_.pk), round_.bike.payload_grams, (begin, max(begin, end)), None, breaks, start
    )


def build_problem(rounds: list[Round], deliveries: dict[int, Delivery]) -> Problem:
    """Solver input for rounds not started yet and the deliveries to spread over them."""
    options = solver_options()
    day = rounds[0].date
    return Problem(
        rounds,
        deliveries,
        [build_job(d, day, options) for d in deliveries.values()],
        [build_bike(r) for r in rounds],
        options,
    )


def courier_position(round_: Round) -> tuple[routing.Point, datetime] | None:
    """Where and when the courier last recorded a stop of the round (None: not started)."""
    last = (
        round_.stops.filter(state__in=[StopState.DONE, StopState.FAILED], done_at__isnull=False)
        .select_related("delivery", "pickup")
        .order_by("-done_at", "-sequence")
        .first()
    )
    if last is None:
        return None
    place = last.pickup if last.kind == StopKind.PICKUP else last.delivery
    return routing.Point(float(place.latitude), float(place.longitude)), last.done_at


def build_started_problem(round_: Round, deliveries: dict[int, Delivery]) -> Problem:
    """Solver input for the rest of a started round: from the courier's last recorded position
    and time, with the parcels already on the bike to drop off."""
    options = solver_options()
    point, at = courier_position(round_)
    bike = build_bike(round_, start=point, from_s=_seconds(at, round_.date))
    jobs = [build_job(d, round_.date, options, started=True) for d in deliveries.values()]
    return Problem([round_], deliveries, jobs, [bike], options, started=True)


def solve(problem: Problem) -> routing.Plan:
    """Run the solver on the problem (no database access)."""
    return routing.solve(problem.jobs, problem.bikes, problem.options)


def apply_plan(problem: Problem, plan: routing.Plan, actor) -> Optimisation:
    """Write the plan into the rounds: their stops to come in the solver's order with planned
    times and loads, the deliveries placed, the ones left out unplanned with their reason."""
    routes = {route.bike_key: route for route in plan.routes}
    result = Optimisation()
    on_board = _on_board_left_out(problem, plan)
    for round_ in problem.rounds:
        _write_route(round_, routes.get(str(round_.pk)), problem, actor)
        if on_board:
            _append_at_the_end(round_, on_board)
        if round_.pk and round_.stops.exists():
            result.rounds.append(round_)
    for unplaced in plan.unplaced:
        delivery = problem.deliveries[int(unplaced.job_key)]
        if delivery in on_board:
            pass  # its parcels are on the bike: it stays in the round, dispatch is warned
        elif delivery.round_id is not None:
            unplan(delivery, delivery.round, actor, unplaced.reason)
        else:
            delivery.unplaced_reason = unplaced.reason[:250]
            delivery.save(update_fields=["unplaced_reason", "updated_at"])
        result.unplaced.append((delivery, unplaced.reason))
    for round_ in problem.rounds:
        if round_.pk:
            live.round_changed(round_)
    return result


def _on_board_left_out(problem: Problem, plan: routing.Plan) -> list[Delivery]:
    """Deliveries of a started round the plan leaves out although part of them is on the
    bike: they cannot leave the round (the courier carries them), so they stay, at its end."""
    if not problem.started:
        return []
    jobs = {job.key: job for job in problem.jobs}
    return [
        problem.deliveries[int(u.job_key)]
        for u in plan.unplaced
        if jobs[u.job_key].on_board_g or not jobs[u.job_key].pickups
    ]


def _append_at_the_end(round_: Round, deliveries: list[Delivery]) -> None:
    sequence = max(round_.stops.values_list("sequence", flat=True), default=0)
    stops = []
    for delivery in deliveries:
        for pickup in delivery.pickups.all():
            if pickup.status in (PickupStatus.WAITING, PickupStatus.READY):
                sequence += 1
                stops.append(
                    Stop(
                        round=round_,
                        delivery=delivery,
                        pickup=pickup,
                        sequence=sequence,
                        kind=StopKind.PICKUP,
                    )
                )
        sequence += 1
        stops.append(
            Stop(round=round_, delivery=delivery, sequence=sequence, kind=StopKind.DROPOFF)
        )
    Stop.objects.bulk_create(stops)
    every = list(round_.stops.select_related("pickup", "delivery").order_by("sequence", "pk"))
    number_visits(every)
    Stop.objects.bulk_update(every, ["visit"])


def _write_route(round_: Round, route: routing.Route | None, problem: Problem, actor) -> None:
    """Replace the round's stops still to make by the route's (the stops made stay first)."""
    round_.stops.filter(state=StopState.TODO).delete()
    made = list(round_.stops.order_by("sequence", "pk"))
    sequence = max((s.sequence for s in made), default=0)
    visit_offset = max((s.visit for s in made), default=0)
    midnight = timezone.make_aware(datetime.combine(round_.date, time()))
    stops = []
    for planned in route.stops if route else []:
        delivery = problem.deliveries[int(planned.job_key)]
        _place(delivery, round_, actor)
        if planned.pickup_key == HUB_KEY:
            continue
        sequence += 1
        pickup_id = int(planned.pickup_key) if planned.kind == "pickup" else None
        arrival = midnight + timedelta(seconds=planned.arrival_s)
        stops.append(
            Stop(
                round=round_,
                delivery=delivery,
                pickup_id=pickup_id,
                kind=StopKind.PICKUP if pickup_id else StopKind.DROPOFF,
                sequence=sequence,
                visit=visit_offset + planned.visit,
                planned_at=arrival,
                expected_at=arrival,
                load_grams=planned.load_g,
            )
        )
    Stop.objects.bulk_create(stops)
    changed = ["optimised_at", "break_at", "break_minutes"]
    round_.optimised_at = timezone.now()
    round_.break_at, round_.break_minutes = None, 0
    if route and route.breaks:
        start_s, duration_s = route.breaks[0]
        round_.break_at = midnight + timedelta(seconds=start_s)
        round_.break_minutes = duration_s // 60
    round_.save(update_fields=changed)
    if problem.started:
        measure_round(round_, keep_times=True)
    elif route:
        round_.distance_m, round_.duration_s = route.distance_m, route.duration_s
        round_.save(update_fields=["distance_m", "duration_s"])


def _place(delivery: Delivery, round_: Round, actor) -> None:
    if delivery.round_id == round_.pk:
        return
    delivery.round, delivery.unplaced_reason = round_, ""
    delivery.save(update_fields=["round", "unplaced_reason", "updated_at"])
    record_event(
        delivery,
        EventKind.PLANNED,
        _("Placée par l'optimiseur dans la tournée %(of_name)s.")
        % {"of_name": elide("de", round_.courier)},
        EventSource.BOARD,
        actor,
    )


def plannable(queryset):
    """Deliveries the solver may place (awaiting or ready), with their slot and pickups."""
    return (
        queryset.filter(status__in=[DeliveryStatus.AWAITING, DeliveryStatus.READY])
        .select_related("slot")
        .prefetch_related("pickups")
    )


def available_couriers(slot: DeliverySlot, start: datetime, end: datetime) -> list:
    """Active couriers whose hours cover part of the window and who have no round then,
    each with the window they can ride: (courier, start, end)."""
    day = timezone.localtime(slot.start).date()
    busy = Round.objects.filter(start__lt=end, end__gt=start).values("courier_id")
    couriers = (
        Courier.objects.active()
        .exclude(pk__in=busy)
        .filter(shifts__weekday=day.weekday())
        .select_related("user")
        .prefetch_related("shifts")
        .distinct()
    )
    found = []
    for courier in couriers:
        for shift in courier.shifts.all():
            if shift.weekday != day.weekday():
                continue
            begin = max(start, timezone.make_aware(datetime.combine(day, shift.start_time)))
            finish = min(end, timezone.make_aware(datetime.combine(day, shift.end_time)))
            if finish - begin >= timedelta(minutes=30) and begin < slot.end:
                found.append((courier, begin, finish))
                break
    return found


def available_bikes(start: datetime, end: datetime) -> list[CargoBike]:
    """Bikes in service with no round in the window, the largest first."""
    busy = Round.objects.filter(start__lt=end, end__gt=start).values("bike_id")
    return list(
        CargoBike.objects.filter(status=BikeStatus.IN_SERVICE)
        .exclude(pk__in=busy)
        .order_by("-payload_kg", "name")
    )

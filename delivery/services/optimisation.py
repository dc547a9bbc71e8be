"""« Optimiser » : the solver orders a round's stops, or spreads a slot's deliveries over its
rounds in preparation and the couriers and bikes still free; what cannot fit is unplanned with
the reason the solver gave."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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
    RoundStatus,
    Stop,
    StopKind,
    StopState,
)
from delivery.services.deliveries import record_event
from delivery.services.planning import (
    as_int,
    check_editable,
    default_window,
    lock_deliveries,
    lock_round,
    measure_round,
    renumber,
    solver_options,
    unplan,
)
from hub.services import Conflict

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


def _seconds(moment: datetime, day: date) -> int:
    local = timezone.localtime(moment)
    midnight = timezone.make_aware(datetime.combine(day, time()), local.tzinfo)
    return max(int((local - midnight).total_seconds()), 0)


def _job(delivery: Delivery, day: date, options: routing.Options) -> routing.Job:
    if delivery.at_hub:
        pickups = (routing.Pickup(HUB_KEY, options.depot, delivery.weight_grams, 60),)
    else:
        pickups = tuple(
            routing.Pickup(
                str(p.pk),
                routing.Point(float(p.latitude), float(p.longitude)),
                p.weight_grams,
                routing.PICKUP_SERVICE_S,
            )
            for p in delivery.pickups.all()
            if p.status in (PickupStatus.WAITING, PickupStatus.READY)
        )
    window = (_seconds(delivery.slot.start, day), _seconds(delivery.slot.end, day))
    dropoff = routing.Point(float(delivery.latitude), float(delivery.longitude))
    return routing.Job(str(delivery.pk), pickups, dropoff, window, routing.DROPOFF_SERVICE_S)


def _vehicle(round_: Round) -> routing.Bike:
    window = (_seconds(round_.start, round_.date), _seconds(round_.end, round_.date))
    return routing.Bike(str(round_.pk), round_.bike.payload_grams, window)


def _apply_route(round_: Round, route: routing.Route | None, deliveries: dict, actor) -> None:
    """Replace the round's stops by the solver's order for the deliveries it carries."""
    round_.stops.filter(state=StopState.TODO).delete()
    stops = []
    for sequence, planned in enumerate(route.stops if route else [], start=1):
        if planned.pickup_key == HUB_KEY:
            continue
        delivery = deliveries[int(planned.job_key)]
        pickup_id = int(planned.pickup_key) if planned.kind == "pickup" else None
        stops.append(
            Stop(
                round=round_,
                delivery=delivery,
                pickup_id=pickup_id,
                kind=StopKind.PICKUP if pickup_id else StopKind.DROPOFF,
                sequence=sequence,
            )
        )
        if delivery.round_id != round_.pk:
            delivery.round, delivery.unplaced_reason = round_, ""
            delivery.save(update_fields=["round", "unplaced_reason", "updated_at"])
            record_event(
                delivery,
                EventKind.PLANNED,
                _("Placée par l'optimiseur dans la tournée de %(name)s.")
                % {"name": round_.courier},
                EventSource.BOARD,
                actor,
            )
    Stop.objects.bulk_create(stops)
    renumber(round_)
    measure_round(round_)
    round_.optimised_at = timezone.now()
    round_.save(update_fields=["optimised_at"])


def _plannable(queryset):
    return (
        queryset.filter(status__in=[DeliveryStatus.AWAITING, DeliveryStatus.READY])
        .select_related("slot")
        .prefetch_related("pickups")
    )


def optimise_round(round_id, actor) -> Optimisation:
    """Order a round's stops with the solver; what cannot fit goes back to the unplanned."""
    with transaction.atomic():
        round_ = lock_round(round_id)
        check_editable(round_)
        ids = list(round_.deliveries.values_list("pk", flat=True))
        deliveries = {d.pk: d for d in _plannable(Delivery.objects.filter(pk__in=ids))}
        lock_deliveries(ids)
        return _solve_into([round_], deliveries, actor)


def _solve_into(rounds: list[Round], deliveries: dict[int, Delivery], actor) -> Optimisation:
    options = solver_options()
    day = rounds[0].date
    jobs = [_job(d, day, options) for d in deliveries.values()]
    plan = routing.solve(jobs, [_vehicle(r) for r in rounds], options)
    routes = {route.bike_key: route for route in plan.routes}
    result = Optimisation()
    for round_ in rounds:
        _apply_route(round_, routes.get(str(round_.pk)), deliveries, actor)
        if round_.pk and round_.stops.exists():
            result.rounds.append(round_)
    for unplaced in plan.unplaced:
        delivery = deliveries[int(unplaced.job_key)]
        if delivery.round_id is not None:
            unplan(delivery, delivery.round, actor, unplaced.reason)
        else:
            delivery.unplaced_reason = unplaced.reason[:250]
            delivery.save(update_fields=["unplaced_reason", "updated_at"])
        result.unplaced.append((delivery, unplaced.reason))
    return result


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


def dispatch_slot(slot_id, actor) -> Optimisation:
    """Spread a slot's deliveries over its rounds in preparation and the free couriers and
    bikes (new rounds are created for them), each round in the solver's order."""
    with transaction.atomic():
        slot = DeliverySlot.objects.filter(pk=as_int(slot_id)).first()
        if slot is None:
            raise ValidationError({"slot": _("Choisissez un créneau de la liste.")})
        drafts = [
            lock_round(pk)
            for pk in Round.objects.filter(slot=slot, status=RoundStatus.DRAFT)
            .order_by("pk")
            .values_list("pk", flat=True)
        ]
        ids = _plannable(
            Delivery.objects.filter(slot=slot).filter(
                Q(round__isnull=True) | Q(round__in=[r.pk for r in drafts])
            )
        ).values_list("pk", flat=True)
        ids = list(ids)
        lock_deliveries(ids)
        deliveries = {d.pk: d for d in _plannable(Delivery.objects.filter(pk__in=ids))}
        if not deliveries:
            raise Conflict(_("Aucune livraison à répartir sur ce créneau."))
        rounds = drafts + _new_rounds(slot)
        if not rounds:
            raise Conflict(
                _("Aucun coursier ni vélo libre sur ce créneau : créez une tournée à la main.")
            )
        result = _solve_into(rounds, deliveries, actor)
        for round_ in rounds:
            if round_ not in drafts and not round_.stops.exists():
                round_.delete()
        return result


def _new_rounds(slot: DeliverySlot) -> list[Round]:
    start, end = default_window(slot)
    bikes = available_bikes(start, end)
    rounds = []
    for (courier, begin, finish), bike in zip(
        available_couriers(slot, start, end), bikes, strict=False
    ):
        rounds.append(
            Round.objects.create(
                date=timezone.localtime(begin).date(),
                slot=slot,
                start=begin,
                end=finish,
                courier=courier,
                bike=bike,
            )
        )
    return rounds

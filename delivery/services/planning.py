"""Dispatch: rounds created, filled, ordered by hand, measured and published (« Optimiser » is
in ``optimisation``).

Every change locks the round row first, then the deliveries (the courier's actions take the
same order). A round can be changed until its courier records the first stop.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery import notifications, routing, travel
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
from delivery.services import live
from delivery.services.deliveries import record_event, withdraw_if_emptied
from hub.services import Conflict, elide, transition


def solver_options() -> routing.Options:
    """Hub, travel times (straight lines or streets), cargo-bike speed and search effort from
    the settings."""
    lat, lon = settings.DELIVERY_HUB_POSITION
    return routing.Options(
        depot=routing.Point(lat, lon),
        detour_factor=settings.DELIVERY_DETOUR_FACTOR,
        speed_kmh=settings.DELIVERY_BIKE_SPEED_KMH,
        travel=travel.travel_times(),
        effort=settings.DELIVERY_SOLVER_EFFORT,
    )


def routing_outage() -> bool:
    """Whether the routing service failed lately: distances are then straight lines."""
    return travel.outage_warning()


def default_window(slot: DeliverySlot) -> tuple[datetime, datetime]:
    """A slot's round leaves ahead of it for the pickups and comes back after it."""
    return (
        slot.start - timedelta(minutes=settings.DELIVERY_ROUND_LEAD_MINUTES),
        slot.end + timedelta(minutes=settings.DELIVERY_ROUND_RETURN_MINUTES),
    )


def lock_round(round_id) -> Round:
    """A round locked for change; Round.DoesNotExist when unknown."""
    return (
        Round.objects.select_for_update(of=("self",))
        .select_related("courier__user", "bike")
        .get(pk=round_id)
    )


def check_editable(round_: Round) -> None:
    if not round_.is_editable:
        raise Conflict(
            _("Cette tournée a commencé (ou est terminée) : elle ne peut plus être modifiée.")
        )


def _check_free(courier, bike, start, end, exclude: int | None = None) -> None:
    overlapping = Round.objects.filter(start__lt=end, end__gt=start).exclude(pk=exclude)
    if overlapping.filter(courier=courier).exists():
        raise Conflict(_("%(name)s a déjà une tournée à ces heures.") % {"name": courier})
    if overlapping.filter(bike=bike).exists():
        raise Conflict(_("Le vélo %(bike)s est déjà pris à ces heures.") % {"bike": bike})


def _check_round_fields(courier, bike, start, end) -> None:
    errors = {}
    if courier is None or not courier.is_active:
        errors["courier"] = _("Choisissez un coursier actif.")
    if bike is None or bike.status != BikeStatus.IN_SERVICE:
        errors["bike"] = _("Choisissez un vélo en service.")
    if start is None or end is None:
        errors["start"] = _("Indiquez l'heure de départ et de retour.")
    elif end <= start:
        errors["end"] = _("Le retour doit suivre le départ.")
    elif timezone.localtime(start).date() != timezone.localtime(end).date():
        errors["end"] = _("Une tournée se fait dans la journée.")
    if errors:
        raise ValidationError(errors)


def create_round(
    actor,
    courier_id,
    bike_id,
    start: datetime | None,
    end: datetime | None,
    slot_id: int | None = None,
) -> Round:
    """A new round in preparation for one courier on one bike."""
    courier = Courier.objects.select_related("user").filter(pk=as_int(courier_id)).first()
    bike = CargoBike.objects.filter(pk=as_int(bike_id)).first()
    slot = DeliverySlot.objects.filter(pk=as_int(slot_id)).first() if slot_id else None
    _check_round_fields(courier, bike, start, end)
    try:
        with transaction.atomic():
            _check_free(courier, bike, start, end)
            round_ = Round.objects.create(
                date=timezone.localtime(start).date(),
                slot=slot,
                start=start,
                end=end,
                courier=courier,
                bike=bike,
            )
            live.round_changed(round_)
            return round_
    except IntegrityError:
        # The exclusion constraint caught a twin created at the same moment.
        raise Conflict(_("Ce coursier ou ce vélo vient d'être pris à ces heures.")) from None


def change_round(round_id, actor, courier_id=None, bike_id=None, start=None, end=None) -> Round:
    """Change a round's courier, bike or window (until it has started)."""
    try:
        with transaction.atomic():
            round_ = lock_round(round_id)
            check_editable(round_)
            courier = (
                Courier.objects.select_related("user").filter(pk=as_int(courier_id)).first()
                if courier_id is not None
                else round_.courier
            )
            bike = (
                CargoBike.objects.filter(pk=as_int(bike_id)).first()
                if bike_id is not None
                else round_.bike
            )
            start, end = start or round_.start, end or round_.end
            previous_courier = round_.courier_id
            _check_round_fields(courier, bike, start, end)
            _check_free(courier, bike, start, end, exclude=round_.pk)
            round_.courier, round_.bike, round_.start, round_.end = courier, bike, start, end
            round_.date = timezone.localtime(start).date()
            round_.save()
            measure_round(round_)
            live.round_changed(round_, courier_id=previous_courier)
            return round_
    except IntegrityError:
        raise Conflict(_("Ce coursier ou ce vélo vient d'être pris à ces heures.")) from None


def delete_round(round_id, actor) -> None:
    """Drop a round in preparation: its deliveries go back to the unplanned ones."""
    with transaction.atomic():
        round_ = lock_round(round_id)
        if round_.status != RoundStatus.DRAFT:
            raise Conflict(_("Seule une tournée non publiée peut être supprimée."))
        for delivery in lock_deliveries(round_.deliveries.values_list("pk", flat=True)):
            unplan(delivery, round_, actor)
        live.round_changed(round_)
        round_.delete()


def lock_deliveries(ids) -> list[Delivery]:
    return list(
        Delivery.objects.select_for_update(of=("self",)).filter(pk__in=list(ids)).order_by("pk")
    )


def add_deliveries(round_id, delivery_ids, actor) -> Round:
    """Put unplanned deliveries at the end of a round, in the order given (each one's
    pickups, then its drop-off)."""
    with transaction.atomic():
        round_ = lock_round(round_id)
        check_editable(round_)
        ids = as_ints(delivery_ids)
        locked = {d.pk: d for d in lock_deliveries(ids)}
        deliveries = [locked[pk] for pk in dict.fromkeys(ids) if pk in locked]
        if not deliveries:
            raise ValidationError({"deliveries": _("Choisissez au moins une livraison.")})
        for delivery in deliveries:
            _check_plannable(delivery, round_)
        sequence = _next_sequence(round_)
        for delivery in deliveries:
            sequence = _append_stops(round_, delivery, sequence)
            delivery.round, delivery.unplaced_reason = round_, ""
            delivery.save(update_fields=["round", "unplaced_reason", "updated_at"])
            record_event(
                delivery,
                EventKind.PLANNED,
                _("Ajoutée à la tournée %(of_name)s.") % {"of_name": elide("de", round_.courier)},
                EventSource.BOARD,
                actor,
            )
        measure_round(round_)
        live.round_changed(round_)
    return round_


def _check_plannable(delivery: Delivery, round_: Round) -> None:
    if delivery.status not in (DeliveryStatus.AWAITING, DeliveryStatus.READY):
        raise Conflict(
            _("La livraison %(number)s est « %(status)s » : elle ne peut pas être planifiée.")
            % {"number": delivery.order_number, "status": delivery.get_status_display()}
        )
    if delivery.round_id is not None and delivery.round_id != round_.pk:
        raise Conflict(
            _("La livraison %(number)s est déjà dans une autre tournée.")
            % {"number": delivery.order_number}
        )
    if delivery.round_id == round_.pk:
        raise Conflict(
            _("La livraison %(number)s est déjà dans cette tournée.")
            % {"number": delivery.order_number}
        )


def _next_sequence(round_: Round) -> int:
    last = round_.stops.order_by("-sequence").values_list("sequence", flat=True).first()
    return (last or 0) + 1


def _append_stops(round_: Round, delivery: Delivery, sequence: int) -> int:
    stops = []
    if not delivery.at_hub:
        for pickup in delivery.pickups.filter(
            status__in=[PickupStatus.WAITING, PickupStatus.READY]
        ):
            stops.append(Stop(round=round_, delivery=delivery, pickup=pickup, kind=StopKind.PICKUP))
    stops.append(Stop(round=round_, delivery=delivery, kind=StopKind.DROPOFF))
    for stop in stops:
        stop.sequence = sequence
        sequence += 1
    Stop.objects.bulk_create(stops)
    return sequence


def remove_delivery(round_id, delivery_id, actor) -> Round:
    """Take a delivery out of a round not started yet; it is unplanned again."""
    with transaction.atomic():
        round_ = lock_round(round_id)
        check_editable(round_)
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=as_int(delivery_id), round=round_)
            .first()
        )
        if delivery is None:
            raise ValidationError({"delivery": _("Cette livraison n'est pas dans la tournée.")})
        unplan(delivery, round_, actor)
        renumber(round_)
        measure_round(round_)
        withdraw_if_emptied(
            round_,
            why=_("Tournée retirée du coursier : sa dernière livraison en a été retirée."),
            source="delivery.remove_delivery",
        )
        live.round_changed(round_)
    return round_


def unplan(delivery: Delivery, round_: Round, actor, reason: str = "") -> None:
    round_.stops.filter(delivery=delivery, state=StopState.TODO).delete()
    delivery.round, delivery.unplaced_reason = None, reason[:250]
    delivery.save(update_fields=["round", "unplaced_reason", "updated_at"])
    record_event(
        delivery,
        EventKind.UNPLANNED,
        (_("Retirée de la tournée %(of_name)s.") % {"of_name": elide("de", round_.courier)})
        + (f" {reason}" if reason else ""),
        EventSource.BOARD,
        actor,
    )


def move_stop(round_id, stop_id, offset: int, actor) -> Round:
    """Move a stop up (-1) or down (+1) by hand, keeping pickups before their drop-off."""
    with transaction.atomic():
        round_ = lock_round(round_id)
        check_editable(round_)
        stops = list(round_.stops.order_by("sequence", "pk"))
        index = next((i for i, s in enumerate(stops) if s.pk == as_int(stop_id)), None)
        if index is None:
            raise ValidationError({"stop": _("Cet arrêt n'est pas dans la tournée.")})
        target = index + (1 if offset > 0 else -1)
        if not 0 <= target < len(stops):
            raise Conflict(_("Cet arrêt est déjà au bout de la tournée."))
        stops[index], stops[target] = stops[target], stops[index]
        _apply_order(round_, stops)
    return round_


def reorder_stops(round_id, stop_ids, actor) -> Round:
    """Set the whole order of a round's stops (every stop once, pickups before drop-offs)."""
    with transaction.atomic():
        round_ = lock_round(round_id)
        check_editable(round_)
        stops = {s.pk: s for s in round_.stops.all()}
        ids = as_ints(stop_ids)
        if sorted(ids) != sorted(stops):
            raise ValidationError(
                {"stops": _("Donnez chaque arrêt de la tournée une fois, dans l'ordre voulu.")}
            )
        _apply_order(round_, [stops[pk] for pk in ids])
    return round_


def _apply_order(round_: Round, stops: list[Stop]) -> None:
    dropped_off = set()
    for stop in stops:
        if stop.kind == StopKind.DROPOFF:
            dropped_off.add(stop.delivery_id)
        elif stop.delivery_id in dropped_off:
            raise Conflict(_("Chaque enlèvement doit précéder la livraison de la même commande."))
    for sequence, stop in enumerate(stops, start=1):
        stop.sequence = sequence
    Stop.objects.bulk_update(stops, ["sequence"])
    measure_round(round_)
    live.round_changed(round_)


def renumber(round_: Round) -> None:
    stops = list(round_.stops.order_by("sequence", "pk"))
    for sequence, stop in enumerate(stops, start=1):
        stop.sequence = sequence
    Stop.objects.bulk_update(stops, ["sequence"])


def stop_leg(stop: Stop, start: datetime) -> routing.Leg:
    """A stop as the router sees it: where, how long it takes, and (a drop-off) the time its
    slot opens, in seconds after ``start``."""
    if stop.kind == StopKind.PICKUP:
        point = routing.Point(float(stop.pickup.latitude), float(stop.pickup.longitude))
        return routing.Leg(point, routing.PARCEL_S, 0, routing.PICKUP_SETUP_S)
    point = routing.Point(float(stop.delivery.latitude), float(stop.delivery.longitude))
    opens = int((stop.delivery.slot.start - start).total_seconds())
    return routing.Leg(point, routing.PARCEL_S, max(opens, 0), routing.DROPOFF_SETUP_S)


def _place_of(stop: Stop) -> tuple:
    if stop.kind == StopKind.PICKUP:
        return ("shop", stop.pickup.shop_id)
    return ("door", stop.delivery.latitude, stop.delivery.longitude)


def number_visits(stops: list[Stop]) -> None:
    """Stops in a row at the same shop (or the same door) are one visit: one number."""
    visit, previous = 0, None
    for stop in stops:
        if _place_of(stop) != previous:
            visit += 1
            previous = _place_of(stop)
        stop.visit = visit


def measure_round(round_: Round, keep_times: bool = False) -> None:
    """Planned distance, duration, visits, times of passage and load along the current order
    (``keep_times``: the solver set the times, only the totals are measured again)."""
    stops = list(
        round_.stops.exclude(state=StopState.CANCELLED)
        .select_related("delivery__slot", "pickup")
        .order_by("sequence", "pk")
    )
    measured = routing.measure([stop_leg(s, round_.start) for s in stops], solver_options())
    round_.distance_m, round_.duration_s = measured.distance_m, measured.duration_s
    round_.save(update_fields=["distance_m", "duration_s"])
    if keep_times:
        return
    number_visits(stops)
    load = sum(
        s.delivery.weight_grams for s in stops if s.kind == StopKind.DROPOFF and s.delivery.at_hub
    )
    for stop, arrival in zip(stops, measured.arrivals_s, strict=True):
        stop.planned_at = round_.start + timedelta(seconds=arrival)
        stop.expected_at = stop.planned_at
        load += stop.pickup.weight_grams if stop.kind == StopKind.PICKUP else 0
        if stop.kind == StopKind.DROPOFF:
            load = max(load - stop.delivery.weight_grams, 0)
        stop.load_grams = load
    Stop.objects.bulk_update(stops, ["planned_at", "expected_at", "load_grams", "visit"])


def publish_round(round_id, actor) -> Round:
    """Send the round to its courier (again after a change): it shows on their phone."""
    with transaction.atomic():
        round_ = lock_round(round_id)
        check_editable(round_)
        if not round_.stops.filter(state=StopState.TODO).exists():
            raise Conflict(_("Cette tournée n'a aucun arrêt : ajoutez-y des livraisons."))
        round_.published_at = timezone.now()
        if round_.status == RoundStatus.PUBLISHED:  # published again after a change
            round_.save(update_fields=["published_at"])
        else:
            transition(
                round_,
                RoundStatus.PUBLISHED,
                by=actor,
                why=_("Tournée publiée pour %(name)s.") % {"name": round_.courier},
                source="delivery.publish_round",
                fields=["published_at"],
            )
        for delivery in round_.deliveries.all():
            record_event(
                delivery,
                EventKind.PUBLISHED,
                _("Tournée publiée pour %(name)s.") % {"name": round_.courier},
                EventSource.BOARD,
                actor,
            )
        notifications.round_published(round_)
        live.round_changed(round_, published=True)
    return round_


def as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def as_ints(values) -> list[int]:
    if isinstance(values, (str, int)):
        values = [values]
    ints = [as_int(v) for v in values or []]
    return [v for v in ints if v is not None]

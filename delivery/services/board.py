"""What the dispatch board shows for a day, read in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q

from delivery.models import (
    BikeStatus,
    CargoBike,
    Courier,
    Delivery,
    DeliveryEvent,
    DeliverySlot,
    DeliveryStatus,
    Round,
    Stop,
    StopKind,
    StopState,
)
from delivery.services.maps import ROUTE_COLOURS

PLANNABLE = [DeliveryStatus.AWAITING, DeliveryStatus.READY]


@dataclass
class RoundCard:
    round: object
    stops: list
    max_load_grams: int
    colour: int = 0  # the round's colour on the map and beside its card

    @property
    def overloaded(self) -> bool:
        return self.max_load_grams > self.round.bike.payload_grams

    @property
    def deliveries(self) -> list:
        seen, found = set(), []
        for stop in self.stops:
            if stop.delivery_id not in seen:
                seen.add(stop.delivery_id)
                found.append(stop.delivery)
        return found


@dataclass
class SlotColumn:
    slot: DeliverySlot | None
    unplanned: list = field(default_factory=list)
    rounds: list[RoundCard] = field(default_factory=list)
    round_form: object | None = None  # set by the board view

    @property
    def key(self) -> str:
        return f"slot-{self.slot.pk}" if self.slot else "slot-none"


@dataclass
class Board:
    day: date
    columns: list[SlotColumn]
    failures: list
    couriers: list
    bikes: list

    @property
    def editable_rounds(self) -> list:
        return [card.round for col in self.columns for card in col.rounds if card.round.is_editable]


def board_stops():
    return Stop.objects.select_related("delivery", "pickup").order_by("sequence", "pk")


def _round_card(round_) -> RoundCard:
    stops = [s for s in round_.stops.all() if s.state != StopState.CANCELLED]
    loads = [s.load_grams for s in stops]
    at_start = sum(
        s.delivery.weight_grams for s in stops if s.kind == StopKind.DROPOFF and s.delivery.at_hub
    )
    return RoundCard(round_, stops, max(loads + [at_start]))


def day_rounds(day: date):
    return (
        Round.objects.filter(date=day)
        .select_related("courier__user", "bike", "slot")
        .prefetch_related(Prefetch("stops", queryset=board_stops()))
        .order_by("start", "pk")
    )


def failures_to_handle():
    """Failed deliveries waiting for dispatch's decision, oldest first."""
    return (
        Delivery.objects.filter(status=DeliveryStatus.FAILED)
        .select_related("slot")
        .order_by("updated_at", "pk")
    )


def board_for_day(day: date) -> Board:
    """A day's slots, each with its deliveries not yet in a round and its rounds."""
    slots = list(DeliverySlot.objects.filter(date=day).order_by("start"))
    columns = {slot.pk: SlotColumn(slot) for slot in slots}
    unplanned = (
        Delivery.objects.filter(slot__date=day, status__in=PLANNABLE, round__isnull=True)
        .select_related("slot", "relay_point")
        .prefetch_related("pickups")
        .order_by("slot__start", "pk")
    )
    for delivery in unplanned:
        columns.setdefault(delivery.slot_id, SlotColumn(delivery.slot)).unplanned.append(delivery)
    other = SlotColumn(None)
    for number, round_ in enumerate(day_rounds(day)):
        column = columns.get(round_.slot_id, other) if round_.slot_id else other
        card = _round_card(round_)
        card.colour = number % ROUTE_COLOURS
        column.rounds.append(card)
    ordered = sorted(columns.values(), key=lambda c: c.slot.start)
    if other.rounds:
        ordered.append(other)
    return Board(
        day=day,
        columns=ordered,
        failures=list(failures_to_handle()),
        couriers=list(Courier.objects.active().select_related("user")),
        bikes=list(CargoBike.objects.filter(status=BikeStatus.IN_SERVICE)),
    )


def unplanned_by_slot(day: date) -> list[tuple[DeliverySlot, int]]:
    """Each slot of the day with how many of its deliveries are in no round yet."""
    slots = (
        DeliverySlot.objects.filter(date=day)
        .annotate(
            waiting=Count(
                "deliveries",
                filter=Q(deliveries__status__in=PLANNABLE, deliveries__round__isnull=True),
            )
        )
        .order_by("start")
    )
    return [(slot, slot.waiting) for slot in slots if slot.waiting]


def delivery_with_history(delivery_id) -> Delivery | None:
    """A delivery with its pickups, stops and history, for staff."""
    return (
        Delivery.objects.select_related("slot", "relay_point", "round__courier__user")
        .prefetch_related(
            "pickups",
            Prefetch(
                "events",
                queryset=DeliveryEvent.objects.select_related("actor").order_by(
                    "occurred_at", "pk"
                ),
            ),
        )
        .filter(pk=delivery_id)
        .first()
    )

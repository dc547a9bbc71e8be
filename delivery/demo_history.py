"""Dispatch's past in the demo: the cargo-bike deliveries of the last eight weeks (placed by the
shop's demo history) planned in rounds and ridden, each delivered or failed, with the rounds'
kilometres and the couriers' hours.

Rounds are planned through the planning services (window, stops, measured distance); what the
couriers did is then written straight to delivery's tables and dated in the past, the statuses
moved along the declared workflows by ``record_past`` with the dated history (who, when, from,
to, why) the courier's and dispatch's services would have recorded: replaying their actions
through the services would notify the shop, which would e-mail every shopper about weeks-old
parcels. Only past deliveries of demo accounts still waiting for a round are ridden, so a
second run changes nothing.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import (
    BikeStatus,
    CargoBike,
    Courier,
    Delivery,
    DeliveryEvent,
    DeliverySlot,
    DeliveryStatus,
    EventKind,
    EventSource,
    FailureReason,
    Pickup,
    PickupStatus,
    Round,
    RoundStatus,
    Stop,
    StopKind,
    StopState,
)
from delivery.services.planning import add_deliveries, create_round, default_window
from hub.services import DEMO_DOMAIN, Actor, PastMove, demo_history_days, record_past

# One drop-off in fourteen fails (about 7 %): every few days, whatever the dates drawn.
FAIL_EVERY = 14
FAILURES = [
    (FailureReason.ABSENT, "Personne à la maison, avis de passage laissé."),
    (FailureReason.ABSENT, "Pas de réponse à l'interphone ni au téléphone."),
    (FailureReason.ADDRESS_NOT_FOUND, "Pas de nom sur les boîtes aux lettres."),
    (FailureReason.REFUSED, "Commande passée en double, refusée à la porte."),
]
HOUR = timedelta(hours=1)
DELIVERY_FIELDS = [
    "delivered_at",
    "recipient_name",
    "payment_collected",
    "failure_reason",
    "failure_note",
    "failures",
    "at_hub",
    "updated_at",
]
# A failure older than this was settled by dispatch: the parcels went back to the shops.
DISPATCH_DECIDES_WITHIN = timedelta(days=2)


def _past_of_the_demo():
    """The demo accounts' deliveries of the past weeks (slots over before today)."""
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    return Delivery.objects.filter(
        slot__end__lte=midnight,
        slot__date__gte=today - timedelta(days=demo_history_days()),
        contact_email__endswith=f"@{DEMO_DOMAIN}",
    )


def _waiting_deliveries() -> dict[DeliverySlot, list[Delivery]]:
    deliveries = (
        _past_of_the_demo()
        # Only parcels every shop said ready: a courier never picks one up before.
        .filter(status=DeliveryStatus.READY, round__isnull=True)
        .select_related("slot")
        .order_by("slot__start", "pk")
    )
    by_slot: dict[DeliverySlot, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_slot[delivery.slot].append(delivery)
    return by_slot


def _nearest_first(deliveries: list[Delivery]) -> list[Delivery]:
    """A plausible order of the drop-offs: each time the nearest one to where the bike is."""
    here = settings.DELIVERY_HUB_POSITION
    left, ordered = list(deliveries), []
    while left:
        nearest = min(
            left,
            key=lambda d: math.dist(here, (float(d.latitude), float(d.longitude))),
        )
        ordered.append(nearest)
        left.remove(nearest)
        here = (float(nearest.latitude), float(nearest.longitude))
    return ordered


class Past:
    """The moves of the rows ridden, by model, recorded together at the end."""

    def __init__(self) -> None:
        self.paths: dict[type, list[tuple[models.Model, list[PastMove]]]] = defaultdict(list)
        self.dispatcher = get_user_model().objects.filter(email=f"dispatch@{DEMO_DOMAIN}").first()

    def add(self, row: models.Model, *moves: PastMove) -> None:
        self.paths[type(row)].append((row, list(moves)))

    def record(self) -> None:
        for model in (Round, Stop, Pickup, Delivery):
            record_past(self.paths[model])


class Ride:
    """One past round ridden from its planned stops: times, outcomes, events, moves."""

    def __init__(
        self,
        round_: Round,
        rng: random.Random,
        dropoffs: Iterator[int],
        past: Past,
        planned: datetime,
    ):
        self.round, self.rng, self.dropoffs, self.past = round_, rng, dropoffs, past
        self.planned = planned  # when dispatch planned the round's deliveries
        self.events: list[DeliveryEvent] = []
        self.label = str(round_.courier)
        self.courier: Actor = round_.courier.user
        self.moves: dict[int, list[PastMove]] = defaultdict(list)  # by delivery
        self.closed: list[PastMove] = []  # the stops' moves, in riding order

    def event(self, delivery, kind, message, source, at) -> None:
        self.events.append(
            DeliveryEvent(
                delivery=delivery,
                kind=kind,
                message=message,
                actor_label=self.label if source == EventSource.COURIER else "",
                source=source,
                occurred_at=at,
            )
        )

    def run(self) -> None:
        round_ = self.round
        stops = list(round_.stops.select_related("delivery", "pickup").order_by("sequence"))
        # Published once its deliveries are planned, before it leaves the hub.
        after_planning = self.planned + timedelta(minutes=self.rng.randint(5, 25))
        published_at = min(after_planning, round_.start)
        started_at = round_.start + timedelta(minutes=self.rng.randint(0, 10))
        late = timedelta(minutes=self.rng.randint(-5, 15))
        for stop in stops:
            assert stop.planned_at is not None  # measured when the deliveries were added
            stop.done_at = stop.planned_at + late
            if stop.kind == StopKind.PICKUP:
                self._pickup(stop, stop.done_at)
            else:
                self._dropoff(stop, stop.done_at)
        finished_at = round_.start + timedelta(seconds=round_.duration_s) + late
        round_.published_at, round_.started_at = published_at, started_at
        round_.finished_at = finished_at
        round_.save(update_fields=["published_at", "started_at", "finished_at"])
        Stop.objects.bulk_update(stops, ["done_at", "failure_reason"])
        pickups = [stop.pickup for stop in stops if stop.pickup is not None]
        Pickup.objects.bulk_update(pickups, ["picked_up_at"])
        dropped = [stop.delivery for stop in stops if stop.kind == StopKind.DROPOFF]
        Delivery.objects.bulk_update(dropped, DELIVERY_FIELDS)
        published = _("Tournée publiée pour %(name)s.") % {"name": self.label}
        for delivery in dropped:
            self.past.add(delivery, *self.moves[delivery.pk])
            self.event(delivery, EventKind.PUBLISHED, published, EventSource.BOARD, published_at)
        first, last = self.closed[0], self.closed[-1]
        self.past.add(  # published by dispatch, started and finished by the courier
            round_,
            PastMove(
                RoundStatus.PUBLISHED,
                published_at,
                published,
                "delivery.publish_round",
                self.past.dispatcher,
            ),
            PastMove(RoundStatus.IN_PROGRESS, started_at, first.why, first.source, first.by),
            PastMove(
                RoundStatus.FINISHED,
                max(finished_at, started_at),
                _("Dernier arrêt enregistré."),
                last.source,
                self.courier,
            ),
        )

    def _close(self, stop: Stop, at: datetime, state: str, why: str, source: str) -> None:
        self.closed.append(PastMove(state, at, why, source, self.courier))
        self.past.add(stop, self.closed[-1])

    def _pickup(self, stop: Stop, at: datetime) -> None:
        pickup, source = stop.pickup, "delivery.record_pickup"
        assert pickup is not None  # a pickup stop has its pickup (constraint)
        pickup.picked_up_at = at
        why = _("Récupérée chez %(shop)s.") % {"shop": pickup.shop_name}
        self.past.add(pickup, PastMove(PickupStatus.PICKED_UP, at, why, source, self.courier))
        moves = self.moves[stop.delivery_id]
        if not moves:  # the first parcel on the bike: the delivery is on its way
            moves.append(PastMove(DeliveryStatus.IN_TRANSIT, at, why, source, self.courier))
        self._close(stop, at, StopState.DONE, why, source)
        self.event(stop.delivery, EventKind.PICKED_UP, why, EventSource.COURIER, at)

    def _dropoff(self, stop: Stop, at: datetime) -> None:
        delivery = stop.delivery
        moves = self.moves[delivery.pk]
        if next(self.dropoffs) % FAIL_EVERY != FAIL_EVERY // 2:
            delivery.delivered_at = at
            delivery.recipient_name = delivery.contact_name
            delivery.payment_collected = delivery.payment_due > 0
            why = _("Livrée, remise à %(name)s.") % {"name": delivery.recipient_name}
            source = "delivery.record_delivery"
            moves.append(PastMove(DeliveryStatus.DELIVERED, at, why, source, self.courier))
            self._close(stop, at, StopState.DONE, why, source)
            self.event(delivery, EventKind.DELIVERED, why, EventSource.COURIER, at)
        else:
            reason, note = self.rng.choice(FAILURES)
            stop.failure_reason = delivery.failure_reason = reason
            delivery.failure_note, delivery.failures, delivery.at_hub = note, 1, True
            why, source = f"{FailureReason(reason).label} : {note}", "delivery.record_failure"
            moves.append(PastMove(DeliveryStatus.FAILED, at, why, source, self.courier))
            self._close(stop, at, StopState.FAILED, why, source)
            self.event(delivery, EventKind.FAILED, why, EventSource.COURIER, at)
            if at < timezone.now() - DISPATCH_DECIDES_WITHIN:
                self._returned(delivery, at + timedelta(hours=3))
        delivery.updated_at = self.events[-1].occurred_at

    def _returned(self, delivery: Delivery, back: datetime) -> None:
        """Dispatch gave up on the failed delivery: the parcels went back to the shops."""
        why = _("Colis rapportés aux commerces : %(reason)s") % {
            "reason": delivery.get_failure_reason_display()
        }
        source = "delivery.return_to_shops"
        self.moves[delivery.pk].append(
            PastMove(DeliveryStatus.RETURNED, back, why, source, self.past.dispatcher)
        )
        self.event(delivery, EventKind.RETURNED, why, EventSource.BOARD, back)


def planned_at(slot: DeliverySlot, departure: datetime) -> datetime:
    """When dispatch planned a past slot's round: once its orders are in (a quarter of an hour
    after the cut-off), and no later than half an hour before the round leaves."""
    return min(slot.cutoff + timedelta(minutes=15), departure - timedelta(minutes=30))


def _date_the_history(waiting: dict[DeliverySlot, list[Delivery]]) -> None:
    """The planning recorded while seeding gets the date it would have had (the shop dated
    the steps it told), and every step of the past reads as recorded when it happened (not
    sent late)."""
    for slot, deliveries in waiting.items():
        planned = planned_at(slot, default_window(slot)[0])
        DeliveryEvent.objects.filter(delivery__in=deliveries, kind=EventKind.PLANNED).update(
            occurred_at=planned
        )
    DeliveryEvent.objects.filter(
        delivery__in=_past_of_the_demo(), recorded_at__gt=F("occurred_at")
    ).update(recorded_at=F("occurred_at"))


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Ride the past deliveries of the demo, one round per slot (idempotent)."""
    waiting = _waiting_deliveries()
    couriers = list(Courier.objects.active().order_by("pk"))
    bikes = list(CargoBike.objects.filter(status=BikeStatus.IN_SERVICE).order_by("pk"))
    if not waiting or len(couriers) < 2 or len(bikes) < 2:
        return []
    dropoffs, past = itertools.count(), Past()
    for index, (slot, deliveries) in enumerate(waiting.items()):
        rng = random.Random(f"anima-demo-rounds-{slot.start.isoformat()}")
        # Consecutive slots overlap by their lead and return times: alternate bikes and people.
        courier, bike = couriers[index % len(couriers)], bikes[index % len(bikes)]
        start, end = default_window(slot)
        round_ = create_round(None, courier.pk, bike.pk, start, end, slot.pk)
        ids = [delivery.pk for delivery in _nearest_first(deliveries)]
        round_ = add_deliveries(round_.pk, ids, None)
        ride = Ride(round_, rng, dropoffs, past, planned=planned_at(slot, start))
        ride.run()
        DeliveryEvent.objects.bulk_create(ride.events)
    past.record()
    _date_the_history(waiting)
    _count_places(waiting)
    return []


def _count_places(waiting: dict[DeliverySlot, list[Delivery]]) -> None:
    """Past slots hold one place per delivery they carried."""
    counts = DeliverySlot.objects.filter(pk__in=[slot.pk for slot in waiting]).annotate(
        carried=Count("deliveries")
    )
    for slot in counts:
        DeliverySlot.objects.filter(pk=slot.pk).update(reserved=min(slot.carried, slot.capacity))

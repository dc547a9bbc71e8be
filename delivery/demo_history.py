"""Dispatch's past in the demo: the cargo-bike deliveries of the last eight weeks (placed by the
shop's demo history) planned in rounds and ridden, each delivered or failed, with the rounds'
kilometres and the couriers' hours.

Rounds are planned through the planning services (window, stops, measured distance); what the
couriers did is then written straight to delivery's tables and dated in the past: replaying
their actions through the services would notify the shop, which would e-mail every shopper
about weeks-old parcels. Only past deliveries of demo accounts still waiting for a round are
ridden, so a second run changes nothing.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
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
from hub.services import DEMO_DOMAIN, demo_history_days

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
    "status",
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


def _waiting_deliveries() -> dict[DeliverySlot, list[Delivery]]:
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    deliveries = (
        Delivery.objects.filter(
            status__in=[DeliveryStatus.AWAITING, DeliveryStatus.READY],
            round__isnull=True,
            slot__end__lte=midnight,
            slot__date__gte=today - timedelta(days=demo_history_days()),
            contact_email__endswith=f"@{DEMO_DOMAIN}",
        )
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


class Ride:
    """One past round ridden from its planned stops: times, outcomes, events."""

    def __init__(self, round_: Round, rng: random.Random, dropoffs: Iterator[int]):
        self.round, self.rng, self.dropoffs = round_, rng, dropoffs
        self.events: list[DeliveryEvent] = []
        self.label = str(round_.courier)

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
        round_.published_at = round_.start - timedelta(hours=self.rng.randint(2, 20))
        round_.started_at = round_.start + timedelta(minutes=self.rng.randint(0, 10))
        late = timedelta(minutes=self.rng.randint(-5, 15))
        for stop in stops:
            stop.done_at = stop.planned_at + late
            if stop.kind == StopKind.PICKUP:
                self._pickup(stop)
            else:
                self._dropoff(stop)
        round_.finished_at = round_.start + timedelta(seconds=round_.duration_s) + late
        round_.status = RoundStatus.FINISHED
        round_.save(update_fields=["published_at", "started_at", "finished_at", "status"])
        Stop.objects.bulk_update(stops, ["state", "done_at", "failure_reason"])
        pickups = [stop.pickup for stop in stops if stop.kind == StopKind.PICKUP]
        Pickup.objects.bulk_update(pickups, ["status", "picked_up_at"])
        dropped = [stop.delivery for stop in stops if stop.kind == StopKind.DROPOFF]
        Delivery.objects.bulk_update(dropped, DELIVERY_FIELDS)
        for delivery in dropped:
            self.event(
                delivery,
                EventKind.PUBLISHED,
                _("Tournée publiée pour %(name)s.") % {"name": self.label},
                EventSource.BOARD,
                round_.published_at,
            )

    def _pickup(self, stop: Stop) -> None:
        stop.state = StopState.DONE
        pickup = stop.pickup
        pickup.status, pickup.picked_up_at = PickupStatus.PICKED_UP, stop.done_at
        self.event(
            stop.delivery,
            EventKind.PICKED_UP,
            _("Récupérée chez %(shop)s.") % {"shop": pickup.shop_name},
            EventSource.COURIER,
            stop.done_at,
        )

    def _dropoff(self, stop: Stop) -> None:
        delivery, at = stop.delivery, stop.done_at
        if next(self.dropoffs) % FAIL_EVERY != FAIL_EVERY // 2:
            stop.state = StopState.DONE
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, at
            delivery.recipient_name = delivery.contact_name
            delivery.payment_collected = delivery.payment_due > 0
            self.event(delivery, EventKind.DELIVERED, _("Livrée."), EventSource.COURIER, at)
        else:
            reason, note = self.rng.choice(FAILURES)
            stop.state, stop.failure_reason = StopState.FAILED, reason
            delivery.status, delivery.failure_reason = DeliveryStatus.FAILED, reason
            delivery.failure_note, delivery.failures, delivery.at_hub = note, 1, True
            self.event(delivery, EventKind.FAILED, note, EventSource.COURIER, at)
            if at < timezone.now() - DISPATCH_DECIDES_WITHIN:
                delivery.status = DeliveryStatus.RETURNED
                back = at + timedelta(hours=3)
                message = _("Rapportée aux commerces après l'échec.")
                self.event(delivery, EventKind.RETURNED, message, EventSource.BOARD, back)
        delivery.updated_at = self.events[-1].occurred_at


def _date_the_history(waiting: dict[DeliverySlot, list[Delivery]]) -> None:
    """The steps recorded while seeding (created, part dropped, planned) get the dates they
    would have had, and every step reads as recorded when it happened (not sent late)."""
    for slot, deliveries in waiting.items():
        events = DeliveryEvent.objects.filter(delivery__in=deliveries)
        created = slot.cutoff - timedelta(hours=6)
        planned = slot.cutoff + timedelta(minutes=15)
        events.filter(kind=EventKind.CREATED).update(occurred_at=created)
        events.filter(kind=EventKind.PICKUP_DROPPED).update(occurred_at=created + HOUR)
        events.filter(kind=EventKind.PLANNED).update(occurred_at=planned)
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(created_at=created)
    every = [delivery for group in waiting.values() for delivery in group]
    DeliveryEvent.objects.filter(delivery__in=every).update(recorded_at=F("occurred_at"))


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Ride the past deliveries of the demo, one round per slot (idempotent)."""
    waiting = _waiting_deliveries()
    couriers = list(Courier.objects.active().order_by("pk"))
    bikes = list(CargoBike.objects.filter(status=BikeStatus.IN_SERVICE).order_by("pk"))
    if not waiting or len(couriers) < 2 or len(bikes) < 2:
        return []
    every = [delivery for group in waiting.values() for delivery in group]
    dropoffs = itertools.count()
    Pickup.objects.filter(delivery__in=every, status=PickupStatus.WAITING).update(
        status=PickupStatus.READY
    )
    for index, (slot, deliveries) in enumerate(waiting.items()):
        rng = random.Random(f"anima-demo-rounds-{slot.start.isoformat()}")
        # Consecutive slots overlap by their lead and return times: alternate bikes and people.
        courier, bike = couriers[index % len(couriers)], bikes[index % len(bikes)]
        start, end = default_window(slot)
        round_ = create_round(None, courier.pk, bike.pk, start, end, slot.pk)
        ids = [delivery.pk for delivery in _nearest_first(deliveries)]
        round_ = add_deliveries(round_.pk, ids, None)
        ride = Ride(round_, rng, dropoffs)
        ride.run()
        DeliveryEvent.objects.bulk_create(ride.events)
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

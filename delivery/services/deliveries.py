"""Deliveries from checkout on: created by the shop, told when parts are ready or dropped.

The shop calls these inside its own transaction (its order row is locked first, then the
delivery row): an order and its delivery never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import (
    Delivery,
    DeliveryEvent,
    DeliverySlot,
    DeliveryStatus,
    EventKind,
    EventSource,
    Pickup,
    PickupStatus,
    RelayPoint,
    Round,
    RoundStatus,
    Stop,
    StopState,
)
from delivery.services import live
from hub.services import elide, other_fields, transition


@dataclass(frozen=True)
class PickupRequest:
    """A shop's part: where to collect it, what it holds, how heavy it is, and when the shop
    is open on the delivery day (empty: not known)."""

    shop_id: int
    shop_name: str
    address: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str = ""
    items: list[str] = field(default_factory=list)
    weight_grams: int = 0
    opening_hours: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class DeliveryRequest:
    """What the shop knows at checkout, as plain data (delivery never imports the shop)."""

    order_number: str
    slot_id: int
    contact_name: str
    contact_phone: str
    contact_email: str
    pickups: list[PickupRequest]
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    relay_point_id: int | None = None
    instructions: str = ""
    payment_due: Decimal = Decimal("0")
    payment_method: str = ""
    news_by_sms: bool = False
    # When the order was placed: now, unless a past is being written (the demo's history).
    ordered_at: datetime | None = None


def record_event(
    delivery: Delivery,
    kind: str,
    message: str,
    source: str,
    actor=None,
    occurred_at: datetime | None = None,
) -> DeliveryEvent:
    """Add a step to the delivery's history (who, when, from where)."""
    label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        label = actor.get_full_name() or actor.email
    return DeliveryEvent.objects.create(
        delivery=delivery,
        kind=kind,
        message=message[:300],
        actor=actor if label else None,
        actor_label=label or EventSource(source).label,
        source=source,
        occurred_at=occurred_at or timezone.now(),
    )


def create_delivery(request: DeliveryRequest) -> Delivery:
    """Create the delivery of a checked-out order (inside the checkout's transaction)."""
    if not request.pickups:
        raise ValidationError({"pickups": _("Une livraison part d'au moins un commerce.")})
    slot = DeliverySlot.objects.filter(pk=request.slot_id).first()
    if slot is None:
        raise ValidationError({"slot": _("Choisissez un créneau de livraison de la liste.")})
    address, latitude, longitude, relay_point = _destination(request)
    delivery = Delivery.objects.create(
        order_number=request.order_number,
        slot=slot,
        relay_point=relay_point,
        address=address,
        latitude=latitude,
        longitude=longitude,
        contact_name=request.contact_name[:150],
        contact_phone=request.contact_phone[:20],
        contact_email=request.contact_email,
        news_by_sms=request.news_by_sms,
        instructions=request.instructions[:500],
        payment_due=request.payment_due,
        payment_method=request.payment_method[:60],
        weight_grams=parcel_weight(request.pickups),
    )
    Pickup.objects.bulk_create([_pickup(delivery, p) for p in request.pickups])
    if request.ordered_at is not None:  # created_at is stamped on insert
        Delivery.objects.filter(pk=delivery.pk).update(created_at=request.ordered_at)
        delivery.created_at = request.ordered_at
    record_event(
        delivery,
        EventKind.CREATED,
        _("Livraison créée à la commande (%(count)d commerce(s)).")
        % {"count": len(request.pickups)},
        EventSource.SHOP,
        occurred_at=request.ordered_at,
    )
    return delivery


def _destination(request: DeliveryRequest):
    if request.relay_point_id is not None:
        point = RelayPoint.objects.filter(pk=request.relay_point_id).first()
        if point is None:
            raise ValidationError({"relay_point": _("Choisissez un point relais de la liste.")})
        return relay_address(point), point.latitude, point.longitude, point
    if request.latitude is None or request.longitude is None or not request.address:
        raise ValidationError({"address": _("Indiquez une adresse de livraison localisée.")})
    return request.address, request.latitude, request.longitude, None


def relay_address(point: RelayPoint) -> str:
    """« Name, address » of a relay point, without saying the name twice."""
    if point.address.lower().startswith(point.name.lower()):
        return point.address
    return f"{point.name}, {point.address}"


def _pickup(delivery: Delivery, request: PickupRequest) -> Pickup:
    latitude, longitude = request.latitude, request.longitude
    if latitude is None or longitude is None:
        latitude, longitude = _hub_position()
    return Pickup(
        delivery=delivery,
        shop_id=request.shop_id,
        shop_name=request.shop_name[:150],
        address=request.address[:300],
        latitude=latitude,
        longitude=longitude,
        phone=request.phone[:20],
        items="\n".join(request.items),
        weight_grams=request.weight_grams,
        opening_hours=[
            [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
            for opens, closes in request.opening_hours
        ],
    )


def _hub_position() -> tuple[Decimal, Decimal]:
    """A shop without a stored position: the hub's, until staff correct it. Never geocoded
    here: this runs inside the checkout's transaction, which holds stock and slot locks."""
    lat, lon = settings.DELIVERY_HUB_POSITION
    return Decimal(str(lat)), Decimal(str(lon))


def lock_delivery(order_number: str) -> Delivery | None:
    """The delivery of an order, its row locked for the rest of the transaction, after the
    rounds of its stops not ridden yet: rounds before deliveries, the order the courier's
    recording and planning take them in (striking a stop out locks its round, and the other
    order let a cancellation and the courier's tap on the same delivery deadlock)."""
    open_rounds = Stop.objects.filter(
        delivery__order_number=order_number, state=StopState.TODO
    ).values("round_id")
    list(Round.objects.select_for_update().filter(pk__in=open_rounds).order_by("pk"))
    return Delivery.objects.select_for_update().filter(order_number=order_number).first()


def pickup_ready(order_number: str, shop_id: int, at: datetime | None = None) -> Delivery | None:
    """The shop has prepared its part (``at``: now): the pickup can be collected."""
    with transaction.atomic():
        delivery = lock_delivery(order_number)
        if delivery is None:
            return None
        pickup = delivery.pickups.filter(shop_id=shop_id, status=PickupStatus.WAITING).first()
        if pickup is None:
            return delivery
        why = _("%(shop)s a préparé sa partie.") % {"shop": pickup.shop_name}
        source = "delivery.pickup_ready"
        pickup.ready_at = at or timezone.now()
        transition(pickup, PickupStatus.READY, why=why, source=source, fields=["ready_at"], at=at)
        record_event(delivery, EventKind.PICKUP_READY, why, EventSource.SHOP, occurred_at=at)
        refresh_status(delivery, why=why, source=source, at=at)
    return delivery


def pickup_dropped(
    order_number: str, shop_id: int, payment_due: Decimal | None = None, at: datetime | None = None
) -> Delivery | None:
    """A shop's part was refused or withdrawn (``at``: now): no stop there any more, less to
    carry."""
    with transaction.atomic():
        delivery = lock_delivery(order_number)
        if delivery is None:
            return None
        pickup = (
            delivery.pickups.filter(shop_id=shop_id)
            .exclude(status__in=[PickupStatus.DROPPED, PickupStatus.PICKED_UP])
            .first()
        )
        if pickup is None:
            return delivery
        why = _("La partie %(of_shop)s ne sera pas livrée.") % {
            "of_shop": elide("de", pickup.shop_name)
        }
        source = "delivery.pickup_dropped"
        transition(pickup, PickupStatus.DROPPED, why=why, source=source, at=at)
        _cancel_stops(pickup.stops.all(), why=why, source=source, at=at)
        if payment_due is not None:
            delivery.payment_due = payment_due
        record_event(delivery, EventKind.PICKUP_DROPPED, why, EventSource.SHOP, occurred_at=at)
        refresh_status(delivery, why=why, source=source, at=at)
    return delivery


def set_payment_due(order_number: str, amount: Decimal, method: str) -> Delivery | None:
    """What the courier collects at the door changed (an online payment refunded or lapsed)."""
    with transaction.atomic():
        delivery = lock_delivery(order_number)
        if delivery is None:
            return None
        delivery.payment_due = amount
        delivery.payment_method = method[:60]
        delivery.save(update_fields=["payment_due", "payment_method", "updated_at"])
    return delivery


def cancel_delivery(
    order_number: str, reason: str = "", at: datetime | None = None
) -> Delivery | None:
    """The order was cancelled (``at``: now): the delivery leaves its round and is closed."""
    with transaction.atomic():
        delivery = lock_delivery(order_number)
        if delivery is None or delivery.status in DeliveryStatus.closed():
            return delivery
        why = reason or _("Commande annulée.")
        source = "delivery.cancel_delivery"
        _cancel_stops(delivery.stops.all(), why=why, source=source, at=at)
        _drop_pickups(delivery, why=why, source=source, at=at)
        delivery.round = None
        transition(
            delivery, DeliveryStatus.CANCELLED, why=why, source=source, fields=["round"], at=at
        )
        record_event(delivery, EventKind.CANCELLED, why, EventSource.SHOP, occurred_at=at)
    return delivery


def _drop_pickups(delivery: Delivery, *, why: str, source: str, at: datetime | None = None) -> None:
    """Pickups not collected yet of a cancelled delivery: nothing to take at those shops any
    more (a parcel already picked up stays picked up: it is on the bike or back at the hub)."""
    for pickup in delivery.pickups.filter(status__in=[PickupStatus.WAITING, PickupStatus.READY]):
        transition(pickup, PickupStatus.DROPPED, why=why, source=source, at=at)


def _cancel_stops(stops, *, why: str, source: str, at: datetime | None = None) -> None:
    """Stops not ridden yet: gone from a round still being prepared, struck out otherwise; a
    started round whose last open stop is struck out is finished, a published round not
    started left with no stop is withdrawn from its courier (back to preparation)."""
    struck: set[int] = set()
    shortened: set[int] = set()
    for stop in stops.select_related("round").filter(state=StopState.TODO):
        if stop.round.is_editable:
            # Under the round's lock too: of two cancellations taking out the last two stops
            # at once, the second to commit sees none left and withdraws the round, once.
            Round.objects.select_for_update().filter(pk=stop.round_id).first()
            stop.delete()
            shortened.add(stop.round_id)
        else:
            # Under the round's lock, as the courier's recording: of a stop recorded and the
            # last one struck out at the same time, the second to commit sees none left open.
            Round.objects.select_for_update().filter(pk=stop.round_id).first()
            transition(stop, StopState.CANCELLED, why=why, source=source, at=at)
            struck.add(stop.round_id)
    for round_ in Round.objects.filter(pk__in=struck, status=RoundStatus.IN_PROGRESS):
        if not round_.stops.filter(state=StopState.TODO).exists():
            round_.finished_at = at or timezone.now()
            transition(
                round_,
                RoundStatus.FINISHED,
                why=_("Dernier arrêt annulé."),
                source=source,
                fields=["finished_at"],
                at=at,
            )
    for round_ in Round.objects.filter(pk__in=shortened):
        remeasure(round_)
        withdraw_if_emptied(
            round_,
            why=_("Tournée retirée du coursier : toutes ses livraisons ont été annulées."),
            source=source,
            at=at,
        )


def remeasure(round_: Round) -> None:
    """A round not started that lost stops: numbered again, its distance, duration and times
    of passage measured without them (the courier's page and the board read these)."""
    # Planning builds on this module (it withdraws emptied rounds through it): imported here.
    from delivery.services.planning import measure_round, renumber

    renumber(round_)
    measure_round(round_)


def withdraw_if_emptied(
    round_: Round, *, why: str, source: str, at: datetime | None = None
) -> None:
    """A published round left with nothing to ride goes back to preparation: off its
    courier's phone (told at once), on the board to fill again or delete, which frees the
    courier and the bike."""
    if round_.status != RoundStatus.PUBLISHED or round_.stops.filter(state=StopState.TODO).exists():
        return
    round_.published_at = None
    transition(
        round_,
        RoundStatus.DRAFT,
        why=why,
        source=source,
        fields=["published_at"],
        at=at,
    )
    live.round_changed(round_, courier_id=round_.courier_id, withdrawn=True)


def parcel_weight(pickups: Iterable[Pickup | PickupRequest]) -> int:
    """What a delivery weighs on the bike, in grams: the sum of its shops' parcels. The board,
    the route sheet and the courier's page all read this one figure (``Delivery.weight_grams``)."""
    return sum(pickup.weight_grams for pickup in pickups)


def refresh_status(
    delivery: Delivery, *, why: str = "", source: str = "", at: datetime | None = None
) -> None:
    """Weight and waiting/ready status from the pickups still kept (all dropped: cancelled)."""
    kept = [p for p in delivery.pickups.all() if p.status != PickupStatus.DROPPED]
    delivery.weight_grams = parcel_weight(kept)
    status = delivery.status
    if delivery.status in (DeliveryStatus.AWAITING, DeliveryStatus.READY):
        if not kept:
            status = DeliveryStatus.CANCELLED
            delivery.round = None
            _cancel_stops(delivery.stops.all(), why=why, source=source, at=at)
        elif delivery.at_hub or all(p.status != PickupStatus.WAITING for p in kept):
            status = DeliveryStatus.READY
        else:
            status = DeliveryStatus.AWAITING
    if status == delivery.status:
        delivery.save()
    else:
        transition(delivery, status, why=why, source=source, fields=other_fields(delivery), at=at)

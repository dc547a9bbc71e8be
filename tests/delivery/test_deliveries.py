"""A delivery exists from checkout on: pickups per shop, ready or dropped, cancelled."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery import services
from delivery.models import (
    Delivery,
    DeliveryStatus,
    EventKind,
    LiveEvent,
    PickupStatus,
    Round,
    RoundStatus,
    Stop,
    StopKind,
    StopState,
)
from hub.models import StatusChange
from hub.services import status_changes
from tests.delivery.factories import (
    DeliverySlotFactory,
    RelayPointFactory,
    RoundFactory,
    make_delivery,
    published_round,
)

pytestmark = pytest.mark.django_db


def request(slot, **overrides):
    data = {
        "order_number": "260301-ABCDEF",
        "slot_id": slot.pk,
        "contact_name": "Camille Durand",
        "contact_phone": "06 12 34 56 78",
        "contact_email": "camille@exemple.fr",
        "pickups": [
            services.PickupRequest(
                1,
                "Boulangerie",
                "18 Rue Mollien, 62100 Calais",
                Decimal("50.95"),
                Decimal("1.85"),
                weight_grams=1200,
            ),
            services.PickupRequest(
                2, "Boucherie", "18 Rue Mollien, 62100 Calais", weight_grams=800
            ),
        ],
        "address": "44 Boulevard Gambetta, 62100 Calais",
        "latitude": Decimal("50.9465"),
        "longitude": Decimal("1.852"),
        "payment_due": Decimal("23.40"),
    }
    data.update(overrides)
    return services.DeliveryRequest(**data)


def test_checkout_creates_a_delivery_waiting_for_the_shops_with_one_pickup_each():
    delivery = services.create_delivery(request(DeliverySlotFactory()))

    assert delivery.status == DeliveryStatus.AWAITING
    assert delivery.weight_grams == 2000
    assert delivery.payment_due == Decimal("23.40")
    assert [p.shop_name for p in delivery.pickups.all()] == ["Boulangerie", "Boucherie"]
    assert delivery.events.get().kind == EventKind.CREATED
    assert len(delivery.tracking_token) >= 40


def test_a_shop_without_position_waits_at_the_hub_position_without_an_outside_call(
    settings, monkeypatch
):
    def no_call():
        raise AssertionError("the checkout's transaction must not call the geocoder")

    monkeypatch.setattr("delivery.services.zone.get_geocoder", no_call)
    delivery = services.create_delivery(request(DeliverySlotFactory()))

    butcher = delivery.pickups.get(shop_id=2)
    hub = settings.DELIVERY_HUB_POSITION
    assert (butcher.latitude, butcher.longitude) == (Decimal(str(hub[0])), Decimal(str(hub[1])))


def test_a_relay_point_delivery_goes_to_the_relay_point_position():
    point = RelayPointFactory()
    delivery = services.create_delivery(
        request(DeliverySlotFactory(), address="", latitude=None, relay_point_id=point.pk)
    )

    assert delivery.relay_point == point
    assert (delivery.latitude, delivery.longitude) == (point.latitude, point.longitude)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"pickups": []}, "pickups"),
        ({"slot_id": 999999}, "slot"),
        ({"latitude": None}, "address"),
        ({"relay_point_id": 999999}, "relay_point"),
    ],
)
def test_bad_checkout_data_is_refused_and_nothing_is_saved(overrides, field):
    with pytest.raises(ValidationError) as error:
        services.create_delivery(request(DeliverySlotFactory(), **overrides))

    assert field in error.value.message_dict
    assert not Delivery.objects.exists()


def test_the_delivery_is_ready_once_every_shop_is_ready():
    delivery = services.create_delivery(request(DeliverySlotFactory()))

    services.pickup_ready(delivery.order_number, 1)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.AWAITING

    services.pickup_ready(delivery.order_number, 2)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.READY
    assert delivery.events.filter(kind=EventKind.PICKUP_READY).count() == 2


def test_ready_twice_changes_nothing_more():
    delivery = services.create_delivery(request(DeliverySlotFactory()))
    services.pickup_ready(delivery.order_number, 1)
    services.pickup_ready(delivery.order_number, 1)

    assert delivery.events.filter(kind=EventKind.PICKUP_READY).count() == 1


def test_a_refused_part_drops_out_and_the_rest_can_be_ready():
    delivery = services.create_delivery(request(DeliverySlotFactory()))
    services.pickup_ready(delivery.order_number, 1)

    services.pickup_dropped(delivery.order_number, 2, payment_due=Decimal("12.00"))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.READY
    assert delivery.weight_grams == 1200
    assert delivery.payment_due == Decimal("12.00")
    assert delivery.pickups.get(shop_id=2).status == PickupStatus.DROPPED


def test_a_dropped_pickup_leaves_the_round_being_prepared():
    delivery = make_delivery(shops=2)
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [delivery.pk], None)

    services.pickup_dropped(delivery.order_number, 101)

    assert not Stop.objects.filter(pickup__shop_id=101).exists()
    assert Stop.objects.filter(round=round_).count() == 2


def test_all_parts_dropped_cancels_the_delivery():
    delivery = services.create_delivery(request(DeliverySlotFactory()))
    services.pickup_dropped(delivery.order_number, 1)
    services.pickup_dropped(delivery.order_number, 2)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED


def test_a_cancelled_order_cancels_the_delivery_and_frees_its_round_place():
    delivery = make_delivery()
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [delivery.pk], None)

    services.cancel_delivery(delivery.order_number, "Annulée par le client.")

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED
    assert delivery.round is None
    assert not round_.stops.exists()
    assert delivery.events.last().message == "Annulée par le client."


def test_striking_out_the_last_open_stop_of_a_started_round_finishes_it():
    first, second = make_delivery(shops=1), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, second])
    courier = round_.courier.user
    for stop in round_.stops.filter(delivery=first).order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            services.record_pickup(courier, stop.pk)
        else:
            services.record_delivery(courier, stop.pk, "Camille Durand", True)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.IN_PROGRESS

    services.cancel_delivery(second.order_number, "Annulée par le client.")

    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINISHED and round_.finished_at is not None
    assert set(round_.stops.filter(delivery=second).values_list("state", flat=True)) == {
        StopState.CANCELLED
    }
    finished = StatusChange.objects.filter(object_id=round_.pk, to_status=RoundStatus.FINISHED)
    assert finished.get().why == "Dernier arrêt annulé."


def test_striking_out_a_stop_leaves_a_round_with_stops_to_ride_in_progress():
    first, second = make_delivery(shops=1), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, second])
    services.record_pickup(round_.courier.user, round_.stops.order_by("sequence").first().pk)

    services.cancel_delivery(second.order_number)

    round_.refresh_from_db()
    assert round_.status == RoundStatus.IN_PROGRESS and round_.finished_at is None


def test_every_stop_of_a_published_round_taken_out_withdraws_it_from_its_courier():
    refused, cancelled = make_delivery(shops=2), make_delivery(shops=1)
    round_ = published_round(deliveries=[refused, cancelled])
    courier = round_.courier
    assert services.rounds_of_day(courier, round_.date).get() == round_
    heard = LiveEvent.objects.filter(channel=f"courier:{courier.pk}", data__round=round_.pk)
    news_before = heard.count()

    for pickup in refused.pickups.all():  # every shop refuses its part of the first order
        services.pickup_dropped(refused.order_number, pickup.shop_id)
    services.cancel_delivery(cancelled.order_number, "Annulée par le client.")

    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT and round_.published_at is None
    assert not round_.stops.exists()
    withdrawn = status_changes(round_).filter(to_status=RoundStatus.DRAFT)
    assert withdrawn.get().why == (
        "Tournée retirée du coursier : toutes ses livraisons ont été annulées."
    )
    assert withdrawn.get().from_status == RoundStatus.PUBLISHED
    assert not services.rounds_of_day(courier, round_.date).exists()
    assert services.current_round(courier, round_.date) is None
    assert heard.count() == news_before + 1  # the courier's page hears it goes
    services.delete_round(round_.pk, None)  # dispatch may now drop it, freeing courier and bike
    assert not Round.objects.filter(pk=round_.pk).exists()


def test_a_published_round_stays_published_while_a_stop_is_left_then_is_withdrawn():
    first, last = make_delivery(shops=1), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, last])

    services.cancel_delivery(first.order_number)

    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED and round_.published_at is not None
    assert round_.stops.filter(state=StopState.TODO).count() == 2
    assert services.rounds_of_day(round_.courier, round_.date).get() == round_

    services.cancel_delivery(last.order_number)

    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_the_last_stops_struck_out_finish_a_started_round_and_withdraw_a_published_one():
    ridden, left = make_delivery(shops=1), make_delivery(shops=1)
    started = published_round(deliveries=[ridden, left])
    for stop in started.stops.filter(delivery=ridden).order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            services.record_pickup(started.courier.user, stop.pk)
        else:
            services.record_delivery(started.courier.user, stop.pk, "Camille Durand", True)
    waiting = make_delivery(shops=1)
    published = published_round(deliveries=[waiting])

    services.cancel_delivery(left.order_number)
    services.cancel_delivery(waiting.order_number)

    started.refresh_from_db()
    published.refresh_from_db()
    assert started.status == RoundStatus.FINISHED and started.finished_at is not None
    assert not status_changes(started).filter(to_status=RoundStatus.DRAFT).exists()
    assert started.stops.filter(state=StopState.DONE).count() == 2
    assert published.status == RoundStatus.DRAFT and published.finished_at is None


def test_steps_told_for_a_past_moment_are_dated_then():
    """The demo's history tells delivery what the shops did weeks ago: every step, move and
    date reads as it happened (now, for everything else)."""
    placed = timezone.now() - timedelta(days=20)
    ready, dropped = placed + timedelta(hours=2), placed + timedelta(hours=1)
    delivery = services.create_delivery(request(DeliverySlotFactory(), ordered_at=placed))
    services.pickup_dropped(delivery.order_number, 2, at=dropped)
    services.pickup_ready(delivery.order_number, 1, at=ready)

    delivery.refresh_from_db()
    assert delivery.created_at == placed
    assert [(e.kind, e.occurred_at) for e in delivery.events.all()] == [
        (EventKind.CREATED, placed),
        (EventKind.PICKUP_DROPPED, dropped),
        (EventKind.PICKUP_READY, ready),
    ]
    [moved] = status_changes(delivery)
    assert (moved.to_status, moved.at) == (DeliveryStatus.READY, ready)
    pickup = delivery.pickups.get(shop_id=1)
    assert pickup.ready_at == ready
    assert [(c.to_status, c.at) for c in status_changes(pickup)] == [("ready", ready)]

    later = services.create_delivery(request(DeliverySlotFactory(), order_number="X-2"))
    services.cancel_delivery(later.order_number, "Refusée", at=dropped)
    [cancelled] = status_changes(later)
    assert (cancelled.to_status, cancelled.at) == (DeliveryStatus.CANCELLED, dropped)
    assert later.events.get(kind=EventKind.CANCELLED).occurred_at == dropped


def test_unknown_orders_are_ignored():
    assert services.pickup_ready("NOPE", 1) is None
    assert services.pickup_dropped("NOPE", 1) is None
    assert services.cancel_delivery("NOPE") is None


def test_a_cancelled_delivery_drops_its_ready_pickups_and_keeps_the_picked_up_ones(db):
    found = make_delivery(shops=2, ready=True)
    round_ = published_round(deliveries=[found])
    first_stop = round_.stops.filter(kind=StopKind.PICKUP).order_by("sequence").first()
    services.record_pickup(round_.courier.user, first_stop.pk)

    services.cancel_delivery(found.order_number, "Commande annulée.")

    statuses = dict(found.pickups.values_list("pk", "status"))
    assert statuses.pop(first_stop.pickup_id) == PickupStatus.PICKED_UP
    assert set(statuses.values()) == {PickupStatus.DROPPED}
    assert not round_.stops.filter(state=StopState.TODO).exists()


def test_a_cancelled_delivery_leaves_its_round_measured_again_without_it():
    kept, cancelled = make_delivery(shops=1), make_delivery(shops=2)
    round_ = published_round(deliveries=[kept, cancelled])
    distance, duration = round_.distance_m, round_.duration_s

    services.cancel_delivery(cancelled.order_number, "Annulée par le client.")

    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    # Two shops and a home fewer to ride: shorter, and the courier's page says so.
    assert round_.distance_m < distance and round_.duration_s < duration
    stops = list(round_.stops.order_by("sequence"))
    assert [(stop.kind, stop.sequence) for stop in stops] == [
        (StopKind.PICKUP, 1),
        (StopKind.DROPOFF, 2),
    ]
    assert stops[-1].planned_at <= round_.start + timedelta(seconds=round_.duration_s)

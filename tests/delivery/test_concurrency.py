"""Races of dispatch and couriers: one outcome each, whatever arrives at the same instant.

The threaded tests need PostgreSQL (real row locks and the exclusion constraint); on SQLite
immediate transactions serialise writers, proven sequentially by the other tests.
"""

import threading
import time

import pytest
from django.db import DatabaseError, close_old_connections, connection, transaction

from delivery import services
from delivery.models import (
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    EventKind,
    Round,
    RoundStatus,
    StopKind,
)
from hub.services import status_changes
from tests.concurrency import rows_locked_elsewhere, run_together, someone_waits_on_a_lock
from tests.delivery.factories import (
    CargoBikeFactory,
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_stop_tapped_on_two_phones_at_once_is_recorded_once():
    round_ = published_round(deliveries=[make_delivery(shops=1)])
    pickup = round_.stops.get(kind=StopKind.PICKUP)
    user = round_.courier.user

    outcomes = run_together([lambda: services.record_pickup(user, pickup.pk)] * 6)

    assert sorted(outcomes) == ["conflict"] * 5 + ["ok"]
    assert DeliveryEvent.objects.filter(kind=EventKind.PICKED_UP).count() == 1


def test_one_delivery_added_to_two_rounds_at_once_lands_in_one():
    delivery = make_delivery()
    first = RoundFactory()
    second = RoundFactory()

    outcomes = run_together(
        [
            lambda: services.add_deliveries(first.pk, [delivery.pk], None),
            lambda: services.add_deliveries(second.pk, [delivery.pk], None),
        ]
    )

    assert sorted(outcomes) == ["conflict", "ok"]
    delivery.refresh_from_db()
    assert delivery.stops.values("round").distinct().count() == 1


def test_a_courier_booked_twice_at_once_rides_one_round():
    courier = CourierFactory()
    start = RoundFactory.build().start
    end = RoundFactory.build().end
    bikes = [CargoBikeFactory() for _ in range(4)]

    outcomes = run_together(
        [(lambda b=b: services.create_round(None, courier.pk, b.pk, start, end)) for b in bikes]
    )

    assert outcomes.count("ok") == 1
    assert Round.objects.filter(courier=courier).count() == 1


def test_the_last_place_of_a_slot_goes_to_one_replanned_delivery():
    later = DeliverySlotFactory(days=2, capacity=1)
    failed = []
    for _ in range(3):
        delivery = make_delivery(shops=1)
        round_ = published_round(deliveries=[delivery])
        user = round_.courier.user
        services.record_pickup(user, round_.stops.get(kind=StopKind.PICKUP).pk)
        services.record_failure(user, round_.stops.get(kind=StopKind.DROPOFF).pk, "absent")
        failed.append(delivery)

    outcomes = run_together(
        [(lambda d=d: services.replan_delivery(d.pk, later.pk, None)) for d in failed]
    )

    later.refresh_from_db()
    assert outcomes.count("ok") == 1
    assert later.reserved == 1


def test_the_last_stop_recorded_while_the_other_is_struck_out_finishes_the_round():
    first, second = make_delivery(shops=1), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, second])
    user = round_.courier.user
    pickup = round_.stops.get(kind=StopKind.PICKUP, delivery=first)
    services.record_pickup(user, pickup.pk)  # both parcels come from the same shop
    dropoff = round_.stops.get(kind=StopKind.DROPOFF, delivery=first)

    outcomes = run_together(
        [
            lambda: services.record_delivery(user, dropoff.pk, "Camille Durand", True),
            lambda: services.cancel_delivery(second.order_number, "Annulée par le client."),
        ]
    )

    assert outcomes == ["ok", "ok"]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINISHED


def test_a_cancellation_waiting_for_the_round_holds_no_lock_on_the_delivery():
    """The courier's tap locks the round, then the delivery: a cancellation that took the
    delivery first and then waited for the round would deadlock with it."""
    delivery = make_delivery(shops=1)
    round_ = published_round(deliveries=[delivery])
    pickup = round_.stops.get(kind=StopKind.PICKUP)
    services.record_pickup(round_.courier.user, pickup.pk)  # the round has started

    with rows_locked_elsewhere(Round.objects.filter(pk=round_.pk)):
        cancelling = threading.Thread(target=_cancel_in_own_connection, args=(delivery,))
        cancelling.start()
        for _ in range(3000):  # until the cancellation waits on the round's lock
            if someone_waits_on_a_lock():
                break
            time.sleep(0.01)
        assert someone_waits_on_a_lock()
        try:
            with transaction.atomic():
                Delivery.objects.select_for_update(nowait=True).get(pk=delivery.pk)
            delivery_free = True
        except DatabaseError:
            delivery_free = False
    cancelling.join()

    assert delivery_free
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CANCELLED


def _cancel_in_own_connection(delivery):
    close_old_connections()
    try:
        services.cancel_delivery(delivery.order_number, "Annulée par le client.")
    finally:
        connection.close()


def test_the_last_two_stops_of_a_published_round_cancelled_at_once_withdraw_it_once():
    first, second = make_delivery(shops=1), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, second])
    cancellations = [
        threading.Thread(target=_cancel_in_own_connection, args=(delivery,))
        for delivery in (first, second)
    ]

    # Both cancellations start while the round is held, then go at the same moment.
    with rows_locked_elsewhere(Round.objects.filter(pk=round_.pk)):
        for cancelling in cancellations:
            cancelling.start()
        for _ in range(3000):  # until both wait on the round's lock
            if someone_waits_on_a_lock(at_least=2):
                break
            time.sleep(0.01)
        assert someone_waits_on_a_lock(at_least=2)
    for cancelling in cancellations:
        cancelling.join()

    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT and not round_.stops.exists()
    assert status_changes(round_).filter(to_status=RoundStatus.DRAFT).count() == 1
    assert Delivery.objects.filter(status=DeliveryStatus.CANCELLED).count() == 2

"""Solver input from dispatch data (courier hours, round cap, break, shop ready times) and a
started round re-planned from where its courier is."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from delivery import routing, services
from delivery.models import CourierShift, PickupStatus, StopKind, StopState
from delivery.services.optimisation import build_bike, build_job, expected_ready
from hub.exceptions import Conflict
from tests.delivery.factories import (
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)

pytestmark = pytest.mark.django_db
H = 3600


def test_the_round_window_is_cut_to_the_courier_hours_and_maximum_round_duration():
    courier = CourierFactory(shifts=False, max_round_minutes=150)
    round_ = RoundFactory(courier=courier)  # 9:00 – 13:00
    CourierShift.objects.create(
        courier=courier,
        weekday=round_.date.weekday(),
        start_time=time(8, 30),
        end_time=time(12, 30),
    )

    bike = build_bike(round_)

    assert bike.window == (9 * H, 11 * H + 1800)
    assert bike.breaks == ()


def test_a_long_shift_puts_its_legal_break_in_the_round():
    courier = CourierFactory(shifts=False)
    round_ = RoundFactory(courier=courier)  # 9:00 – 13:00
    CourierShift.objects.create(
        courier=courier, weekday=round_.date.weekday(), start_time=time(6), end_time=time(14)
    )

    bike = build_bike(round_)

    assert bike.breaks == (routing.Break(9 * H, 12 * H, routing.BREAK_S),)


def test_a_part_is_collected_once_ready_and_a_part_not_ready_is_expected_at_departure():
    delivery = make_delivery(shops=2, ready=False)
    services.pickup_ready(delivery.order_number, 100)
    delivery.refresh_from_db()
    ready, waiting = delivery.pickups.order_by("shop_id")

    job = build_job(delivery, delivery.slot.start.date(), services.solver_options())

    assert ready.ready_at is not None
    by_key = {p.key: p for p in job.pickups}
    assert by_key[str(ready.pk)].ready_s == 0  # ready since today, the slot is tomorrow
    expected = timezone.localtime(expected_ready(delivery))
    assert by_key[str(waiting.pk)].ready_s == expected.hour * H + expected.minute * 60


def test_the_shop_opening_hours_of_the_day_bound_the_pickup():
    delivery = make_delivery(shops=1)
    pickup = delivery.pickups.get()
    pickup.opening_hours = [["09:30", "12:30"], ["14:00", "19:00"]]
    pickup.save(update_fields=["opening_hours"])

    job = build_job(delivery, delivery.slot.start.date(), services.solver_options())

    assert job.pickups[0].opening == ((9 * H + 1800, 12 * H + 1800), (14 * H, 19 * H))


@pytest.fixture
def started():
    """A round of today with two deliveries, the first one's parcels picked up."""
    slot = DeliverySlotFactory(days=0)
    first, second = make_delivery(slot, shops=1), make_delivery(slot, shops=1)
    round_ = published_round(deliveries=[first, second], days=0)
    stop = round_.stops.filter(kind=StopKind.PICKUP, delivery=first).get()
    # Recorded before the slot (or now, earlier in the day): the replan has the slot ahead of
    # it whatever the hour the tests run at.
    at = min(timezone.now(), slot.start - timedelta(minutes=45))
    services.record_pickup(round_.courier.user, stop.pk, at)
    return round_, first, second


def test_a_started_round_is_replanned_from_the_courier_with_what_is_on_the_bike(started):
    round_, first, second = started
    done = round_.stops.get(state=StopState.DONE)

    services.replan_started_round(round_.pk, None)

    stops = list(round_.stops.order_by("sequence"))
    assert stops[0].pk == done.pk and stops[0].state == StopState.DONE
    rest = stops[1:]
    assert [s.kind for s in rest if s.delivery_id == first.pk] == [StopKind.DROPOFF]
    second_kinds = [s.kind for s in rest if s.delivery_id == second.pk]
    assert second_kinds == [StopKind.PICKUP, StopKind.DROPOFF]
    assert all(s.planned_at >= done.done_at - timedelta(seconds=1) for s in rest)
    assert [s.sequence for s in stops] == sorted(s.sequence for s in stops)


def test_a_delivery_added_during_the_round_is_placed_by_the_replan(started):
    round_, _first, _second = started
    late = make_delivery(round_.slot or DeliverySlotFactory(days=0), shops=1)
    late.round = round_
    late.save(update_fields=["round"])

    result = services.replan_started_round(round_.pk, None)

    assert not result.unplaced
    assert round_.stops.filter(delivery=late, kind=StopKind.DROPOFF).exists()


def test_a_finished_round_cannot_be_replanned(started):
    round_, _first, _second = started
    round_.status = "finished"
    round_.save(update_fields=["status"])

    with pytest.raises(Conflict, match="terminée"):
        services.replan_started_round(round_.pk, None)


def test_the_parcels_already_on_the_bike_are_only_dropped_off(started):
    round_, first, _second = started
    first.refresh_from_db()
    assert first.pickups.get().status == PickupStatus.PICKED_UP

    job = build_job(first, round_.date, services.solver_options())

    assert job.pickups == () and job.on_board_g == first.weight_grams


def test_parcels_on_the_bike_stay_in_the_round_even_when_the_hours_are_over(started):
    round_, first, _second = started
    done = round_.stops.get(state=StopState.DONE)
    # The courier recorded the pickup after the round's planned end.
    Stop = type(done)
    Stop.objects.filter(pk=done.pk).update(done_at=round_.end + timedelta(minutes=5))

    result = services.replan_started_round(round_.pk, None)

    first.refresh_from_db()
    assert first.round_id == round_.pk
    assert round_.stops.filter(delivery=first, kind=StopKind.DROPOFF, state=StopState.TODO).exists()
    assert first.pk in {d.pk for d, _reason in result.unplaced}, "dispatch is warned"

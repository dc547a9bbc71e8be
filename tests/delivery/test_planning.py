"""Dispatch plans rounds: created, filled, ordered by hand or by the solver, published."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery import services
from delivery.models import (
    BikeStatus,
    DeliveryStatus,
    EventKind,
    Round,
    RoundStatus,
    StopKind,
)
from hub.exceptions import Conflict
from hub.services import status_changes
from tests.delivery.factories import (
    CargoBikeFactory,
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)

pytestmark = pytest.mark.django_db


def tomorrow_at(hour: int):
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )


def kinds(round_):
    return [
        (stop.kind, stop.delivery_id)
        for stop in round_.stops.select_related("delivery").order_by("sequence")
    ]


def test_a_round_is_created_for_a_courier_a_bike_and_a_window():
    courier, bike = CourierFactory(), CargoBikeFactory()

    round_ = services.create_round(None, courier.pk, bike.pk, tomorrow_at(9), tomorrow_at(12))

    assert round_.status == RoundStatus.DRAFT
    assert round_.date == tomorrow_at(9).date()


def test_a_courier_or_a_bike_cannot_ride_two_rounds_at_once():
    first = RoundFactory(start=tomorrow_at(9), end=tomorrow_at(12))

    with pytest.raises(Conflict, match="déjà une tournée"):
        services.create_round(
            None, first.courier.pk, CargoBikeFactory().pk, tomorrow_at(11), tomorrow_at(13)
        )
    with pytest.raises(Conflict, match="déjà pris"):
        services.create_round(
            None, CourierFactory().pk, first.bike.pk, tomorrow_at(11), tomorrow_at(13)
        )
    services.create_round(None, first.courier.pk, first.bike.pk, tomorrow_at(12), tomorrow_at(14))


@pytest.mark.parametrize(
    "change, field",
    [
        ({"courier_id": 0}, "courier"),
        ({"bike_id": "vélo"}, "bike"),
        ({"end": "start"}, "end"),
        ({"start": None}, "start"),
    ],
)
def test_bad_round_input_is_refused(change, field):
    values = {
        "courier_id": CourierFactory().pk,
        "bike_id": CargoBikeFactory().pk,
        "start": tomorrow_at(9),
        "end": tomorrow_at(12),
    }
    values.update(change)
    if values["end"] == "start":
        values["end"] = values["start"]
    with pytest.raises(ValidationError) as error:
        services.create_round(None, **values)
    assert field in error.value.message_dict
    assert not Round.objects.exists()


def test_a_bike_in_repair_cannot_be_given_a_round():
    bike = CargoBikeFactory(status=BikeStatus.IN_REPAIR)
    with pytest.raises(ValidationError):
        services.create_round(None, CourierFactory().pk, bike.pk, tomorrow_at(9), tomorrow_at(12))


def test_added_deliveries_come_with_pickups_first_and_are_measured():
    first, second = make_delivery(shops=2), make_delivery(shops=1)
    round_ = RoundFactory()

    services.add_deliveries(round_.pk, [first.pk, second.pk], None)

    round_.refresh_from_db()
    assert kinds(round_) == [
        ("pickup", first.pk),
        ("pickup", first.pk),
        ("dropoff", first.pk),
        ("pickup", second.pk),
        ("dropoff", second.pk),
    ]
    assert round_.distance_m > 0 and round_.duration_s > 0
    stops = list(round_.stops.order_by("sequence"))
    assert all(a.planned_at < b.planned_at for a, b in zip(stops, stops[1:], strict=False))
    assert stops[1].load_grams == 6000 and stops[2].load_grams == 0
    assert first.events.filter(kind=EventKind.PLANNED).exists()


def test_a_delivery_cannot_be_in_two_rounds_nor_planned_once_closed():
    delivery = make_delivery()
    services.add_deliveries(RoundFactory().pk, [delivery.pk], None)
    other = RoundFactory(start=tomorrow_at(14), end=tomorrow_at(16))

    with pytest.raises(Conflict, match="autre tournée"):
        services.add_deliveries(other.pk, [delivery.pk], None)

    cancelled = make_delivery()
    services.cancel_delivery(cancelled.order_number)
    with pytest.raises(Conflict, match="Annulée"):
        services.add_deliveries(other.pk, [cancelled.pk], None)


def test_adding_nothing_is_a_clear_error():
    with pytest.raises(ValidationError):
        services.add_deliveries(RoundFactory().pk, ["abc"], None)


def test_removing_a_delivery_makes_it_unplanned_again():
    delivery, kept = make_delivery(), make_delivery(shops=1)
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [delivery.pk, kept.pk], None)

    services.remove_delivery(round_.pk, delivery.pk, None)

    delivery.refresh_from_db()
    assert delivery.round is None
    assert kinds(round_) == [("pickup", kept.pk), ("dropoff", kept.pk)]
    assert list(round_.stops.order_by("sequence").values_list("sequence", flat=True)) == [1, 2]


def test_dispatch_removing_the_last_delivery_of_a_published_round_withdraws_it():
    first, last = make_delivery(shops=1), make_delivery(shops=1)
    round_ = published_round(deliveries=[first, last])

    services.remove_delivery(round_.pk, first.pk, None)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED  # a delivery is left to ride

    services.remove_delivery(round_.pk, last.pk, None)

    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT and round_.published_at is None
    assert status_changes(round_).get(to_status=RoundStatus.DRAFT).why == (
        "Tournée retirée du coursier : sa dernière livraison en a été retirée."
    )
    assert not services.rounds_of_day(round_.courier, round_.date).exists()
    services.delete_round(round_.pk, None)  # no longer stuck: dispatch may drop it
    assert not Round.objects.filter(pk=round_.pk).exists()


def test_stops_move_by_hand_but_never_a_pickup_after_its_dropoff():
    first, second = make_delivery(shops=1), make_delivery(shops=1)
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [first.pk, second.pk], None)
    stops = list(round_.stops.order_by("sequence"))

    services.move_stop(round_.pk, stops[2].pk, -1, None)  # second's pickup before first's drop
    assert kinds(round_) == [
        ("pickup", first.pk),
        ("pickup", second.pk),
        ("dropoff", first.pk),
        ("dropoff", second.pk),
    ]

    with pytest.raises(Conflict, match="précéder"):
        services.move_stop(round_.pk, stops[0].pk, +1, None)
        services.move_stop(round_.pk, stops[0].pk, +1, None)
    with pytest.raises(Conflict, match="au bout"):
        services.move_stop(round_.pk, stops[3].pk, +1, None)


def test_a_full_reorder_must_name_every_stop_once():
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [make_delivery(shops=1).pk], None)
    ids = list(round_.stops.values_list("pk", flat=True))

    with pytest.raises(ValidationError):
        services.reorder_stops(round_.pk, ids[:1], None)
    with pytest.raises(Conflict):
        services.reorder_stops(round_.pk, list(reversed(ids)), None)


def test_optimise_orders_the_stops_and_reports_what_it_cannot_place():
    slot = DeliverySlotFactory()
    light = [make_delivery(slot, shops=2, weight=2000) for _ in range(3)]
    heavy = make_delivery(slot, shops=1, weight=120_000)
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [d.pk for d in light + [heavy]], None)

    result = services.optimise_round(round_.pk, None)

    round_.refresh_from_db()
    assert round_.optimised_at and round_.distance_m == result.distance_m
    assert [d.pk for d, _reason in result.unplaced] == [heavy.pk]
    assert "Trop lourd" in result.unplaced[0][1]
    heavy.refresh_from_db()
    assert heavy.round is None and "Trop lourd" in heavy.unplaced_reason
    seen = set()
    for stop in round_.stops.order_by("sequence"):
        if stop.kind == StopKind.DROPOFF:
            seen.add(stop.delivery_id)
        else:
            assert stop.delivery_id not in seen
    assert {s.delivery_id for s in round_.stops.all()} == {d.pk for d in light}


def test_dispatching_a_slot_spreads_it_over_free_couriers_and_bikes():
    slot = DeliverySlotFactory()
    # More drop-offs than one bike can make in the two hours of the slot.
    deliveries = [make_delivery(slot, shops=1, weight=30_000) for _ in range(24)]
    for _ in range(2):
        CourierFactory()
        CargoBikeFactory(payload_kg=70)
    CourierFactory(shifts=False)  # not working that day

    result = services.dispatch_slot(slot.pk, None)

    assert not result.unplaced
    rounds = Round.objects.filter(slot=slot)
    assert rounds.count() == 2
    assert {d.pk for r in rounds for d in r.deliveries.all()} == {d.pk for d in deliveries}
    for round_ in rounds:
        assert max(s.load_grams for s in round_.stops.all()) <= 70_000
        drops = round_.stops.filter(kind=StopKind.DROPOFF)
        assert all(slot.start <= s.planned_at <= slot.end for s in drops)


def test_dispatching_without_couriers_says_so():
    slot = DeliverySlotFactory()
    make_delivery(slot)
    with pytest.raises(Conflict, match="Aucun coursier"):
        services.dispatch_slot(slot.pk, None)


def test_publishing_tells_the_courier_and_an_empty_round_cannot_be_published(
    django_capture_on_commit_callbacks,
):
    empty = RoundFactory()
    with pytest.raises(Conflict, match="aucun arrêt"):
        services.publish_round(empty.pk, None)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        round_ = published_round(deliveries=[make_delivery()])

    assert round_.status == RoundStatus.PUBLISHED
    assert mail.outbox[-1].to == [round_.courier.user.email]
    assert "/coursier/" in mail.outbox[-1].body


def test_a_started_round_cannot_be_changed():
    delivery = make_delivery()
    round_ = published_round(deliveries=[delivery])
    services.record_pickup(round_.courier.user, round_.stops.order_by("sequence").first().pk)

    for change in (
        lambda: services.add_deliveries(round_.pk, [make_delivery().pk], None),
        lambda: services.remove_delivery(round_.pk, delivery.pk, None),
        lambda: services.optimise_round(round_.pk, None),
        lambda: services.delete_round(round_.pk, None),
    ):
        with pytest.raises(Conflict):
            change()


def test_deleting_a_draft_round_unplans_its_deliveries():
    delivery = make_delivery()
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [delivery.pk], None)

    services.delete_round(round_.pk, None)

    delivery.refresh_from_db()
    assert delivery.round is None and delivery.status == DeliveryStatus.READY
    assert not Round.objects.exists()

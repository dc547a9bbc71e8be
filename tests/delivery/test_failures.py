"""After a failure: a new attempt in a later slot (maybe at a relay point), or back to the shops."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery import services, signals
from delivery.models import DeliveryStatus, EventKind, StopKind
from hub.exceptions import Conflict
from tests.delivery.factories import (
    DeliverySlotFactory,
    RelayPointFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed():
    delivery = make_delivery(shops=1)
    round_ = published_round(deliveries=[delivery])
    user = round_.courier.user
    for stop in round_.stops.order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            services.record_pickup(user, stop.pk)
        else:
            services.record_failure(user, stop.pk, "absent")
    delivery.refresh_from_db()
    return delivery


@pytest.fixture
def dispatcher():
    return UserFactory(roles=["dispatch"])


def test_a_failed_delivery_is_replanned_in_a_later_slot_from_the_hub(failed, dispatcher):
    later = DeliverySlotFactory(days=2)

    services.replan_delivery(failed.pk, later.pk, dispatcher)

    failed.refresh_from_db()
    later.refresh_from_db()
    assert failed.status == DeliveryStatus.READY
    assert failed.slot == later and later.reserved == 1
    assert failed.at_hub and failed.round is None and failed.failures == 1
    event = failed.events.get(kind=EventKind.REPLANNED)
    assert event.actor == dispatcher


def test_a_replanned_delivery_rides_from_the_hub_straight_to_the_door(failed):
    later = DeliverySlotFactory(days=2)
    services.replan_delivery(failed.pk, later.pk, None)
    round_ = RoundFactory(start=later.start - timedelta(hours=1), end=later.end)

    services.add_deliveries(round_.pk, [failed.pk], None)
    services.optimise_round(round_.pk, None)

    assert list(round_.stops.values_list("kind", flat=True)) == [StopKind.DROPOFF]
    published = services.publish_round(round_.pk, None)
    services.record_delivery(published.courier.user, round_.stops.get().pk, "Camille")
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.DELIVERED and not failed.at_hub


def test_it_can_go_to_a_relay_point_instead(failed, django_capture_on_commit_callbacks):
    point = RelayPointFactory(name="Pôle Anima")
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs["relay_point_id"])

    signals.delivery_replanned.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.replan_delivery(failed.pk, DeliverySlotFactory(days=2).pk, None, point.pk)
    finally:
        signals.delivery_replanned.disconnect(listen)

    failed.refresh_from_db()
    assert failed.relay_point == point
    assert failed.latitude == point.latitude
    assert heard == [point.pk]


def test_a_full_or_past_slot_is_refused(failed):
    full = DeliverySlotFactory(days=2, capacity=1, reserved=1)
    with pytest.raises(Conflict, match="complet"):
        services.replan_delivery(failed.pk, full.pk, None)

    past = DeliverySlotFactory(days=-1)
    with pytest.raises(ValidationError):
        services.replan_delivery(failed.pk, past.pk, None)
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED


def test_the_slot_may_be_past_its_cutoff_for_dispatch(failed):
    soon = DeliverySlotFactory(
        start=timezone.now() + timedelta(minutes=30),
        cutoff=timezone.now() - timedelta(hours=1),
    )
    services.replan_delivery(failed.pk, soon.pk, None)
    failed.refresh_from_db()
    assert failed.slot == soon


def test_only_a_failed_delivery_is_replanned_or_returned():
    ready = make_delivery()
    with pytest.raises(Conflict):
        services.replan_delivery(ready.pk, DeliverySlotFactory(days=2).pk, None)
    with pytest.raises(Conflict):
        services.return_to_shops(ready.pk, None)


def test_returning_to_the_shops_closes_the_delivery(failed, django_capture_on_commit_callbacks):
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs["reason"])

    signals.delivery_returned.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.return_to_shops(failed.pk, None, "Refus du client")
    finally:
        signals.delivery_returned.disconnect(listen)

    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.RETURNED
    assert heard == ["Refus du client"]
    assert failed.events.last().kind == EventKind.RETURNED


def test_replanning_offers_only_future_slots_with_room_nearest_first(failed):
    now = timezone.now()
    started = DeliverySlotFactory(start=now - timedelta(minutes=30), end=now + timedelta(hours=1))
    DeliverySlotFactory(days=-1)
    DeliverySlotFactory(days=3, capacity=2, reserved=2)
    further, nearest = DeliverySlotFactory(days=4), DeliverySlotFactory(days=2)

    offered = list(services.replannable_slots(failed))

    assert offered == [nearest, further]
    assert started not in offered and failed.slot not in offered


def test_a_slot_already_started_is_refused(failed):
    now = timezone.now()
    started = DeliverySlotFactory(start=now - timedelta(minutes=30), end=now + timedelta(hours=1))

    with pytest.raises(ValidationError):
        services.replan_delivery(failed.pk, started.pk, None)

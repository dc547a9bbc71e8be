"""Delivery's state machines: deliveries, pickups, stops and rounds."""

import pytest

from delivery import services
from delivery.models import DeliveryStatus, RoundStatus, StopKind, StopState
from delivery.workflows import DELIVERY, PICKUP, ROUND, STOP
from hub.services import status_changes
from tests.delivery.factories import make_delivery, published_round
from tests.hub.factories import UserFactory
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db


def test_a_delivery_makes_every_allowed_move_and_no_other():
    assert walk_every_move(DELIVERY, make_delivery(), UserFactory(), failure_reason="absent") == (
        13,
        36,
    )


def test_a_pickup_makes_every_allowed_move_and_no_other():
    pickup = make_delivery(ready=False).pickups.first()
    assert walk_every_move(PICKUP, pickup, UserFactory()) == (4, 12)


def test_a_stop_makes_every_allowed_move_and_no_other():
    stop = published_round(deliveries=[make_delivery()]).stops.first()
    assert walk_every_move(STOP, stop, UserFactory()) == (3, 13)


def test_a_round_makes_every_allowed_move_and_no_other():
    round_ = published_round(deliveries=[make_delivery()])
    assert walk_every_move(ROUND, round_, UserFactory()) == (3, 13)


def test_the_courier_riding_a_round_is_recorded_on_each_move():
    delivery = make_delivery(shops=1)
    round_ = published_round(deliveries=[delivery], days=0)
    [published] = status_changes(round_)
    assert (published.from_status, published.to_status) == ("draft", "published")
    courier = round_.courier.user
    pickup, dropoff = round_.stops.order_by("sequence")
    assert pickup.kind == StopKind.PICKUP
    services.record_pickup(courier, pickup.pk)
    services.record_delivery(courier, dropoff.pk, "Camille")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [(c.from_status, c.to_status, c.by) for c in status_changes(delivery)] == [
        ("awaiting", "ready", None),
        ("ready", "in_transit", courier),
        ("in_transit", "delivered", courier),
    ]
    assert [c.to_status for c in status_changes(round_)] == [
        RoundStatus.PUBLISHED,
        RoundStatus.IN_PROGRESS,
        RoundStatus.FINISHED,
    ]
    assert [c.to_status for c in status_changes(dropoff)] == [StopState.DONE]
    assert "remise à Camille" in status_changes(delivery).last().why

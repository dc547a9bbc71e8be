"""Delivery's state machines: deliveries, pickups, stops, rounds and plan proposals."""

import pytest

from delivery import services
from delivery.models import (
    DeliveryStatus,
    PlanProposal,
    ProposalKind,
    ProposalStatus,
    RoundStatus,
    StopKind,
    StopState,
)
from delivery.services.proposals import compute_proposal
from delivery.workflows import DELIVERY, PICKUP, PROPOSAL, ROUND, STOP
from hub.services import status_changes
from tests.delivery.factories import (
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
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
    assert walk_every_move(ROUND, round_, UserFactory()) == (4, 12)


def test_a_plan_proposal_makes_every_allowed_move_and_no_other():
    round_ = RoundFactory()
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    assert walk_every_move(PROPOSAL, proposal, UserFactory()) == (10, 39)


def _proposal(round_):
    return PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)


def test_a_proposal_records_its_computation_then_who_applied_it():
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [make_delivery(shops=1).pk], None)
    proposal = _proposal(round_)
    dispatcher = UserFactory()
    compute_proposal(proposal.pk)
    services.apply_proposal(proposal.pk, dispatcher)
    assert [(c.from_status, c.to_status, c.by, c.source) for c in status_changes(proposal)] == [
        ("queued", "running", None, "delivery.compute_proposal"),
        ("running", "ready", None, "delivery.compute_proposal"),
        ("ready", "applied", dispatcher, "delivery.apply_proposal"),
    ]


def test_a_failed_computation_records_its_reason():
    slot = DeliverySlotFactory()  # nothing to place on it
    proposal = PlanProposal.objects.create(kind=ProposalKind.SLOT, slot=slot, date=slot.date)
    assert compute_proposal(proposal.pk) == ProposalStatus.FAILED
    change = status_changes(proposal).last()
    assert (change.from_status, change.to_status) == ("running", "failed")
    assert change.why == "Aucune livraison à répartir sur ce créneau."


def test_a_retried_worker_takes_a_running_proposal_again_without_a_move():
    round_ = RoundFactory()
    services.add_deliveries(round_.pk, [make_delivery(shops=1).pk], None)
    proposal = _proposal(round_)
    PlanProposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.RUNNING)
    assert compute_proposal(proposal.pk) == ProposalStatus.READY
    assert [(c.from_status, c.to_status) for c in status_changes(proposal)] == [
        ("running", "ready")
    ]


def test_abandoning_records_who_and_a_closed_proposal_is_left_alone():
    proposal = _proposal(RoundFactory())
    dispatcher = UserFactory()
    services.abandon_proposal(proposal.pk, dispatcher)
    services.abandon_proposal(proposal.pk, dispatcher)
    assert compute_proposal(proposal.pk) == "skipped"
    [change] = status_changes(proposal)
    assert (change.from_status, change.to_status, change.by) == ("queued", "abandoned", dispatcher)


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

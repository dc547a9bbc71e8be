"""Delivery's declared state machines (registered with the hub in ``DeliveryConfig.ready``)."""

from delivery.models import DeliveryStatus as D
from delivery.models import PickupStatus as P
from delivery.models import ProposalStatus as Q
from delivery.models import RoundStatus as R
from delivery.models import StopState as S
from hub.services import Workflow

# A delivery waits for its shops, is ready, rides, and ends delivered, failed (dispatch then
# replans it or brings the parcels back) or cancelled with its order. Parcels already at the
# hub (after a failure) may be handed over without a pickup: ready -> delivered / failed.
DELIVERY = Workflow(
    "delivery.Delivery",
    {
        D.AWAITING: {D.READY, D.IN_TRANSIT, D.CANCELLED},
        D.READY: {D.IN_TRANSIT, D.DELIVERED, D.FAILED, D.CANCELLED},
        D.IN_TRANSIT: {D.DELIVERED, D.FAILED, D.CANCELLED},
        D.FAILED: {D.READY, D.RETURNED, D.CANCELLED},
    },
)

# One shop's parcel of a delivery.
PICKUP = Workflow(
    "delivery.Pickup",
    {
        P.WAITING: {P.READY, P.DROPPED},
        P.READY: {P.PICKED_UP, P.DROPPED},
    },
)

# A stop of a round: done, failed, or struck out once the round is published.
STOP = Workflow("delivery.Stop", {S.TODO: {S.DONE, S.FAILED, S.CANCELLED}}, field="state")

# A round: published to its courier (again after a change: no move), started at the first
# recorded stop, finished at the last one. A published round not started whose every stop was
# taken out (its orders cancelled) is withdrawn: back to preparation, off the courier's phone,
# for dispatch to fill again or delete (a terminal « cancelled » would keep the courier and the
# bike booked for those hours).
ROUND = Workflow(
    "delivery.Round",
    {
        R.DRAFT: {R.PUBLISHED},
        R.PUBLISHED: {R.IN_PROGRESS, R.DRAFT},
        R.IN_PROGRESS: {R.FINISHED},
    },
)

# A plan proposal: queued, claimed by a worker (a worker taking a running one again after a
# lost task is no move), ready or failed, then applied or refused (the deliveries changed since
# it was computed) by dispatch; abandoned by dispatch as long as it is on the board. A task the
# broker refused fails the proposal while still queued.
PROPOSAL = Workflow(
    "delivery.PlanProposal",
    {
        Q.QUEUED: {Q.RUNNING, Q.FAILED, Q.ABANDONED},
        Q.RUNNING: {Q.READY, Q.FAILED, Q.ABANDONED},
        Q.READY: {Q.APPLIED, Q.REFUSED, Q.ABANDONED},
        Q.FAILED: {Q.ABANDONED},
    },
)

WORKFLOWS = [DELIVERY, PICKUP, STOP, ROUND, PROPOSAL]

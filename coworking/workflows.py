"""Coworking's declared state machine (registered with the hub in ``CoworkingConfig.ready``)."""

from coworking.models import ApplicationStatus as A
from coworking.models import BookingStatus as B
from coworking.models import ProofStatus, PurchaseStatus
from hub.services import Workflow

# A booking is created confirmed, or held while it is paid online (then confirmed once
# charged, or cancelled unpaid). A confirmed one is cancelled free before the space's delay,
# late after it (kept and charged by the space's rule).
BOOKING = Workflow(
    "coworking.Booking",
    {
        B.HELD: {B.CONFIRMED, B.CANCELLED},
        B.CONFIRMED: {B.CANCELLED, B.LATE_CANCELLED},
    },
)

# An Atelier 8 application: examined, then accepted or refused, or withdrawn by its author.
APPLICATION = Workflow(
    "coworking.Application",
    {
        A.SUBMITTED: {A.UNDER_REVIEW, A.ACCEPTED, A.REFUSED, A.WITHDRAWN},
        A.UNDER_REVIEW: {A.ACCEPTED, A.REFUSED, A.WITHDRAWN},
    },
)

# A solidarity-rate proof is examined once.
PROOF = Workflow(
    "coworking.SolidarityProof",
    {ProofStatus.PENDING: {ProofStatus.APPROVED, ProofStatus.REFUSED}},
)

# A pass bought online: paid (the pass is credited) or never paid.
PURCHASE = Workflow(
    "coworking.PassPurchase",
    {PurchaseStatus.PENDING: {PurchaseStatus.PAID, PurchaseStatus.FAILED}},
)

WORKFLOWS = [BOOKING, APPLICATION, PROOF, PURCHASE]

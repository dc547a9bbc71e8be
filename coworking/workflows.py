"""Coworking's declared state machine (registered with the hub in ``CoworkingConfig.ready``)."""

from coworking.models import BookingStatus as B
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

WORKFLOWS = [BOOKING]

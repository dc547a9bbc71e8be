"""The agenda's declared state machine: event registrations (registered in ``HubConfig.ready``)."""

from hub.models import EventStatus
from hub.models import RegistrationStatus as R
from hub.workflow import Workflow

# A visitor's registration waits for its e-mail to be confirmed; every registration then joins
# the waiting list and is confirmed from there (for a paid event: held while it is paid, then
# confirmed once charged). Any registration may be cancelled (by the person, by staff, by a
# hold running out or a payment that failed).
REGISTRATION = Workflow(
    "hub.Registration",
    {
        R.PENDING: {R.WAITING, R.CANCELLED},
        R.WAITING: {R.CONFIRMED, R.HELD, R.CANCELLED},
        R.HELD: {R.CONFIRMED, R.CANCELLED},
        R.CONFIRMED: {R.CANCELLED},
    },
)

# An event is published, and may be cancelled (with the later dates of its series).
EVENT = Workflow("hub.Event", {EventStatus.PUBLISHED: {EventStatus.CANCELLED}})

WORKFLOWS = [REGISTRATION, EVENT]

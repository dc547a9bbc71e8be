"""The hub's own declared state machines outside the agenda (registered in ``HubConfig.ready``)."""

from hub.models import SmsStatus as S
from hub.workflow import Workflow

# An outgoing text message: sent once, or refused for good by the operator (invalid number, key,
# credit). A transient failure releases the send's claim and leaves it pending: no move.
OUTGOING_SMS = Workflow("hub.OutgoingSms", {S.PENDING: {S.SENT, S.FAILED}})

WORKFLOWS = [OUTGOING_SMS]

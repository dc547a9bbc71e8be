"""Online payments' declared state machines (registered in ``HubConfig.ready``).

The moves follow the provider's lifecycle as ``hub.payments.services`` reads it: a hosted
checkout authorises the whole amount (a payment intent waiting for capture), then one capture
takes the accepted parts and releases the rest, or a cancel releases everything. A capture is
final: refunds are operations of their own, the payment and its parts stay captured.
"""

from hub.models.payments import OperationStatus as Op
from hub.models.payments import PartStatus as Part
from hub.models.payments import PaymentStatus as Pay
from hub.workflow import Workflow

# Open while the payer is on the provider's page: authorised when the intent waits for capture,
# failed when the page expired or was abandoned (or what it paid for is gone before paying).
# Authorised: captured (some part accepted), or released (no part accepted, the authorisation
# lapsed or was cancelled at the provider).
PAYMENT = Workflow(
    "hub.Payment",
    {
        Pay.OPEN: {Pay.AUTHORISED, Pay.FAILED},
        Pay.AUTHORISED: {Pay.CAPTURED, Pay.RELEASED},
    },
)

# A part waits for its seller's answer: accepted (charged at the capture) or released (refused,
# dropped, or the whole payment failed or was released). An accepted part may still be dropped
# before the capture; a captured part is only given back by refunds.
PART = Workflow(
    "hub.PaymentPart",
    {
        Part.PENDING: {Part.ACCEPTED, Part.RELEASED},
        Part.ACCEPTED: {Part.CAPTURED, Part.RELEASED},
    },
)

# A refund is sent to the provider once: done, or refused by it (a new refund may be asked).
REFUND = Workflow("hub.Refund", {Op.PENDING: {Op.DONE, Op.FAILED}})

# A seller's transfer: done, or refused by the provider; staff may send a refused one again
# once the seller's account is fixed.
PAYOUT = Workflow(
    "hub.Payout",
    {
        Op.PENDING: {Op.DONE, Op.FAILED},
        Op.FAILED: {Op.PENDING},
    },
)

WORKFLOWS = [PAYMENT, PART, REFUND, PAYOUT]

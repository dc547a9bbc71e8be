"""The shop's declared state machines (registered with the hub in ``ShopConfig.ready``)."""

from hub.services import Workflow
from shop.models import MerchantOrderStatus as Part
from shop.models import MerchantStatus as Shop
from shop.models import OrderStatus

# A shop's part of an order. Every open part may be cancelled (by the shopper before any shop
# accepted, by the release of unaccepted orders, by a failed online payment, or by dispatch
# bringing the bike's parts back to their shops).
MERCHANT_ORDER = Workflow(
    "shop.MerchantOrder",
    {
        Part.PLACED: {Part.ACCEPTED, Part.REFUSED, Part.CANCELLED},
        Part.ACCEPTED: {Part.READY, Part.CANCELLED},
        Part.READY: {Part.COLLECTED, Part.HANDED_OVER, Part.CANCELLED},
        Part.HANDED_OVER: {Part.DELIVERED, Part.CANCELLED},
    },
)

# The order's status is worked out from its kept parts (``refresh_order``); these are the moves
# that working-out can make. In progress goes back to placed when the only parts a shop had
# accepted are dropped (returned by dispatch) and the rest still wait for an answer.
ORDER = Workflow(
    "shop.Order",
    {
        OrderStatus.PLACED: {OrderStatus.IN_PROGRESS, OrderStatus.CANCELLED},
        OrderStatus.IN_PROGRESS: {
            OrderStatus.PLACED,
            OrderStatus.READY,
            OrderStatus.COMPLETED,
            OrderStatus.CANCELLED,
        },
        OrderStatus.READY: {OrderStatus.COMPLETED, OrderStatus.CANCELLED},
    },
)

# A shop's application: moderation approves or refuses it; an approved shop may be suspended
# (withdrawn from the shop) and reinstated.
MERCHANT = Workflow(
    "shop.Merchant",
    {
        Shop.PENDING: {Shop.APPROVED, Shop.REFUSED},
        Shop.APPROVED: {Shop.SUSPENDED},
        Shop.SUSPENDED: {Shop.APPROVED},
    },
)

WORKFLOWS = [MERCHANT_ORDER, ORDER, MERCHANT]

"""Online payments for the shop, coworking passes and paid events.

One payment = one hosted checkout that authorises the whole amount (3-D Secure happens on the
provider's page), split into parts (one per seller, plus the platform's own). Each part is
accepted or released by the app that sold it; once no part is left undecided, the accepted
parts are captured in one go and everything else is released with that capture, so a refused
part is never charged. Each seller's share (part − commission − its share of the provider's
fee) is then transferred to its payout account; refunds take the money back from the seller's
transfer.

Locks: the app's own row first (``PaymentHandler.lock``), then the payment. Provider calls are
made under those locks with idempotency keys derived from our ids, so a retry never charges,
releases, refunds or transfers twice, and the shopper's return and the webhook arriving at the
same moment give one paid order.

The package, by concern: ``checkout`` (creating a payment and its page, the payer leaving
it), ``following`` (the provider's state read back and recorded), ``decisions`` (parts
accepted, refused or dropped; refunds), ``settling`` (capture or release, refunds and payouts
sent), ``webhooks`` (events and reconciliation), ``summaries`` (what the apps show) and
``accounts`` (sellers' payout accounts). The apps import from here only.
"""

from hub.payments.services.accounts import (
    active_payees,
    onboarding_url,
    payout_account,
    refresh_payout_account,
)
from hub.payments.services.checkout import (
    MINIMUM_CENTS,
    PartRequest,
    PaymentRequest,
    abandon_payment,
    checkout_url,
    create_payment,
    next_url,
    online_payment_available,
    payment_by_public_id,
)
from hub.payments.services.decisions import decide_part, drop_part, refund, refund_payment
from hub.payments.services.following import (
    PAYMENT_FOLLOWED,
    follow_open_payment,
    sync_payment,
)
from hub.payments.services.settling import retry_payout, settle_payment
from hub.payments.services.summaries import (
    PaymentSummary,
    PayoutLine,
    RefundLine,
    payment_summaries,
    payment_summary,
    payout_lines,
)
from hub.payments.services.webhooks import handle_webhook, reconcile

__all__ = [
    "MINIMUM_CENTS",
    "PAYMENT_FOLLOWED",
    "PartRequest",
    "PaymentRequest",
    "PaymentSummary",
    "PayoutLine",
    "RefundLine",
    "abandon_payment",
    "active_payees",
    "checkout_url",
    "create_payment",
    "decide_part",
    "drop_part",
    "follow_open_payment",
    "handle_webhook",
    "next_url",
    "onboarding_url",
    "online_payment_available",
    "payment_by_public_id",
    "payment_summaries",
    "payment_summary",
    "payout_account",
    "payout_lines",
    "reconcile",
    "refresh_payout_account",
    "refund",
    "refund_payment",
    "retry_payout",
    "settle_payment",
    "sync_payment",
]

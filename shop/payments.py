"""How shop orders are paid: on delivery or at collection (as always), or online by card
through the hub's payment service.

Online, the card is authorised for the whole basket; each shop's part is accepted (charged)
or refused (released, never charged); once every shop has answered, the accepted parts and the
delivery fee are captured together. A shop is paid online only once its payout account is
active; a basket with a shop that has none is paid on delivery.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hub import services as hub
from shop.models import Merchant, MerchantOrder, MerchantOrderStatus, Order, PaymentMethod

PURPOSE = "shop.order"
DELIVERY_KEY = "delivery"


def part_key(part: MerchantOrder) -> str:
    return f"part:{part.pk}"


@dataclass(frozen=True)
class OnlineOffer:
    """Whether « Payer en ligne » is offered for a basket, and which shops prevent it."""

    configured: bool
    blocking: list[Merchant] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.configured and not self.blocking


def online_offer(merchants: list[Merchant]) -> OnlineOffer:
    """Online payment needs a configured provider and every shop of the basket connected."""
    if not hub.online_payment_available():
        return OnlineOffer(configured=False)
    active = hub.active_payees(merchant.payee for merchant in merchants)
    return OnlineOffer(
        configured=True,
        blocking=[merchant for merchant in merchants if merchant.payee not in active],
    )


def open_payment(order: Order, parts: list[MerchantOrder]) -> None:
    """Inside the checkout transaction: the payment to make, one part per shop and the fee."""
    requests = [
        hub.PartRequest(
            key=part_key(part),
            label=part.merchant.name,
            amount=hub.to_cents(part.subtotal),
            payee=part.merchant.payee,
            commission_rate=part.merchant.commission_rate,
        )
        for part in parts
    ]
    if order.delivery_fee:
        requests.append(
            hub.PartRequest(
                key=DELIVERY_KEY,
                label=_("Livraison à vélo-cargo"),
                amount=hub.to_cents(order.delivery_fee),
            )
        )
    hub.create_payment(
        hub.PaymentRequest(
            purpose=PURPOSE,
            reference=order.number,
            description=_("Commande %(number)s — Mon shopping c'est Calais")
            % {"number": order.number},
            email=order.contact_email,
            parts=requests,
            payer=order.shopper,
        )
    )


def payment_page(order: Order) -> str:
    """The provider's page where the shopper pays this order (Conflict when not possible)."""
    return hub.checkout_url(PURPOSE, order.number)


def payment_links(orders) -> dict[str, str]:
    """The payment page of each order still waiting for its online payment, once opened."""
    links = {number: summary.page_url for number, summary in summaries(orders).items()}
    return {number: url for number, url in links.items() if url}


def follow_parts(order: Order, parts: list[MerchantOrder]) -> None:
    """Tell the payment what the shops decided: accepted parts are to be charged, refused or
    withdrawn ones released (or refunded if already charged); the delivery fee follows the
    order once no shop is left to answer."""
    if order.payment_method != PaymentMethod.ONLINE:
        return
    dropped = MerchantOrderStatus.dropped()
    for part in parts:
        if part.status in dropped:
            reason = part.refusal_reason or order.cancel_reason or _("Partie retirée.")
            hub.drop_part(PURPOSE, order.number, part_key(part), reason)
        elif part.status != MerchantOrderStatus.PLACED:
            hub.decide_part(PURPOSE, order.number, part_key(part), True)
    if all(part.status != MerchantOrderStatus.PLACED for part in parts):
        if any(part.status not in dropped for part in parts):
            hub.decide_part(PURPOSE, order.number, DELIVERY_KEY, True)
        else:
            reason = order.cancel_reason or _("Commande annulée.")
            hub.drop_part(PURPOSE, order.number, DELIVERY_KEY, reason)


def refund_everything(order: Order, reason: str) -> None:
    """Give the shopper back all that was charged for the order."""
    hub.refund_payment(PURPOSE, order.number, reason)


def summary(order: Order) -> hub.PaymentSummary | None:
    """What the shopper paid online for this order (None: paid on delivery)."""
    if order.payment_method != PaymentMethod.ONLINE:
        return None
    return hub.payment_summary(PURPOSE, order.number)


def summaries(orders) -> dict[str, hub.PaymentSummary]:
    numbers = [order.number for order in orders if order.payment_method == PaymentMethod.ONLINE]
    return hub.payment_summaries(PURPOSE, numbers) if numbers else {}

"""Passes bought online: price by the person's tier, paid through the hub's payment service,
credited once the payment is charged; a refund takes back the unused days it pays for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coworking.models import Pass, PassOffer, PassPurchase, PurchaseStatus
from coworking.services.pricing import credit_days, credits_left, tier_of
from hub import services as hub

PURPOSE = "coworking.pass"


def offers_for(user):
    """The passes sold online, each with the price this person would pay."""
    offers = list(PassOffer.objects.filter(sold_online=True).select_related("space"))
    tier = tier_of(user) if user.is_authenticated else "standard"
    for offer in offers:
        offer.price_now = offer.price_for(tier)
    return offers


def buy_pass(user, offer_id) -> str:
    """Record the purchase and open the payment page; returns its address."""
    offer = PassOffer.objects.filter(pk=offer_id, sold_online=True).select_related("space")
    offer = offer.first()
    if offer is None:
        raise hub.Conflict(_("Cette formule n'est pas vendue en ligne."))
    tier = tier_of(user)
    with transaction.atomic():
        purchase = PassPurchase.objects.create(
            user=user, offer=offer, tier=tier, price=offer.price_for(tier)
        )
        label = f"{offer.get_kind_display()} — {offer.space.name}"
        hub.create_payment(
            hub.PaymentRequest(
                purpose=PURPOSE,
                reference=str(purchase.reference),
                description=label,
                email=user.email,
                parts=[
                    hub.PartRequest(key="pass", label=label, amount=hub.to_cents(purchase.price))
                ],
                payer=user,
            )
        )
    return hub.checkout_url(PURPOSE, str(purchase.reference))


def _purchase(reference: str) -> PassPurchase:
    return PassPurchase.objects.select_related("offer").get(reference=reference)


def lock(reference: str) -> None:
    PassPurchase.objects.select_for_update().filter(reference=reference).first()


def authorised(payment) -> None:
    """Nothing to wait for: the pass is charged at once."""
    hub.decide_part(PURPOSE, payment.reference, "pass", True)


def failed(payment) -> None:
    hub.transition_many(
        PassPurchase.objects.filter(reference=payment.reference, status=PurchaseStatus.PENDING),
        PurchaseStatus.FAILED,
        why=_("Paiement non abouti."),
        source="coworking.passes.failed",
    )


def settled(payment) -> None:
    """Charged: the pass is credited (once). Released (authorisation lapsed): not bought."""
    purchase = _purchase(payment.reference)
    if purchase.status != PurchaseStatus.PENDING:
        return
    if not payment.captured:
        hub.transition(
            purchase,
            PurchaseStatus.FAILED,
            why=_("Paiement non abouti."),
            source="coworking.passes.settled",
        )
        return
    today = timezone.localdate()
    offer = purchase.offer
    purchase.pass_created = Pass.objects.create(
        user=purchase.user,
        kind=offer.kind,
        credits=offer.credits,
        valid_from=today,
        valid_until=today + timedelta(days=offer.validity_days - 1),
        price=purchase.price,
    )
    hub.transition(
        purchase,
        PurchaseStatus.PAID,
        why=_("Payé en ligne, pass crédité."),
        source="coworking.passes.settled",
        fields=["pass_created"],
    )


def refunded(payment, refund) -> None:
    """The pass gave its days back when the refund was decided (``withdraw``)."""


@dataclass(frozen=True)
class Unused:
    """What is left of a pass to take back: days (of the card, or of the membership's end) and
    their value at the price paid, in cents."""

    days: int
    cents: int


def unused(pass_: Pass, today: date | None = None) -> Unused:
    """A card's days not booked yet, or a membership's days after today and after the last
    desk day booked with it."""
    price = hub.to_cents(pass_.price)
    if not pass_.is_unlimited:
        days = credits_left(pass_)
        return Unused(days, price * days // pass_.credits)
    today = today or timezone.localdate()
    booked = max(credit_days(pass_), default=None)
    first_free = max(pass_.valid_from, today + timedelta(days=1))
    if booked is not None:
        first_free = max(first_free, booked + timedelta(days=1))
    total = (pass_.valid_until - pass_.valid_from).days + 1
    days = max((pass_.last_day - first_free).days + 1, 0)
    return Unused(days, price * days // total)


def withdraw(payment, part_key: str, amount: int) -> None:
    """A refund of ``amount`` cents takes back the days it pays for (a started day counts
    whole), never more than the pass has left: refused otherwise (purchase locked)."""
    purchase = _purchase(payment.reference)
    if purchase.pass_created_id is None:
        return
    pass_ = Pass.objects.select_for_update().get(pk=purchase.pass_created_id)
    left = unused(pass_)
    if amount > left.cents:
        raise ValidationError(
            {
                "amount": ngettext(
                    "Ce pass a déjà servi : il lui reste %(days)s journée non utilisée, "
                    "soit %(max)s au plus à rembourser.",
                    "Ce pass a déjà servi : il lui reste %(days)s journées non utilisées, "
                    "soit %(max)s au plus à rembourser.",
                    left.days,
                )
                % {"days": left.days, "max": hub.format_money(Decimal(left.cents).scaleb(-2))}
            }
        )
    pass_.withdrawn += _days_paid_by(pass_, amount)
    pass_.save(update_fields=["withdrawn"])


def _days_paid_by(pass_: Pass, cents: int) -> int:
    """The days ``cents`` pay for at the pass's price per day, a started day counted whole."""
    total = pass_.credits or (pass_.valid_until - pass_.valid_from).days + 1
    return -(-cents * total // hub.to_cents(pass_.price))


def refund_refused(payment, refund) -> None:
    """The provider refused the refund: the pass gets back the days it had withdrawn."""
    purchase = _purchase(payment.reference)
    if purchase.pass_created_id is None:
        return
    pass_ = Pass.objects.select_for_update().get(pk=purchase.pass_created_id)
    pass_.withdrawn = max(pass_.withdrawn - _days_paid_by(pass_, refund.amount), 0)
    pass_.save(update_fields=["withdrawn"])


def next_url(payment) -> str:
    return reverse("coworking:my_bookings")


HANDLER = hub.PaymentHandler(
    purpose=PURPOSE,
    lock=lock,
    authorised=authorised,
    failed=failed,
    settled=settled,
    refunded=refunded,
    next_url=next_url,
    withdraw=withdraw,
    refund_refused=refund_refused,
)

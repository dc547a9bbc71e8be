"""Passes bought online: price by the person's tier, paid through the hub's payment service,
credited once the payment is charged."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.models import Pass, PassOffer, PassPurchase, PurchaseStatus
from coworking.services.pricing import tier_of
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
    PassPurchase.objects.filter(reference=payment.reference, status=PurchaseStatus.PENDING).update(
        status=PurchaseStatus.FAILED
    )


def settled(payment) -> None:
    """Charged: the pass is credited (once). Released (authorisation lapsed): not bought."""
    purchase = _purchase(payment.reference)
    if purchase.status != PurchaseStatus.PENDING:
        return
    if not payment.captured:
        purchase.status = PurchaseStatus.FAILED
        purchase.save(update_fields=["status"])
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
    purchase.status = PurchaseStatus.PAID
    purchase.save(update_fields=["pass_created", "status"])


def refunded(payment, refund) -> None:
    """A refund is decided by staff, who adjust the pass in the admin if need be."""


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
)

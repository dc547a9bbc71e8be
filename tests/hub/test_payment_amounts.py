"""Amounts to the cent over 200 random baskets paid online: several shops, VAT at 5.5, 10 and
20 %, commissions from 0 to 12 %, parts accepted or refused at random. For each basket the
captured and released amounts add up to the authorised one, and each shop is paid its accepted
part less its commission and its share of the provider's fee."""

import random
from decimal import Decimal

import pytest

from hub.models import Payment, PaymentStatus
from hub.payments.amounts import commission, split
from hub.payments.services import sync_payment
from shop import payments, services
from shop.models import MerchantOrderStatus
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, connect, place

pytestmark = pytest.mark.django_db(transaction=True)

BASKETS = 200
VAT_RATES = [Decimal("5.5"), Decimal("10"), Decimal("20")]
COMMISSIONS = [Decimal("0"), Decimal("2.5"), Decimal("5"), Decimal("8"), Decimal("12")]


@pytest.fixture
def catalogue(stripe_standin):
    rng = random.Random(2026)
    shops = []
    for rate in COMMISSIONS:
        merchant = MerchantFactory(commission_rate=rate)
        connect(merchant, stripe_standin)
        products = [
            ProductFactory(
                merchant=merchant,
                price=Decimal(rng.randint(35, 4999)) / 100,
                vat_rate=rng.choice(VAT_RATES),
                stock=None,
            )
            for _ in range(4)
        ]
        shops.append(products)
    return shops


def test_captured_plus_released_is_the_authorisation_and_payouts_add_up(catalogue, stripe_standin):
    rng = random.Random(15)
    shopper = UserFactory(phone="06 12 34 56 78")
    slot = DeliverySlotFactory(capacity=BASKETS)
    for n in range(BASKETS):
        shops = rng.sample(catalogue, rng.randint(1, 4))
        items = [(rng.choice(products), rng.randint(1, 5)) for products in shops]
        choice = {"fulfilment": "collect"} if rng.random() < 0.3 else {"slot": slot.pk}
        order = place(shopper, *items, key=f"basket-{n}", payment="online", **choice)
        session = payments.payment_page(order).rsplit("/", 1)[-1]
        stripe_standin.pay(session)
        sync_payment(Payment.objects.get(reference=order.number))
        for part in order.merchant_orders.order_by("pk"):
            if rng.random() < 0.35:
                services.refuse_part(part, "Rupture")
            else:
                services.accept_part(part)
        _check(order, stripe_standin)


def _check(order, standin):
    order.refresh_from_db()
    payment = Payment.objects.get(reference=order.number)
    parts = {part.key: part for part in payment.parts.all()}
    accepted = [p for p in order.merchant_orders.all() if p.status == MerchantOrderStatus.ACCEPTED]
    goods = sum(int(p.subtotal * 100) for p in accepted)
    fee = int(order.delivery_fee * 100) if accepted else 0

    assert payment.captured + payment.released == payment.amount
    assert payment.captured == goods + fee
    intent = standin.objects[payment.intent_id]
    assert intent["amount"] == payment.amount
    assert intent["amount_received"] == payment.captured
    if not accepted:
        assert payment.status == PaymentStatus.RELEASED
        assert intent["status"] == "canceled"
        return

    charge = standin.objects[intent["latest_charge"]]
    provider_fee = standin.objects[charge["balance_transaction"]]["fee"]
    captured = [part for part in parts.values() if part.status == "captured"]
    assert sum(part.fee for part in captured) == provider_fee
    shares = dict(
        zip(
            [p.key for p in captured],
            split(provider_fee, [p.amount for p in captured]),
            strict=True,
        )
    )
    transfers = {
        obj["destination"]: obj["amount"]
        for obj in standin.objects.values()
        if obj["object"] == "transfer" and obj["transfer_group"] == order.number
    }
    for part in accepted:
        key = payments.part_key(part)
        amount = int(part.subtotal * 100)
        expected = amount - commission(amount, part.merchant.commission_rate) - shares[key]
        assert parts[key].payout_amount == expected
        assert transfers[parts[key].account.provider_id] == expected
    assert sum(row["gross"] for row in order.vat_breakdown()) == order.items_total

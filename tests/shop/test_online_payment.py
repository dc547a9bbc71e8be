"""Paying a basket online: authorised once, each shop's part charged only if accepted."""

from decimal import Decimal

import pytest

from hub.models import PartStatus, Payment, PaymentStatus, Payout
from shop import services
from shop.models import MerchantOrderStatus, OrderStatus
from shop.models import PaymentStatus as OrderPayment
from tests.shop.factories import connect, pay_online, place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shops(three_shops, stripe_standin):
    for product in three_shops:
        connect(product.merchant, stripe_standin)
    return three_shops


@pytest.fixture
def order(client, shopper, slot, shops):
    client.force_login(shopper)
    return place(shopper, *[(product, 2) for product in shops], slot=slot.pk, payment="online")


def payment_of(order) -> Payment:
    return Payment.objects.get(purpose="shop.order", reference=order.number)


def part_of(order, product):
    return order.merchant_orders.get(merchant=product.merchant)


def intent(standin, order):
    return standin.objects[payment_of(order).intent_id]


def test_the_whole_basket_is_held_then_each_accepted_part_charged(
    client, order, shops, stripe_standin
):
    response = pay_online(client, order, stripe_standin)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.payment_status == OrderPayment.AUTHORISED
    assert intent(stripe_standin, order)["amount_capturable"] == 3 * 900 + 490

    for product in shops:
        services.accept_part(part_of(order, product))

    payment = payment_of(order)
    order.refresh_from_db()
    assert payment.status == PaymentStatus.CAPTURED
    assert payment.captured == 3 * 900 + 490
    assert intent(stripe_standin, order)["amount_received"] == 3 * 900 + 490
    assert order.payment_status == OrderPayment.PAID
    assert Payout.objects.filter(part__payment=payment, status="done").count() == 3


def test_a_refused_part_is_released_and_never_charged(client, order, shops, stripe_standin):
    pay_online(client, order, stripe_standin)
    services.accept_part(part_of(order, shops[0]))
    services.refuse_part(part_of(order, shops[1]), "Plus de stock")
    services.accept_part(part_of(order, shops[2]))

    payment = payment_of(order)
    refused = payment.parts.get(key=f"part:{part_of(order, shops[1]).pk}")
    assert refused.status == PartStatus.RELEASED
    assert payment.captured == 2 * 900 + 490
    assert payment.released == 900
    assert intent(stripe_standin, order)["amount_received"] == 2 * 900 + 490
    page = client.get(order.get_absolute_url()).content.decode()
    assert "non débitée : montant libéré" in page
    assert "22,90" in page  # 18,00 € of goods and 4,90 € of delivery charged


def test_pay_on_delivery_is_unchanged_when_no_provider_is_configured(
    client, shopper, slot, three_shops, settings
):
    settings.STRIPE_SECRET_KEY = ""
    client.force_login(shopper)
    order = place(shopper, (three_shops[0], 1), slot=slot.pk)
    assert order.payment_status == OrderPayment.DUE
    assert not Payment.objects.exists()
    assert Decimal(order.total) == Decimal("9.40")
    assert order.merchant_orders.get().status == MerchantOrderStatus.PLACED
    assert order.status == OrderStatus.PLACED

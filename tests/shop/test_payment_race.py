"""Races around an online payment (PostgreSQL, real threads and row locks): the shopper's
return and the provider's webhook arriving together give one paid order; shops accepting at
the same instant give one capture."""

import pytest
from django.test import Client

from delivery.models import Delivery
from hub.models import Payment, PaymentStatus
from shop import payments, services
from shop.models import OrderEvent
from tests.concurrency import run_together
from tests.delivery.factories import DeliverySlotFactory
from tests.shop.factories import ProductFactory, connect, pay_online, place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order(stripe_standin):
    products = [ProductFactory(), ProductFactory()]
    for product in products:
        connect(product.merchant, stripe_standin)
    shopper = products[0].merchant.owner
    shopper.phone = "06 12 34 56 78"
    shopper.save()
    return place(
        shopper, *[(p, 1) for p in products], slot=DeliverySlotFactory().pk, payment="online"
    )


def test_the_return_page_and_the_webhook_together_make_one_paid_order(order, stripe_standin):
    session = payments.payment_page(order).rsplit("/", 1)[-1]
    back = stripe_standin.pay(session).split("testserver", 1)[-1]
    completed = stripe_standin.events_of("checkout.session.completed")[0]
    body, signature = stripe_standin.signed(completed)
    shopper, hook = Client(), Client()
    shopper.force_login(order.shopper)

    outcomes = run_together(
        [
            lambda: shopper.get(back),
            lambda: hook.post(
                "/paiement/webhook/",
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature,
            ),
        ]
    )

    assert outcomes == ["ok", "ok"]
    assert Payment.objects.get(reference=order.number).status == PaymentStatus.AUTHORISED
    assert (
        OrderEvent.objects.filter(order=order, message__startswith="Paiement accepté").count() == 1
    )
    assert Delivery.objects.filter(order_number=order.number).count() == 1


def test_two_shops_accepting_together_make_one_capture(client, order, stripe_standin):
    client.force_login(order.shopper)
    pay_online(client, order, stripe_standin)
    parts = list(order.merchant_orders.all())

    outcomes = run_together([lambda p=p: services.accept_part(p) for p in parts])

    assert outcomes == ["ok", "ok"]
    captures = [r for r in stripe_standin.requests if r[1].endswith("/capture")]
    assert len({r[3].get("idempotency-key") for r in captures}) == 1
    payment = Payment.objects.get(reference=order.number)
    assert payment.status == PaymentStatus.CAPTURED
    assert payment.captured == payment.amount

"""A real worker settles online payments: the capture decided by the shops' answers and the
shops' payouts are done by the worker process, against the Stripe stand-in."""

import pytest

from hub.models import Payment, PaymentStatus, Payout
from hub.payments.services import sync_payment
from shop import payments, services
from tests.delivery.factories import DeliverySlotFactory
from tests.integration.conftest import wait_for
from tests.shop.factories import ProductFactory, connect, place

pytestmark = pytest.mark.integration


@pytest.fixture
def stripe_for_the_worker(stripe_standin, monkeypatch):
    """The worker process reads its settings from the environment."""
    monkeypatch.setenv("STRIPE_SECRET_KEY", stripe_standin.api_key)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", stripe_standin.webhook_secret)
    monkeypatch.setenv("STRIPE_API_BASE", stripe_standin.url)
    monkeypatch.setenv("PAYMENTS_NETWORK_RETRIES", "0")
    return stripe_standin


def test_the_worker_captures_the_accepted_parts_and_pays_the_shops(
    stripe_for_the_worker, celery_worker_process
):
    standin = stripe_for_the_worker
    products = [ProductFactory(), ProductFactory()]
    for product in products:
        connect(product.merchant, standin)
    shopper = products[0].merchant.owner
    shopper.phone = "06 12 34 56 78"
    shopper.save()
    order = place(
        shopper, *[(p, 1) for p in products], slot=DeliverySlotFactory().pk, payment="online"
    )
    standin.pay(payments.payment_page(order).rsplit("/", 1)[-1])
    sync_payment(Payment.objects.get(reference=order.number))

    for part in order.merchant_orders.all():
        services.accept_part(part)

    assert wait_for(
        lambda: Payment.objects.get(reference=order.number).status == PaymentStatus.CAPTURED
    ), "the worker did not capture the payment"
    assert wait_for(lambda: Payout.objects.filter(status="done").count() == 2)
    assert (
        standin.objects[Payment.objects.get(reference=order.number).intent_id]["amount_received"]
        == Payment.objects.get(reference=order.number).amount
    )

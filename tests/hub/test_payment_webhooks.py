"""The provider's webhooks: signed, handled once, harmless when late, repeated or out of order;
the reconciliation job settles what a lost webhook left pending."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.models import Payment, PaymentStatus, WebhookEvent
from hub.payments.services import reconcile
from shop import payments
from shop.models import OrderEvent, OrderStatus
from shop.models import PaymentStatus as OrderPayment
from tests.delivery.factories import DeliverySlotFactory
from tests.shop.factories import ProductFactory, connect, deliver_events, place

pytestmark = pytest.mark.django_db(transaction=True)

WEBHOOK = "/paiement/webhook/"


@pytest.fixture
def order(client, stripe_standin):
    slot = DeliverySlotFactory()
    product = ProductFactory()
    connect(product.merchant, stripe_standin)
    shopper = product.merchant.owner
    shopper.phone = "06 12 34 56 78"
    shopper.save()
    client.force_login(shopper)
    return place(shopper, (product, 1), slot=slot.pk, payment="online")


def paid_on_the_page(order, standin) -> str:
    """The shopper pays; neither the return page nor any webhook has reached Anima yet."""
    session = payments.payment_page(order).rsplit("/", 1)[-1]
    standin.pay(session)
    return session


def payment_of(order) -> Payment:
    return Payment.objects.get(reference=order.number)


def post(client, body, signature):
    return client.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def test_a_signed_webhook_marks_the_order_paid(client, order, stripe_standin):
    paid_on_the_page(order, stripe_standin)
    responses = deliver_events(client, stripe_standin)

    assert all(response.status_code == 200 for response in responses)
    order.refresh_from_db()
    assert order.payment_status == OrderPayment.AUTHORISED
    assert (
        OrderEvent.objects.filter(order=order, message__startswith="Paiement accepté").count() == 1
    )


def test_a_bad_signature_is_refused_and_changes_nothing(client, order, stripe_standin):
    paid_on_the_page(order, stripe_standin)
    event = stripe_standin.events_of("checkout.session.completed")[0]

    forged, _ = stripe_standin.signed(event, secret="whsec_not_the_right_one")
    _, signature = stripe_standin.signed(event)
    tampered = forged.replace(b'"complete"', b'"expired"')
    stale_body, stale = stripe_standin.signed(event, at=int(timezone.now().timestamp()) - 3600)

    assert (
        post(client, forged, stripe_standin.signed(event, secret="whsec_x")[1]).status_code == 400
    )
    assert post(client, tampered, signature).status_code == 400
    assert post(client, stale_body, stale).status_code == 400
    assert client.post(WEBHOOK, data=forged, content_type="application/json").status_code == 400
    assert payment_of(order).status == PaymentStatus.OPEN
    assert not WebhookEvent.objects.exists()


def test_a_replayed_event_is_handled_once(client, order, stripe_standin):
    paid_on_the_page(order, stripe_standin)
    event = stripe_standin.events_of("checkout.session.completed")[0]
    body, signature = stripe_standin.signed(event)

    first = post(client, body, signature)
    again = post(client, body, signature)

    assert first.json() == {"received": True, "duplicate": False}
    assert again.json() == {"received": True, "duplicate": True}
    assert WebhookEvent.objects.filter(event_id=event["id"]).count() == 1
    assert (
        OrderEvent.objects.filter(order=order, message__startswith="Paiement accepté").count() == 1
    )


def test_events_out_of_order_change_nothing_once_paid(client, order, stripe_standin):
    session = payments.payment_page(order).rsplit("/", 1)[-1]
    stripe_standin.decline(session)  # a first card refused…
    stripe_standin.pay(session)  # …then another one accepted
    failed = stripe_standin.events_of("payment_intent.payment_failed")[0]
    completed = stripe_standin.events_of("checkout.session.completed")[0]

    post(client, *stripe_standin.signed(completed))
    post(client, *stripe_standin.signed(failed))  # the older event arrives last

    order.refresh_from_db()
    assert payment_of(order).status == PaymentStatus.AUTHORISED
    assert order.payment_status == OrderPayment.AUTHORISED
    assert order.status == OrderStatus.PLACED


def test_reconciliation_settles_a_payment_whose_webhook_was_lost(client, order, stripe_standin):
    paid_on_the_page(order, stripe_standin)  # the shopper closed the tab; webhooks lost
    Payment.objects.filter(pk=payment_of(order).pk).update(
        updated_at=timezone.now() - timedelta(hours=1)
    )

    reconcile()

    order.refresh_from_db()
    assert payment_of(order).status == PaymentStatus.AUTHORISED
    assert order.payment_status == OrderPayment.AUTHORISED


def test_reconciliation_cancels_an_order_whose_payment_page_never_opened(order, stripe_standin):
    Payment.objects.filter(pk=payment_of(order).pk).update(
        created_at=timezone.now() - timedelta(hours=2),
        updated_at=timezone.now() - timedelta(hours=2),
    )

    reconcile()

    order.refresh_from_db()
    assert payment_of(order).status == PaymentStatus.FAILED
    assert order.status == OrderStatus.CANCELLED


def test_reconciliation_leaves_a_shopper_still_on_the_page_alone(order, stripe_standin):
    payments.payment_page(order)
    reconcile()
    assert payment_of(order).status == PaymentStatus.OPEN


def test_every_request_carries_the_pinned_api_version(order, stripe_standin):
    payments.payment_page(order)
    versions = {headers.get("stripe-version") for _, _, _, headers in stripe_standin.requests}
    assert versions == {"2026-10-28.endive"}


def test_nothing_about_the_card_is_stored(client, order, stripe_standin):
    paid_on_the_page(order, stripe_standin)
    deliver_events(client, stripe_standin)
    payment = payment_of(order)
    stored = " ".join(
        str(value) for value in Payment.objects.filter(pk=payment.pk).values()[0].values()
    )
    stored += " ".join(str(row) for row in WebhookEvent.objects.values())
    assert "3155" not in stored  # the stand-in card's last four digits
    assert "visa" not in stored.lower()


def test_reconciliation_goes_on_when_the_provider_fails_for_one_payment(
    order, stripe_standin, settings
):
    payments.payment_page(order)
    Payment.objects.filter(pk=payment_of(order).pk).update(
        updated_at=timezone.now() - timedelta(hours=1)
    )
    stripe_standin.outage = True
    assert reconcile() == 1  # logged, not raised
    stripe_standin.outage = False
    assert payment_of(order).status == PaymentStatus.OPEN


def test_a_webhook_without_signature_or_secret_is_a_400_not_a_500(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = client.post(WEBHOOK, data=b"", content_type="application/json")

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()

"""The shop's API and online payment: placing an order paid online answers the page where the
shopper pays (``payment_url``), asked again with ``POST /orders/{id}/pay/`` if need be."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from hub.models import Payment, PaymentStatus
from shop.models import Order
from shop.models import PaymentStatus as OrderPayment
from tests.hub.factories import UserFactory
from tests.shop.factories import ProductFactory, basket_with, connect, deliver_events, place

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(slot, payment="online"):
    return {
        "fulfilment": "home",
        "address": "18 Rue Mollien, 62100 Calais",
        "slot": slot.pk,
        "payment": payment,
    }


@pytest.fixture
def product(stripe_standin):
    product = ProductFactory()
    connect(product.merchant, stripe_standin)
    return product


def session_id(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def test_an_order_paid_online_answers_its_payment_page_once_per_key(
    shopper, slot, product, stripe_standin
):
    basket_with(shopper, (product, 2))
    client = as_user(shopper)

    first = client.post("/api/v1/orders/", payload(slot), format="json", HTTP_IDEMPOTENCY_KEY="a")
    again = client.post("/api/v1/orders/", payload(slot), format="json", HTTP_IDEMPOTENCY_KEY="a")

    assert first.status_code == again.status_code == 201
    url = first.json()["payment_url"]
    assert url.startswith(stripe_standin.url + "/pay/")
    assert again.json()["payment_url"] == url
    assert Payment.objects.get().checkout_url == url
    order = Order.objects.get()
    assert order.payment_status == OrderPayment.PENDING
    detail = client.get(f"/api/v1/orders/{order.pk}/").json()
    listed = client.get("/api/v1/orders/").json()["results"][0]
    assert detail["payment_url"] == listed["payment_url"] == url

    stripe_standin.pay(session_id(url))
    deliver_events(Client(), stripe_standin)
    assert client.post(f"/api/v1/orders/{order.pk}/pay/").status_code == 409  # paid already
    order.refresh_from_db()
    assert order.payment_status == OrderPayment.AUTHORISED
    assert client.get(f"/api/v1/orders/{order.pk}/").json()["payment_url"] is None


def test_an_order_paid_at_the_door_has_no_payment_page(shopper, slot, product, stripe_standin):
    basket_with(shopper, (product, 1))
    client = as_user(shopper)

    body = client.post("/api/v1/orders/", payload(slot, "card"), format="json").json()

    assert body["payment_url"] is None
    response = client.post(f"/api/v1/orders/{body['id']}/pay/")
    assert response.status_code == 409
    assert "à la remise" in response.json()["detail"]
    assert not Payment.objects.exists()


def test_when_the_page_cannot_open_the_order_waits_and_pay_asks_again(
    shopper, slot, product, stripe_standin, settings
):
    basket_with(shopper, (product, 1))
    client = as_user(shopper)
    address = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    body = client.post("/api/v1/orders/", payload(slot), format="json").json()

    assert body["payment_url"] is None
    assert Order.objects.get().payment_status == OrderPayment.PENDING
    settings.STRIPE_API_BASE = address
    retried = client.post(f"/api/v1/orders/{body['id']}/pay/")
    assert retried.status_code == 200
    assert retried.json()["payment_url"].startswith(stripe_standin.url + "/pay/")


def test_nobody_opens_the_payment_page_of_another_shoppers_order(
    shopper, slot, product, stripe_standin
):
    order = place(shopper, (product, 1), slot=slot.pk, payment="online")
    other = as_user(UserFactory(phone="0611111111"))

    assert other.post(f"/api/v1/orders/{order.pk}/pay/").status_code == 404
    assert other.post("/api/v1/orders/abc/pay/").status_code == 404
    assert APIClient().post(f"/api/v1/orders/{order.pk}/pay/").status_code in (401, 403)
    assert not Payment.objects.get().checkout_id


def test_online_payment_is_refused_when_not_configured(shopper, slot, product, settings):
    settings.STRIPE_SECRET_KEY = ""
    basket_with(shopper, (product, 1))

    response = as_user(shopper).post("/api/v1/orders/", payload(slot), format="json")

    assert response.status_code == 400 and "payment" in response.json()
    assert not Order.objects.exists() and not Payment.objects.exists()


def test_the_order_list_reads_payment_pages_in_a_constant_number_of_queries(
    shopper, slot, product, stripe_standin, django_assert_max_num_queries
):
    client = as_user(shopper)

    def listing_queries(count: int) -> int:
        for n in range(count):
            order = place(shopper, (product, 1), slot=slot.pk, payment="online", key=f"{count}{n}")
            client.post(f"/api/v1/orders/{order.pk}/pay/")
        with django_assert_max_num_queries(12) as captured:
            results = client.get("/api/v1/orders/").json()["results"]
        assert all(row["payment_url"] for row in results)
        return len(captured.captured_queries)

    assert listing_queries(1) == listing_queries(3)
    assert Payment.objects.filter(status=PaymentStatus.OPEN).count() == 4

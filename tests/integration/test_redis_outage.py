"""Redis down while a shopper checks out through the API: the order is answered 201, pages
answer, and once Redis is back a real worker sends the stored e-mails (the sweep)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hub.models import OutgoingEmail
from hub.tasks import resend_overdue_emails
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import UserFactory
from tests.integration.conftest import start_worker, wait_for
from tests.shop.factories import ProductFactory, basket_with

pytestmark = pytest.mark.integration


def test_a_checkout_during_a_redis_outage_is_answered_and_mailed_once_redis_is_back(
    transactional_db, tmp_path, cache_down, broker_down, client
):
    shopper = UserFactory(phone="06 12 34 56 78")
    basket_with(shopper, (ProductFactory(), 1))
    api = APIClient()
    api.force_authenticate(shopper)
    client.force_login(shopper)

    response = api.post(
        "/api/v1/orders/",
        {
            "fulfilment": "home",
            "address": "18 Rue Mollien, 62100 Calais",
            "slot": DeliverySlotFactory().pk,
            "payment": "card",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="panne-redis",
    )
    assert response.status_code == 201
    assert client.get(reverse("shop:order_list")).status_code == 200
    assert OutgoingEmail.objects.filter(sent_at=None).exists()

    broker_down.back()
    worker = start_worker(tmp_path, OUTGOING_EMAIL_GRACE_SECONDS="0")
    try:
        resend_overdue_emails.delay()
        assert wait_for(lambda: not OutgoingEmail.objects.filter(sent_at=None).exists())
    finally:
        worker.stop()

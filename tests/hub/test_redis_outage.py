"""Redis down (cache and broker at a port where nothing listens): a committed action is never
turned into an error, pages answer, logins are refused (fail closed) and the e-mails stored
meanwhile go out once the broker is back (the sweep)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from anima.celery import enqueue
from hub.models import OutgoingEmail
from hub.services import send_email
from hub.tasks import heartbeat, resend_overdue_emails
from shop.models import Order
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import PASSWORD, UserFactory
from tests.shop.factories import ProductFactory, basket_with

pytestmark = pytest.mark.django_db(transaction=True)

TEMPLATE = "account/email/password_reset_key"


def test_the_cache_misses_and_skips_writes_while_redis_is_down(cache_down):
    cache.set("k", 1)

    assert cache.get("k") is None
    assert cache.get("k", "défaut") == "défaut"
    assert cache.get_many(["k"]) == {}
    assert cache.add("k", 1) is True
    assert cache.get_or_set("k", 2) == 2


def test_signed_in_pages_answer_while_the_cache_is_down(client, cache_down):
    client.force_login(UserFactory())

    for url in ("/", reverse("shop:catalogue"), reverse("account_email")):
        assert client.get(url).status_code == 200, url


def test_reads_limited_by_the_cache_stay_open_while_it_is_down(client, cache_down, settings):
    settings.SHOP_SUGGESTIONS_PER_MINUTE = 1
    ProductFactory(name="Confiture de fraises")

    for _ in range(3):
        assert client.get(reverse("shop:suggestions"), {"q": "conf"}).status_code == 200


def test_logins_are_refused_while_their_limit_is_blind(client, cache_down):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "momentanément indisponible" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_api_tokens_are_refused_with_a_503_while_the_cache_is_down(cache_down):
    user = UserFactory()

    response = APIClient().post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 503
    assert "momentanément indisponible" in response.json()["detail"]


def test_queueing_on_a_broker_that_is_down_logs_and_returns(broker_down, caplog):
    assert enqueue(heartbeat) is False
    assert "a sweep will pick the work up" in caplog.text


def test_an_email_stored_while_the_broker_is_down_stays_for_the_sweep(broker_down):
    send_email("a@exemple.fr", TEMPLATE, {"password_reset_url": "u"})

    assert OutgoingEmail.objects.get().sent_at is None
    assert mail.outbox == []


def test_an_api_checkout_answers_201_with_redis_down_and_its_emails_go_out_later(
    cache_down, broker_down, settings
):
    shopper = UserFactory(phone="06 12 34 56 78")
    basket_with(shopper, (ProductFactory(), 1))
    client = APIClient()
    client.force_authenticate(shopper)

    response = client.post(
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
    assert Order.objects.count() == 1
    stored = OutgoingEmail.objects.count()
    assert stored and not OutgoingEmail.objects.exclude(sent_at=None).exists()
    assert mail.outbox == []

    broker_down.back()
    past = timezone.now() - timedelta(seconds=settings.OUTGOING_EMAIL_GRACE_SECONDS + 1)
    OutgoingEmail.objects.update(created_at=past)
    resend_overdue_emails.delay()

    assert len(mail.outbox) == stored
    assert not OutgoingEmail.objects.filter(sent_at=None).exists()

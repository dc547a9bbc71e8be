"""Passes bought online: a 10-day card is credited once paid, and then pays desk days."""

from decimal import Decimal

import pytest
from django.utils import timezone

from coworking import services
from coworking.models import Pass, PassPurchase, PurchaseStatus, RateTier
from hub.models import Payment, PaymentStatus
from tests.coworking.factories import DeskPoolFactory, PassOfferFactory, RateFactory, at
from tests.hub.factories import UserFactory
from tests.shop.factories import deliver_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def card(db):
    return PassOfferFactory()


@pytest.fixture
def coworker(client):
    user = UserFactory()
    client.force_login(user)
    return user


def buy(client, card):
    return client.post(f"/espaces/pass/{card.pk}/acheter/")


def test_a_ten_day_card_bought_online_is_credited_once_paid_and_books_desks(
    client, card, coworker, stripe_standin
):
    response = buy(client, card)
    assert response["Location"].startswith(stripe_standin.url + "/pay/")
    assert not Pass.objects.exists()

    back = stripe_standin.pay(response["Location"].rsplit("/", 1)[-1])
    client.get(back.split("testserver", 1)[-1])
    deliver_events(client, stripe_standin)  # the webhooks arrive too: still one pass

    credited = Pass.objects.get(user=coworker)
    assert (credited.kind, credited.credits, credited.price) == ("card", 10, Decimal("150.00"))
    payment = Payment.objects.get(purpose="coworking.pass")
    assert payment.status == PaymentStatus.CAPTURED and payment.captured == 15000
    assert PassPurchase.objects.get().status == PurchaseStatus.PAID

    pool = DeskPoolFactory(space=card.space)
    RateFactory(resource=pool)
    booking = services.book(coworker, pool, at(2, 9), at(2, 17))
    assert booking.pass_used == credited
    assert booking.price == Decimal("0.00")
    assert "9 journées restantes" in client.get("/espaces/mes-reservations/").content.decode()


def test_the_solidarity_rate_applies_to_passes(client, card, coworker, stripe_standin):
    profile = services.coworker_for(coworker)
    profile.tier = RateTier.SOLIDARITY
    profile.save()
    assert "75,00" in client.get("/espaces/pass/").content.decode()

    buy(client, card)

    assert Payment.objects.get(purpose="coworking.pass").amount == 7500


def test_an_abandoned_payment_credits_nothing(client, card, coworker, stripe_standin):
    buy(client, card)
    payment = Payment.objects.get(purpose="coworking.pass")
    client.post(f"/paiement/{payment.public_id}/abandon/")

    assert not Pass.objects.exists()
    assert PassPurchase.objects.get().status == PurchaseStatus.FAILED


def test_without_online_payment_passes_are_sold_at_the_desk(client, card, coworker, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = client.get("/espaces/pass/").content.decode()
    assert "En vente au comptoir du Lieu Commun" in page
    assert "Acheter en ligne" not in page
    response = buy(client, card)
    assert response.status_code == 302
    assert not PassPurchase.objects.exists()


def test_buying_needs_an_account(client, card, stripe_standin):
    client.logout()
    response = buy(client, card)
    assert "/comptes/" in response["Location"] or "login" in response["Location"]
    assert not PassPurchase.objects.exists()


def test_the_monthly_statement_says_the_pass_was_paid_online(
    client, card, coworker, stripe_standin
):
    response = buy(client, card)
    back = stripe_standin.pay(response["Location"].rsplit("/", 1)[-1])
    client.get(back.split("testserver", 1)[-1])

    today = timezone.localdate()
    page = client.get(f"/espaces/releve/{today.year}/{today.month}/").content.decode()
    assert "payé en ligne" in page
    assert "dont déjà payé en ligne" in page

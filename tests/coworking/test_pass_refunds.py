"""Refunding a pass bought online takes back the days the refund pays for, and never more than
the pass has left: a refund larger than its unused days is refused, nothing changed."""

from contextlib import suppress
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coworking import services
from coworking.models import Pass, PassKind
from coworking.services import passes
from hub.models import Payment, Refund
from hub.payments import services as payments
from hub.roles import Role
from tests.concurrency import run_together
from tests.coworking.factories import DeskPoolFactory, PassOfferFactory, RateFactory, at
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def bought(standin, offer=None) -> Pass:
    """A pass bought and paid online by a new coworker."""
    offer = offer or PassOfferFactory()
    user = UserFactory()
    url = passes.buy_pass(user, offer.pk)
    standin.pay(url.rsplit("/", 1)[-1])
    payments.sync_payment(Payment.objects.get(purpose=passes.PURPOSE))
    return Pass.objects.get(user=user)


def payment_of(pass_) -> Payment:
    return Payment.objects.get(purpose=passes.PURPOSE, reference=str(pass_.purchase.reference))


def refund(pass_, amount=None, by=None):
    return payments.refund_payment(payment_of(pass_), "Départ de Calais", amount=amount, by=by)


@pytest.fixture
def pool(db):
    pool = DeskPoolFactory()
    RateFactory(resource=pool)
    return pool


def test_a_full_refund_of_an_unused_card_withdraws_all_its_days(stripe_standin, pool):
    card = bought(stripe_standin)

    refund(card)

    card.refresh_from_db()
    assert (card.withdrawn, services.credits_left(card)) == (10, 0)
    assert payment_of(card).refunded == 15000
    booking = services.book(card.user, pool, at(2, 9), at(2, 17))
    assert booking.pass_used is None and booking.price > 0  # paid at the rate again


def test_a_partial_refund_withdraws_the_days_it_pays_for_a_started_day_counted_whole(
    stripe_standin, pool
):
    card = bought(stripe_standin)

    refund(card, amount=2000)  # 20 € of a 15 €-a-day card: two days

    card.refresh_from_db()
    assert (card.withdrawn, services.credits_left(card)) == (2, 8)
    assert Refund.objects.get().amount == 2000


def test_a_refund_larger_than_the_unused_days_is_refused_and_nothing_changes(stripe_standin, pool):
    card = bought(stripe_standin)
    for day in (2, 3, 4):
        services.book(card.user, pool, at(day, 9), at(day, 17))

    with pytest.raises(ValidationError) as refused:
        refund(card)

    message = refused.value.message_dict["amount"][0]
    assert "7 journées non utilisées" in message and "105,00" in message
    card.refresh_from_db()
    assert card.withdrawn == 0 and not Refund.objects.exists()
    assert payment_of(card).refunded == 0

    refund(card, amount=10500)
    card.refresh_from_db()
    assert (card.withdrawn, services.credits_left(card)) == (7, 0)


def test_a_refunded_membership_ends_earlier(stripe_standin, pool):
    offer = PassOfferFactory(
        kind=PassKind.MONTHLY, credits=None, validity_days=30, price=Decimal("60.00")
    )
    membership = bought(stripe_standin, offer)
    services.book(membership.user, pool, at(4, 9), at(4, 17))

    # Days 5 to 29 are still unused: 25 days at 2 € a day.
    with pytest.raises(ValidationError):
        refund(membership, amount=5001)
    refund(membership, amount=1000)

    membership.refresh_from_db()
    assert membership.withdrawn == 5
    assert membership.last_day == timezone.localdate() + timedelta(days=24)
    late = services.book(membership.user, pool, at(26, 9), at(26, 17))
    assert late.pass_used is None
    early = services.book(membership.user, pool, at(20, 9), at(20, 17))
    assert early.pass_used == membership


def test_the_admin_refuses_an_excessive_refund_with_the_reason(client, stripe_standin, pool):
    card = bought(stripe_standin)
    services.book(card.user, pool, at(2, 9), at(2, 17))
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))

    response = client.post(
        f"/admin/hub/payment/{payment_of(card).pk}/rembourser/",
        {"part": "pass", "amount": "150", "reason": "Départ"},
    )

    assert response.status_code == 200
    assert "9 journées non utilisées" in response.content.decode()
    assert not Refund.objects.exists()


def test_the_coworker_sees_the_days_withdrawn(client, stripe_standin):
    card = bought(stripe_standin)
    refund(card, amount=3000)
    client.force_login(card.user)

    page = client.get("/espaces/mes-reservations/").content.decode()

    assert "8 journées restantes" in page and "2 journées remboursées" in page


@pytest.mark.postgres
def test_booking_the_last_day_and_refunding_it_at_once_never_give_both(stripe_standin, pool):
    card = bought(stripe_standin)
    refund(card, amount=13500)  # one day left
    card.refresh_from_db()
    assert services.credits_left(card) == 1

    def book():
        services.book(card.user, pool, at(2, 9), at(2, 17))

    def refund_last_day():
        with suppress(ValidationError):
            refund(card, amount=1500)

    run_together([book, refund_last_day])

    card.refresh_from_db()
    booking = card.user.coworking_bookings.get()
    refunded = payment_of(card).refunds.count() == 2
    assert (booking.pass_used_id is not None) != refunded
    assert services.credits_left(card) == 0


def test_a_refund_the_provider_refuses_gives_the_days_back(stripe_standin):
    card = bought(stripe_standin)
    intent = stripe_standin.objects[payment_of(card).intent_id]
    charge = stripe_standin.objects[intent["latest_charge"]]
    charge["amount_refunded"] = charge["amount_captured"]  # refunded from Stripe's dashboard

    refund(card, amount=3000)

    assert Refund.objects.get().status == "failed"
    card.refresh_from_db()
    assert (card.withdrawn, services.credits_left(card)) == (0, 10)

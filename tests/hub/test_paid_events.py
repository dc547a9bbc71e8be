"""Paid events paid online: seats held while the person pays, confirmed once charged, given to
the waiting list when not paid in time. Free events, and paid ones without online payment,
register as before."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from hub.agenda.paid_seats import release_expired_holds
from hub.agenda.registrations import cancel_registration, register
from hub.agenda.scheduling import cancel_event
from hub.exceptions import Conflict
from hub.models import Payment, PaymentStatus, Registration, RegistrationStatus
from hub.roles import Role
from tests.hub.event_factories import EventFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.hub.stripe_standin import StripeError
from tests.shop.factories import deliver_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lunch(db):
    """The 8 € « déjeuner des créateurs », 4 seats."""
    return EventFactory(title="Déjeuner des créateurs", price=Decimal("8.00"), capacity=4)


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def sign_up(client, event, seats=1):
    return client.post(f"/agenda/{event.pk}/inscription/", {"seats": seats})


def payment_of(registration) -> Payment:
    return Payment.objects.get(purpose="hub.registration", reference=str(registration.pk))


def test_seats_are_held_while_paying_then_confirmed_once_paid(
    client, lunch, person, stripe_standin
):
    response = sign_up(client, lunch, seats=2)

    assert response["Location"].startswith(stripe_standin.url + "/pay/")
    registration = Registration.objects.get(user=person)
    lunch.refresh_from_db()
    assert registration.status == RegistrationStatus.HELD
    assert lunch.confirmed_seats == 2
    assert payment_of(registration).amount == 1600

    back = stripe_standin.pay(response["Location"].rsplit("/", 1)[-1])
    client.get(back.split("testserver", 1)[-1])

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert payment_of(registration).status == PaymentStatus.CAPTURED
    assert any("confirm" in message.subject.lower() for message in mail.outbox)


def test_an_abandoned_payment_gives_the_seat_to_the_next_person_waiting(
    client, lunch, person, stripe_standin
):
    full = EventFactory(price=Decimal("8.00"), capacity=1)
    sign_up(client, full)
    mine = Registration.objects.get(user=person)
    other = UserFactory()
    waiting = register(full, user=other)
    assert waiting.status == RegistrationStatus.WAITING

    client.post(f"/paiement/{payment_of(mine).public_id}/abandon/")

    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert payment_of(mine).status == PaymentStatus.FAILED
    assert waiting.status == RegistrationStatus.HELD
    assert waiting.hold_until > timezone.now() + timedelta(hours=20)
    assert any(
        message.to == [other.email] and "payez-la" in message.subject for message in mail.outbox
    )


def test_a_hold_not_paid_in_time_is_released_by_the_job(client, lunch, person, stripe_standin):
    response = sign_up(client, lunch)
    session = response["Location"].rsplit("/", 1)[-1]
    mine = Registration.objects.get(user=person)

    assert release_expired_holds() == 0
    release_expired_holds(now=mine.hold_until + timedelta(seconds=1))

    mine.refresh_from_db()
    lunch.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED
    assert lunch.confirmed_seats == 0
    assert stripe_standin.objects[session]["status"] == "expired"
    assert payment_of(mine).captured == 0


def test_paying_after_the_hold_was_released_charges_nothing(client, lunch, person, stripe_standin):
    response = sign_up(client, lunch)
    mine = Registration.objects.get(user=person)
    session = response["Location"].rsplit("/", 1)[-1]
    release_expired_holds(now=mine.hold_until + timedelta(seconds=1))

    with pytest.raises(StripeError):  # the page has expired
        stripe_standin.pay(session)
    deliver_events(client, stripe_standin)
    assert payment_of(mine).captured == 0


def test_cancelling_a_paid_registration_refunds_it(client, lunch, person, stripe_standin):
    response = sign_up(client, lunch)
    back = stripe_standin.pay(response["Location"].rsplit("/", 1)[-1])
    client.get(back.split("testserver", 1)[-1])
    mine = Registration.objects.get(user=person)

    cancel_registration(mine)

    payment = payment_of(mine)
    assert payment.refunded == payment.captured == 800
    lunch.refresh_from_db()
    assert lunch.confirmed_seats == 0


def test_a_cancelled_event_refunds_the_paid_and_releases_the_held(
    client, lunch, person, stripe_standin
):
    response = sign_up(client, lunch)
    back = stripe_standin.pay(response["Location"].rsplit("/", 1)[-1])
    client.get(back.split("testserver", 1)[-1])
    paid = Registration.objects.get(user=person)
    client.force_login(UserFactory())
    sign_up(client, lunch)
    held = Registration.objects.get(status=RegistrationStatus.HELD)

    cancel_event(lunch, by=StaffFactory(roles=[Role.ANIMATION]))

    assert payment_of(paid).refunded == 800
    assert payment_of(held).status == PaymentStatus.FAILED
    assert payment_of(held).captured == 0


def test_visitors_are_asked_to_sign_in_for_a_paid_event(client, lunch, stripe_standin):
    client.logout()
    page = client.get(lunch.get_absolute_url()).content.decode()
    assert "Connectez-vous (ou créez un compte)" in page
    with pytest.raises(Conflict):
        register(lunch, name="Léa", email="lea@exemple.fr")


def test_free_events_register_at_once_without_payment(client, person, stripe_standin):
    cafe = EventFactory(price=Decimal("0"))
    response = sign_up(client, cafe)
    assert response["Location"] == cafe.get_absolute_url()
    assert Registration.objects.get(user=person).status == RegistrationStatus.CONFIRMED
    assert not Payment.objects.exists()


def test_without_online_payment_paid_events_are_paid_on_site(client, lunch, person, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert "à régler sur place" in client.get(lunch.get_absolute_url()).content.decode()
    sign_up(client, lunch)
    assert Registration.objects.get(user=person).status == RegistrationStatus.CONFIRMED
    assert not Payment.objects.exists()


def test_a_held_seat_counts_against_the_capacity(client, person, stripe_standin):
    small = EventFactory(price=Decimal("8.00"), capacity=1)
    sign_up(client, small)
    late = register(small, user=UserFactory())
    assert late.status == RegistrationStatus.WAITING

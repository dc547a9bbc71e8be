"""Priced bookings paid online: the place is held while the person pays, confirmed once
charged, released if not paid; cancelling refunds what is no longer owed."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import Booking, BookingStatus
from coworking.services import paid_bookings
from coworking.services.pricing import reprice_future_bookings
from coworking.services.stats import impact_indicators
from hub.exceptions import Conflict
from hub.models import PartStatus, Payment, PaymentStatus, Refund
from tests.concurrency import run_together
from tests.coworking.factories import (
    DeskPoolFactory,
    PassFactory,
    RateFactory,
    RoomFactory,
    at,
)
from tests.hub.factories import UserFactory
from tests.shop.factories import deliver_events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def room(db):
    room = RoomFactory(name="Salle Marianne")
    RateFactory(resource=room)  # 5 € an hour
    return room


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def book_url(resource, start):
    return (
        reverse("coworking:book", args=[resource.pk])
        + "?debut="
        + start.isoformat().replace("+", "%2B")
    )


def book_online(client, room, day=3, payment="online"):
    return client.post(
        book_url(room, at(day, 10)), {"end": at(day, 12).isoformat(), "payment": payment}
    )


def payment_of(booking) -> Payment:
    return Payment.objects.get(purpose=paid_bookings.PURPOSE, reference=str(booking.reference))


def pay(client, standin, response):
    back = standin.pay(response["Location"].rsplit("/", 1)[-1])
    return client.get(back.split("testserver", 1)[-1])


def test_a_priced_booking_is_held_while_paying_then_confirmed_once_paid(
    client, room, person, stripe_standin
):
    form = client.get(book_url(room, at(3, 10))).content.decode()
    assert "Payer en ligne maintenant" in form and "Payer sur place" in form

    response = book_online(client, room)

    assert response["Location"].startswith(stripe_standin.url + "/pay/")
    booking = Booking.objects.get(user=person)
    assert booking.status == BookingStatus.HELD and booking.hold_until is not None
    assert payment_of(booking).amount == 1000
    mine = client.get(reverse("coworking:my_bookings")).content.decode()
    assert "En attente du paiement" in mine

    back = pay(client, stripe_standin, response)
    deliver_events(client, stripe_standin)  # the webhooks arrive too: still one payment

    assert back["Location"].endswith(reverse("coworking:my_bookings"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.paid_online
    assert booking.hold_until is None
    payment = payment_of(booking)
    assert (payment.status, payment.captured) == (PaymentStatus.CAPTURED, 1000)
    assert Payment.objects.count() == 1
    assert "payée en ligne" in client.get(reverse("coworking:my_bookings")).content.decode()
    month = timezone.localtime(booking.start)
    with time_machine.travel(booking.start):  # a month's statement exists once it has come
        statement = client.get(
            reverse("coworking:statement", args=[month.year, month.month])
        ).content.decode()
    assert "dont déjà payé en ligne" in statement


def test_a_held_place_is_taken_for_everybody_else(client, room, person, stripe_standin):
    book_online(client, room)

    with pytest.raises(Conflict):
        services.book(UserFactory(), room, at(3, 11), at(3, 12))


def test_paying_on_site_books_as_before(client, room, person, stripe_standin):
    response = book_online(client, room, payment="on_site")

    assert response["Location"] == reverse("coworking:my_bookings")
    booking = Booking.objects.get(user=person)
    assert booking.status == BookingStatus.CONFIRMED and not booking.paid_online
    assert not Payment.objects.exists()


def test_without_online_payment_the_form_offers_none(client, room, person, settings):
    settings.STRIPE_SECRET_KEY = ""

    form = client.get(book_url(room, at(3, 10))).content.decode()
    response = book_online(client, room)

    assert "Payer en ligne" not in form and "À régler sur place" in form
    assert response["Location"] == reverse("coworking:my_bookings")
    assert Booking.objects.get(user=person).status == BookingStatus.CONFIRMED
    assert not Payment.objects.exists()


def test_a_booking_covered_by_a_pass_is_never_paid_online(client, person, stripe_standin):
    pool = DeskPoolFactory()
    RateFactory(resource=pool)
    PassFactory(user=person)

    form = client.get(book_url(pool, at(3, 10))).content.decode()
    booking = services.book(person, pool, at(3, 9), at(3, 17), pay_online=True)

    assert "Payer en ligne" not in form
    assert booking.status == BookingStatus.CONFIRMED and booking.pass_used is not None
    assert not Payment.objects.exists()


def test_a_weekly_series_is_paid_on_site(client, room, person, stripe_standin):
    until = (at(3, 10) + timedelta(weeks=2)).date().isoformat()
    response = client.post(
        book_url(room, at(3, 10)),
        {
            "end": at(3, 12).isoformat(),
            "payment": "online",
            "repeat": "on",
            "until": until,
            "on_clash": "skip",
        },
    )

    assert response.status_code == 200
    assert "se règle sur place" in response.content.decode()
    assert not Booking.objects.exists() and not Payment.objects.exists()


def test_an_abandoned_payment_frees_the_place(client, room, person, stripe_standin):
    book_online(client, room)
    booking = Booking.objects.get()

    client.post(f"/paiement/{payment_of(booking).public_id}/abandon/")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert payment_of(booking).status == PaymentStatus.FAILED
    services.book(UserFactory(), room, at(3, 10), at(3, 12))  # the place is free again


def test_a_hold_not_paid_in_time_is_released_and_a_late_payment_charges_nothing(
    client, room, person, stripe_standin
):
    response = book_online(client, room)
    booking = Booking.objects.get()

    # Paid at the last second, but the job runs before anything tells Anima.
    back = stripe_standin.pay(response["Location"].rsplit("/", 1)[-1])
    assert paid_bookings.release_expired_holds(booking.hold_until - timedelta(seconds=1)) == 0
    assert paid_bookings.release_expired_holds(booking.hold_until) == 1
    client.get(back.split("testserver", 1)[-1])
    deliver_events(client, stripe_standin)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and not booking.paid_online
    payment = payment_of(booking)
    assert payment.captured == 0
    assert payment.parts.get().status == PartStatus.RELEASED


def test_cancelling_a_held_booking_releases_it(client, room, person, stripe_standin):
    book_online(client, room)
    booking = Booking.objects.get()

    client.post(reverse("coworking:cancel", args=[booking.pk]))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert payment_of(booking).status == PaymentStatus.FAILED


def test_cancelling_in_time_refunds_everything(client, room, person, stripe_standin):
    pay(client, stripe_standin, book_online(client, room))
    booking = Booking.objects.get()

    response = client.post(reverse("coworking:cancel", args=[booking.pk]), follow=True)

    assert "remboursé·e sur votre carte" in response.content.decode()
    refund = Refund.objects.get()
    assert (refund.amount, refund.status) == (1000, "done")
    assert payment_of(booking).refunded == 1000


def test_a_late_cancellation_refunds_what_is_no_longer_owed(client, room, person, stripe_standin):
    room.space.late_cancellation_percent = 40
    room.space.save()
    pay(client, stripe_standin, book_online(client, room))
    booking = Booking.objects.get()

    cancelled = services.cancel_booking(booking, now=booking.start - timedelta(hours=2))

    assert cancelled.status == BookingStatus.LATE_CANCELLED
    assert cancelled.amount_due == Decimal("4.00")
    assert Refund.objects.get().amount == 600
    assert payment_of(booking).refunded == 600


def test_a_booking_paid_online_is_not_moved(client, room, person, stripe_standin):
    pay(client, stripe_standin, book_online(client, room))
    booking = Booking.objects.get()

    with pytest.raises(Conflict, match="payée en ligne ne se déplace pas"):
        services.move_booking(booking, at(4, 10), at(4, 12))
    assert "Déplacer" not in client.get(reverse("coworking:my_bookings")).content.decode()


def test_a_booking_waiting_for_its_payment_is_not_moved(client, room, person, stripe_standin):
    book_online(client, room)
    booking = Booking.objects.get()

    with pytest.raises(Conflict, match="attend son paiement"):
        services.move_booking(booking, at(4, 10), at(4, 12))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD and booking.start == at(3, 10)
    assert "Déplacer" not in client.get(reverse("coworking:my_bookings")).content.decode()


def test_the_solidarity_rate_leaves_a_booking_paid_online_as_it_is(
    client, room, person, stripe_standin
):
    pay(client, stripe_standin, book_online(client, room))
    coworker = services.coworker_for(person)
    coworker.tier = "solidarity"
    coworker.save()
    RateFactory(resource=room, tier="solidarity", hourly=Decimal("2.00"))

    with transaction.atomic():
        assert reprice_future_bookings(person, timezone.now()) == []
    assert Booking.objects.get().price == Decimal("10.00")


def test_nobody_pays_or_cancels_another_persons_booking(client, room, person, stripe_standin):
    book_online(client, room)
    booking = Booking.objects.get()
    client.force_login(UserFactory())

    assert client.post(reverse("coworking:pay_booking", args=[booking.pk])).status_code == 404
    assert client.post(reverse("coworking:cancel", args=[booking.pk])).status_code == 404
    client.logout()
    response = client.post(reverse("coworking:pay_booking", args=[booking.pk]))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD


def test_the_payment_page_opens_again_from_my_bookings(client, room, person, stripe_standin):
    first = book_online(client, room)
    booking = Booking.objects.get()

    again = client.post(reverse("coworking:pay_booking", args=[booking.pk]))

    assert again["Location"] == first["Location"]
    assert client.get(reverse("coworking:pay_booking", args=[booking.pk])).status_code == 405


@pytest.mark.postgres
def test_the_return_page_and_the_webhook_together_make_one_paid_booking(room, stripe_standin):
    person = UserFactory()
    booking = services.book(person, room, at(3, 10), at(3, 12), pay_online=True)
    session = paid_bookings.payment_page(booking).rsplit("/", 1)[-1]
    back = stripe_standin.pay(session).split("testserver", 1)[-1]
    completed = stripe_standin.events_of("checkout.session.completed")[0]
    body, signature = stripe_standin.signed(completed)
    browser, hook = Client(), Client()
    browser.force_login(person)

    outcomes = run_together(
        [
            lambda: browser.get(back),
            lambda: hook.post(
                "/paiement/webhook/",
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature,
            ),
        ]
    )

    assert outcomes == ["ok", "ok"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.paid_online
    payment = payment_of(booking)
    assert (payment.status, payment.captured) == (PaymentStatus.CAPTURED, 1000)
    assert stripe_standin.objects[payment.intent_id]["amount_received"] == 1000


@pytest.mark.postgres
def test_the_hold_job_and_the_payment_arriving_together_never_charge_a_freed_place(
    room, stripe_standin
):
    person = UserFactory()
    booking = services.book(person, room, at(3, 10), at(3, 12), pay_online=True)
    session = paid_bookings.payment_page(booking).rsplit("/", 1)[-1]
    back = stripe_standin.pay(session).split("testserver", 1)[-1]
    browser = Client()
    browser.force_login(person)

    run_together(
        [
            lambda: browser.get(back),
            lambda: paid_bookings.release_expired_holds(booking.hold_until),
        ]
    )

    booking.refresh_from_db()
    payment = payment_of(booking)
    if booking.status == BookingStatus.CONFIRMED:
        assert booking.paid_online and payment.captured == 1000
    else:
        assert booking.status == BookingStatus.CANCELLED and payment.captured == 0
        assert payment.status == PaymentStatus.RELEASED


def test_an_unknown_payment_choice_is_refused_and_nothing_is_booked(
    client, room, person, stripe_standin
):
    response = book_online(client, room, payment="bitcoin")

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Booking.objects.exists() and not Payment.objects.exists()


def test_a_booking_being_paid_is_not_counted_as_made_yet(client, room, person, stripe_standin):
    book_online(client, room)
    day = at(3, 10).date()

    made = {i.key: i.value for i in impact_indicators(day, day)}["coworking_bookings"]

    assert made == 0

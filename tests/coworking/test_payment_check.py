"""« Mes réservations » after paying online: while the bank's yes waits for its charge (the
worker's capture, the provider's webhook), the page polls a fragment that answers nothing until
the booking is confirmed or the pass credited, then the outcome and the updated lists; after a
bounded wait, a message to come back later. Only the person who paid can read it."""

import time

import pytest
from django.urls import reverse

from coworking.models import Booking, BookingStatus, PassPurchase
from coworking.services import paid_bookings, passes
from hub.models import Payment, PaymentStatus
from hub.tasks import settle_payment
from tests.coworking.factories import PassOfferFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MY_BOOKINGS = "/espaces/mes-reservations/"


def book_and_pay(client, room, standin, broker_down, day=3):
    """Book online and pay; the broker is down meanwhile, so the charge is not made yet: the
    payment stays authorised, as in the seconds before the worker's capture."""
    response = client.post(
        reverse("coworking:book", args=[room.pk])
        + "?debut="
        + at(day, 10).isoformat().replace("+", "%2B"),
        {"end": at(day, 12).isoformat(), "payment": "online"},
    )
    back = standin.pay(response["Location"].rsplit("/", 1)[-1])
    client.get(back.split("testserver", 1)[-1])
    return Booking.objects.latest("pk")


def buy_card_and_pay(client, standin):
    card = PassOfferFactory()
    response = client.post(f"/espaces/pass/{card.pk}/acheter/")
    back = standin.pay(response["Location"].rsplit("/", 1)[-1])
    client.get(back.split("testserver", 1)[-1])
    return PassPurchase.objects.latest("pk")


def check_url(item, since=None):
    url = reverse("coworking:payment_check", args=[item.reference])
    return f"{url}?depuis={since if since is not None else int(time.time())}"


def charge(purpose, item, broker_down):
    """The broker is back and the worker charges the payment (the capture task)."""
    broker_down.back()
    payment = Payment.objects.get(purpose=purpose, reference=str(item.reference))
    settle_payment.delay(payment.pk)


def test_the_page_polls_while_the_charge_is_pending_then_shows_the_confirmed_booking(
    client, person, room, stripe_standin, broker_down
):
    booking = book_and_pay(client, room, stripe_standin, broker_down)
    assert booking.status == BookingStatus.HELD
    assert Payment.objects.get().status == PaymentStatus.AUTHORISED

    page = client.get(MY_BOOKINGS).content.decode()
    assert 'aria-live="polite"' in page and "Vérification du paiement…" in page
    assert check_url(booking).split("?")[0] in page and 'hx-trigger="every 3s"' in page
    assert client.get(check_url(booking)).status_code == 204  # still waiting: nothing to say

    charge(paid_bookings.PURPOSE, booking, broker_down)
    answer = client.get(check_url(booking))

    body = answer.content.decode()
    assert answer.status_code == 200 and "Paiement confirmé : Salle Marianne." in body
    assert 'id="upcoming"' in body and 'hx-swap-oob="true"' in body
    assert "payée en ligne" in body and "En attente du paiement" not in body
    assert "hx-trigger" not in body  # polling stops
    assert "Vérification du paiement" not in client.get(MY_BOOKINGS).content.decode()


def test_a_card_bought_online_shows_its_days_once_credited(
    client, person, stripe_standin, broker_down
):
    purchase = buy_card_and_pay(client, stripe_standin)

    assert "Vérification du paiement…" in client.get(MY_BOOKINGS).content.decode()
    assert client.get(check_url(purchase)).status_code == 204

    charge(passes.PURPOSE, purchase, broker_down)
    body = client.get(check_url(purchase)).content.decode()

    assert "Paiement confirmé" in body and "10 journées restantes" in body
    assert 'id="passes"' in body


def test_after_the_bounded_wait_the_person_is_told_to_come_back_later(
    client, person, room, stripe_standin, broker_down
):
    booking = book_and_pay(client, room, stripe_standin, broker_down)

    body = client.get(check_url(booking, since=int(time.time()) - 600)).content.decode()

    assert (
        "Le paiement n'est pas encore confirmé : rechargez la page dans quelques minutes ou "
        "contactez l'accueil." in body
    )
    assert "hx-trigger" not in body


def test_nothing_is_polled_without_a_payment_waiting_for_its_charge(
    client, person, room, stripe_standin
):
    client.post(
        reverse("coworking:book", args=[room.pk])
        + "?debut="
        + at(3, 10).isoformat().replace("+", "%2B"),
        {"end": at(3, 12).isoformat(), "payment": "online"},
    )  # held, its payment page not paid

    page = client.get(MY_BOOKINGS).content.decode()

    assert "En attente du paiement" in page
    assert (
        "Vérification du paiement" not in page
        and "/espaces/mes-reservations/paiements/" not in page
    )


def test_only_the_person_who_paid_can_poll_it(client, person, room, stripe_standin, broker_down):
    booking = book_and_pay(client, room, stripe_standin, broker_down)
    url = check_url(booking)

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/comptes/login/" in anonymous["Location"]


@pytest.mark.parametrize("since", ["", "demain", "1e99", "9" * 40])
def test_a_bad_depuis_is_read_as_now(client, person, room, stripe_standin, broker_down, since):
    booking = book_and_pay(client, room, stripe_standin, broker_down)
    url = reverse("coworking:payment_check", args=[booking.reference])

    assert client.get(url, {"depuis": since}).status_code == 204


def test_the_settled_fragment_reads_a_bounded_number_of_queries(
    client, person, room, stripe_standin, broker_down, django_assert_max_num_queries
):
    booking = book_and_pay(client, room, stripe_standin, broker_down)
    charge(paid_bookings.PURPOSE, booking, broker_down)
    for day in (4, 5, 6, 7, 8):
        Booking.objects.create(
            resource=room,
            user=person,
            start=at(day, 10),
            end=at(day, 12),
            status=BookingStatus.CONFIRMED,
            price=10,
        )

    with django_assert_max_num_queries(12):
        answer = client.get(check_url(booking))

    assert answer.status_code == 200 and answer.content.decode().count('<li class="card">') == 6

"""Back from the payment page with the payment still open (the provider unreachable at that
moment, or the page not paid): « Mes réservations » follows it too, asking the provider again
through the hub's payments, and says what to do when the money never came; it promises no
update it cannot make."""

import time

import pytest
from django.urls import reverse

from coworking.models import Booking, BookingStatus, PassPurchase, PurchaseStatus
from hub.models import Payment, PaymentStatus
from tests.coworking.factories import PassOfferFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

MY_BOOKINGS = "/espaces/mes-reservations/"


def book_online(client, room) -> tuple[Booking, str]:
    """A booking held for its online payment, and its payment page's session id."""
    response = client.post(
        reverse("coworking:book", args=[room.pk])
        + "?debut="
        + at(3, 10).isoformat().replace("+", "%2B"),
        {"end": at(3, 12).isoformat(), "payment": "online"},
    )
    return Booking.objects.latest("pk"), response["Location"].rsplit("/", 1)[-1]


def come_back(client, payment: Payment):
    """The person's browser back on the return page; the page it is sent to, followed."""
    url = reverse("hub:payment_return", args=[payment.public_id])
    return client.get(url, follow=True)


def check_url(item, since=None):
    url = reverse("coworking:payment_check", args=[item.reference])
    return f"{url}?depuis={since if since is not None else int(time.time())}"


def test_paid_while_the_provider_was_unreachable_the_page_follows_it_to_the_confirmation(
    client, person, room, stripe_standin
):
    booking, session = book_online(client, room)
    stripe_standin.pay(session)
    stripe_standin.outage = True

    page = come_back(client, Payment.objects.get()).content.decode()

    assert Payment.objects.get().status == PaymentStatus.OPEN
    assert "se mettra à jour" not in page
    assert "Nous n&#x27;avons pas encore la réponse de votre banque." in page
    assert "Vérification du paiement…" in page and 'hx-trigger="every 3s"' in page
    assert check_url(booking).split("?")[0] in page
    assert client.get(check_url(booking)).status_code == 204  # still unreachable: asked again

    stripe_standin.outage = False
    body = client.get(check_url(booking)).content.decode()

    assert "Paiement confirmé : Salle Marianne." in body
    assert "payée en ligne" in body and "hx-trigger" not in body
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.paid_online


def test_back_without_paying_the_page_says_what_to_do_once_the_wait_is_over(
    client, person, room, stripe_standin
):
    booking, _session = book_online(client, room)

    page = come_back(client, Payment.objects.get()).content.decode()

    assert "Vérification du paiement…" in page
    assert client.get(check_url(booking)).status_code == 204  # the provider: still open
    body = client.get(check_url(booking, since=int(time.time()) - 600)).content.decode()
    assert "Nous n'avons pas reçu ce paiement." in body
    assert "bouton « Payer »" in body and "contactez l'accueil" in body
    assert "hx-trigger" not in body and "se mettra à jour" not in body
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD  # still payable until its hold ends


def test_a_card_back_unpaid_points_to_buying_it_again(client, person, stripe_standin):
    card = PassOfferFactory()
    client.post(f"/espaces/pass/{card.pk}/acheter/")
    purchase = PassPurchase.objects.latest("pk")

    page = come_back(client, Payment.objects.get()).content.decode()
    body = client.get(check_url(purchase, since=int(time.time()) - 600)).content.decode()

    assert "Vérification du paiement…" in page
    assert "acheter le pass à nouveau" in body and reverse("coworking:passes") in body
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.PENDING


def test_only_the_person_s_own_open_payment_is_followed(client, person, room, stripe_standin):
    booking, _session = book_online(client, room)
    client.force_login(UserFactory())

    for reference in (booking.reference, "pas-une-reference"):
        page = client.get(MY_BOOKINGS, {"paiement": reference}).content.decode()
        assert "Vérification du paiement" not in page and "Salle Marianne" not in page

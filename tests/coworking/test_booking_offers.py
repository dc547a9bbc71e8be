"""The booking form offers only what can be booked: ends before the next booking, no priced form
to people who may not book an Atelier 8 resource."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import Booking, BookingMode
from tests.coworking.factories import (
    AgreementFactory,
    DeskPoolFactory,
    RateFactory,
    RoomFactory,
    at,
)
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def book_url(resource, start, **extra):
    query = "".join(f"&{key}={value}" for key, value in extra.items())
    start = start.isoformat().replace("+", "%2B")
    return reverse("coworking:book", args=[resource.pk]) + f"?debut={start}{query}"


def offered_ends(client, resource, start, **extra) -> list[str]:
    form = client.get(book_url(resource, start, **extra)).context["form"]
    return [value for value, _label in form.fields["end"].choices]


def test_ends_stop_before_the_next_booking_of_a_room(client):
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 12), at(2, 13))
    client.force_login(UserFactory())

    ends = offered_ends(client, room, at(2, 10))

    assert ends == [at(2, 11).isoformat(), at(2, 12).isoformat()]


def test_every_offered_end_is_accepted(client):
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 12), at(2, 13))
    user = UserFactory()
    client.force_login(user)

    for end in offered_ends(client, room, at(2, 10)):
        response = client.post(book_url(room, at(2, 10)), {"end": end})
        assert response.status_code == 302
        Booking.objects.filter(user=user).delete()


def test_ends_of_a_desk_pool_stop_when_it_is_full_or_when_i_already_have_a_place(client):
    pool = DeskPoolFactory(capacity=2)
    services.book(UserFactory(), pool, at(2, 14), at(2, 16))
    services.book(UserFactory(), pool, at(2, 15), at(2, 16))
    me = UserFactory()
    services.book(me, pool, at(2, 12), at(2, 13))
    client.force_login(me)

    assert offered_ends(client, pool, at(2, 10)) == [at(2, 11).isoformat(), at(2, 12).isoformat()]
    assert offered_ends(client, pool, at(2, 13)) == [
        at(2, 14).isoformat(),
        at(2, 15).isoformat(),
    ]


def test_moving_a_booking_offers_its_own_hours_again(client):
    room = RoomFactory()
    user = UserFactory()
    booking = services.book(user, room, at(3, 11), at(3, 12))
    client.force_login(user)

    ends = offered_ends(client, room, at(3, 10), deplacer=booking.pk)

    assert at(3, 12).isoformat() in ends


def test_a_taken_start_offers_no_form(client):
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 10), at(2, 11))
    client.force_login(UserFactory())

    response = client.get(book_url(room, at(2, 10)))

    assert response.status_code == 200
    assert "form" not in response.context
    assert "déjà réservé" in response.content.decode()


def test_an_atelier_8_resource_shows_no_priced_form_without_an_agreement(client):
    workshop = RoomFactory(booking_mode=BookingMode.AGREEMENT)
    RateFactory(resource=workshop)
    client.force_login(UserFactory())

    response = client.get(book_url(workshop, at(2, 10)))
    refused = client.post(book_url(workshop, at(2, 10)), {"end": at(2, 11).isoformat()})

    html = response.content.decode()
    assert response.status_code == 200
    assert "convention Atelier 8" in html
    assert "€" not in html
    assert 'name="end"' not in html
    assert not Booking.objects.exists()
    assert 'name="end"' not in refused.content.decode()


def test_an_agreement_holder_books_the_atelier_8_resource_free(client):
    workshop = RoomFactory(booking_mode=BookingMode.AGREEMENT)
    holder = UserFactory()
    today = timezone.localdate()
    AgreementFactory(
        holder=holder, resource=workshop, start_date=today, end_date=today + timedelta(days=90)
    )
    client.force_login(holder)

    response = client.post(book_url(workshop, at(2, 10)), {"end": at(2, 11).isoformat()})

    assert response.status_code == 302
    assert Booking.objects.get(user=holder).price == 0

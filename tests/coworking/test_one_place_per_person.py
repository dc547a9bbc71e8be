"""One person, one desk per slot: a double tap books one of the twelve desks, not two."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from coworking import services
from coworking.models import Booking
from hub.exceptions import Conflict
from tests.concurrency import run_together
from tests.coworking.factories import BookingFactory, DeskPoolFactory, PassFactory, at
from tests.hub.factories import UserFactory


@pytest.mark.django_db
def test_a_second_desk_in_the_same_slot_is_refused():
    pool = DeskPoolFactory(capacity=12)
    user = UserFactory()
    services.book(user, pool, at(2, 9), at(2, 13))

    with pytest.raises(Conflict) as error:
        services.book(user, pool, at(2, 11), at(2, 15))

    assert "09:00 à 13:00" in error.value.message
    assert Booking.objects.active().filter(user=user).count() == 1


@pytest.mark.django_db
def test_the_same_person_books_the_next_slot_and_another_person_the_same_one():
    pool = DeskPoolFactory(capacity=12)
    user = UserFactory()
    services.book(user, pool, at(2, 9), at(2, 13))

    services.book(user, pool, at(2, 13), at(2, 17))
    services.book(UserFactory(), pool, at(2, 9), at(2, 13))

    assert Booking.objects.active().filter(resource=pool).count() == 3


@pytest.mark.django_db
def test_moving_a_booking_over_its_own_hours_is_not_a_second_place():
    pool = DeskPoolFactory(capacity=12)
    user = UserFactory()
    booking = services.book(user, pool, at(3, 9), at(3, 13))

    moved = services.move_booking(booking, at(3, 10), at(3, 14))

    assert (moved.start, moved.end) == (at(3, 10), at(3, 14))


@pytest.mark.django_db
def test_a_double_submitted_booking_form_books_one_desk(client):
    pool = DeskPoolFactory(capacity=12)
    user = UserFactory()
    PassFactory(user=user, credits=10)
    client.force_login(user)
    url = reverse("coworking:book", args=[pool.pk])
    start = at(2, 9).isoformat()
    form = {"debut": start, "end": at(2, 12).isoformat()}

    first = client.post(url, form)
    second = client.post(url, form)

    assert first.status_code == 302
    assert "déjà réservé pour vous" in second.content.decode()
    assert Booking.objects.active().filter(user=user).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_taps_at_once_book_one_desk_of_a_free_pass():
    pool = DeskPoolFactory(capacity=12)
    user = UserFactory()
    PassFactory(user=user, credits=10)

    outcomes = run_together(
        [lambda: services.book(user, pool, at(2, 9), at(2, 13)) for _tap in range(2)]
    )

    assert sorted(outcomes) == ["conflict", "ok"]
    assert Booking.objects.active().filter(resource=pool, user=user).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_a_second_place_whatever_wrote_it():
    pool = DeskPoolFactory(capacity=12)
    user = UserFactory()
    BookingFactory(resource=pool, user=user, start=at(2, 9), end=at(2, 13))

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(resource=pool, user=user, start=at(2, 12), end=at(2, 14))

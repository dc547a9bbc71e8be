"""Weekly bookings: a clash is reported and the rest booked, or nothing is booked."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coworking import services
from coworking.models import Booking, Closure
from hub.exceptions import Conflict
from tests.coworking.factories import RoomFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_books_the_same_hours_every_week_until_the_date():
    room = RoomFactory()
    until = timezone.localdate() + timedelta(days=2 + 21)

    result = services.book_weekly(UserFactory(), room, at(2, 10), at(2, 11), until, False)

    assert [b.start for b in result.made] == [at(2 + 7 * week, 10) for week in range(4)]
    assert len({b.series for b in result.made}) == 1
    assert result.skipped == []


def test_a_clash_is_reported_and_the_other_dates_are_booked():
    room = RoomFactory()
    services.book(UserFactory(), room, at(9, 10), at(9, 11))
    until = timezone.localdate() + timedelta(days=16)

    result = services.book_weekly(UserFactory(), room, at(2, 10), at(2, 11), until, False)

    assert len(result.made) == 2
    assert [day for day, _reason in result.skipped] == [timezone.localdate() + timedelta(days=9)]
    assert "déjà réservé" in result.skipped[0][1]


def test_a_closed_day_in_the_series_is_reported_too():
    room = RoomFactory()
    closed = timezone.localdate() + timedelta(days=9)
    Closure.objects.create(start_date=closed, end_date=closed, reason="Lundi de Pentecôte")

    result = services.book_weekly(
        UserFactory(), room, at(2, 10), at(2, 11), closed + timedelta(days=7), False
    )

    assert len(result.made) == 2
    assert "Lundi de Pentecôte" in result.skipped[0][1]


def test_all_or_nothing_books_nothing_when_one_date_clashes():
    room = RoomFactory()
    services.book(UserFactory(), room, at(9, 10), at(9, 11))
    user = UserFactory()

    with pytest.raises(Conflict, match="Rien n'a été réservé"):
        services.book_weekly(
            user, room, at(2, 10), at(2, 11), timezone.localdate() + timedelta(days=16), True
        )

    assert not Booking.objects.filter(user=user).exists()


def test_all_or_nothing_books_everything_when_all_dates_are_free():
    result = services.book_weekly(
        UserFactory(),
        RoomFactory(),
        at(2, 10),
        at(2, 11),
        timezone.localdate() + timedelta(days=9),
        True,
    )

    assert len(result.made) == 2


def test_it_refuses_an_end_before_the_first_date_or_a_too_long_series():
    room = RoomFactory()
    with pytest.raises(ValidationError) as before:
        services.book_weekly(UserFactory(), room, at(2, 10), at(2, 11), timezone.localdate(), False)
    with pytest.raises(ValidationError) as too_long:
        services.book_weekly(
            UserFactory(),
            room,
            at(2, 10),
            at(2, 11),
            timezone.localdate() + timedelta(days=400),
            False,
        )

    assert "until" in before.value.message_dict
    assert "Au plus" in too_long.value.message_dict["until"][0]
    assert not Booking.objects.exists()

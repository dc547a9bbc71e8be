"""Booking rules: capacity, back-to-back, opening hours, closures, grid, cancellation delay."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coworking import services
from coworking.models import Booking, BookingStatus, Closure
from hub.exceptions import Conflict
from tests.coworking.factories import (
    BookingFactory,
    DeskPoolFactory,
    RateFactory,
    RoomFactory,
    SpaceFactory,
    at,
)
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_books_a_free_room_hour():
    room = RoomFactory()

    booking = services.book(UserFactory(), room, at(2, 10), at(2, 11))

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.exclusive


def test_it_refuses_a_room_hour_already_taken():
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 10), at(2, 11))

    with pytest.raises(Conflict, match="déjà réservé"):
        services.book(UserFactory(), room, at(2, 10), at(2, 12))

    assert Booking.objects.count() == 1


def test_it_refuses_a_partial_overlap():
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 10), at(2, 12))

    with pytest.raises(Conflict):
        services.book(UserFactory(), room, at(2, 11), at(2, 13))


def test_back_to_back_bookings_are_allowed():
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 10), at(2, 11))

    services.book(UserFactory(), room, at(2, 11), at(2, 12))
    services.book(UserFactory(), room, at(2, 9), at(2, 10))

    assert Booking.objects.active().count() == 3


def test_a_pool_of_n_desks_takes_n_bookings_and_no_more():
    pool = DeskPoolFactory(capacity=3)
    for _ in range(3):
        services.book(UserFactory(), pool, at(2, 9), at(2, 13))

    with pytest.raises(Conflict, match="Plus aucune place"):
        services.book(UserFactory(), pool, at(2, 12), at(2, 14))


def test_a_pool_counts_the_peak_not_every_overlap():
    pool = DeskPoolFactory(capacity=2)
    services.book(UserFactory(), pool, at(2, 9), at(2, 11))
    services.book(UserFactory(), pool, at(2, 11), at(2, 13))

    # Each hour of 9–13 holds only one booking: a second desk is free all morning.
    services.book(UserFactory(), pool, at(2, 9), at(2, 13))

    with pytest.raises(Conflict):
        services.book(UserFactory(), pool, at(2, 10), at(2, 11))


def test_a_cancelled_booking_frees_its_place():
    room = RoomFactory()
    first = services.book(UserFactory(), room, at(3, 10), at(3, 11))
    services.cancel_booking(first)

    services.book(UserFactory(), room, at(3, 10), at(3, 11))


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ((2, 11), (2, 10), "end", "fin doit suivre"),
        ((2, 6), (2, 7), "start", "heures d'ouverture"),
        ((2, 19), (2, 21), "start", "heures d'ouverture"),
        ((-1, 10), (-1, 11), "start", "déjà passé"),
        ((200, 10), (200, 11), "start", "jours à l'avance"),
    ],
)
def test_it_refuses_bad_times_and_saves_nothing(start, end, field, message):
    room = RoomFactory()

    with pytest.raises(ValidationError) as error:
        services.book(UserFactory(), room, at(*start), at(*end))

    assert message in " ".join(error.value.message_dict[field])
    assert not Booking.objects.exists()


def test_it_refuses_times_off_the_grid():
    room = RoomFactory(slot_minutes=60)

    with pytest.raises(ValidationError, match="tranches de 60 minutes"):
        services.book(UserFactory(), room, at(2, 10, 30), at(2, 11, 30))


def test_it_refuses_a_day_without_opening_hours():
    tomorrow = timezone.localdate() + timedelta(days=2)
    space = SpaceFactory(
        hours=[(d, time(9), time(18)) for d in range(7) if d != tomorrow.weekday()]
    )
    room = RoomFactory(space=space)

    with pytest.raises(ValidationError, match="fermé ce jour-là"):
        services.book(UserFactory(), room, at(2, 10), at(2, 11))


@pytest.mark.parametrize("own_space", [True, False])
def test_it_refuses_a_closure_of_the_space_or_of_the_whole_hub(own_space):
    room = RoomFactory()
    day = timezone.localdate() + timedelta(days=2)
    Closure.objects.create(
        space=room.space if own_space else None, start_date=day, end_date=day, reason="Ascension"
    )

    with pytest.raises(ValidationError, match="Ascension"):
        services.book(UserFactory(), room, at(2, 10), at(2, 11))


def test_a_closure_of_another_space_does_not_matter():
    room = RoomFactory()
    day = timezone.localdate() + timedelta(days=2)
    Closure.objects.create(space=SpaceFactory(), start_date=day, end_date=day, reason="Travaux")

    services.book(UserFactory(), room, at(2, 10), at(2, 11))


def test_cancelling_before_the_delay_is_free():
    rate = RateFactory()
    booking = services.book(UserFactory(), rate.resource, at(3, 10), at(3, 12))
    assert booking.amount_due == Decimal("10.00")

    cancelled = services.cancel_booking(booking, now=booking.start - timedelta(hours=25))

    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.amount_due == Decimal("0.00")


def test_cancelling_after_the_delay_is_kept_and_charged_by_the_space_rule():
    rate = RateFactory(resource__space__late_cancellation_percent=50)
    booking = services.book(UserFactory(), rate.resource, at(3, 10), at(3, 12))

    cancelled = services.cancel_booking(booking, now=booking.start - timedelta(hours=2))

    assert cancelled.status == BookingStatus.LATE_CANCELLED
    assert cancelled.amount_due == Decimal("5.00")
    # A late cancellation still frees the room for someone else.
    services.book(UserFactory(), rate.resource, at(3, 10), at(3, 11))


def test_a_booking_cannot_be_cancelled_twice_or_once_started():
    booking = services.book(UserFactory(), RoomFactory(), at(3, 10), at(3, 11))
    services.cancel_booking(booking)

    with pytest.raises(Conflict, match="déjà annulée"):
        services.cancel_booking(booking)
    started = BookingFactory(start=timezone.now() - timedelta(minutes=5))
    with pytest.raises(Conflict, match="déjà commencé"):
        services.cancel_booking(started)


def test_moving_a_booking_frees_the_old_hours():
    room = RoomFactory()
    user = UserFactory()
    booking = services.book(user, room, at(3, 10), at(3, 11))

    moved = services.move_booking(booking, at(3, 14), at(3, 15))

    assert moved.start == at(3, 14)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    services.book(UserFactory(), room, at(3, 10), at(3, 11))


def test_moving_onto_a_taken_hour_keeps_the_booking_as_it_was():
    room = RoomFactory()
    booking = services.book(UserFactory(), room, at(3, 10), at(3, 11))
    services.book(UserFactory(), room, at(3, 14), at(3, 15))

    with pytest.raises(Conflict):
        services.move_booking(booking, at(3, 14), at(3, 15))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_moving_is_refused_after_the_free_cancellation_delay():
    booking = services.book(UserFactory(), RoomFactory(), at(3, 10), at(3, 11))

    with pytest.raises(Conflict, match="trop tard"):
        services.move_booking(booking, at(3, 14), at(3, 15), now=booking.start - timedelta(hours=1))

"""The functions the hub's events call to book rooms (registered as a RoomBooker)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coworking import services
from coworking.models import Booking, BookingSource, BookingStatus
from hub.exceptions import Conflict
from hub.registry import registry
from tests.coworking.factories import RoomFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_coworking_app_registers_its_room_booker():
    assert any(b.book is services.book_event_room for b in registry.room_bookers)


def test_rooms_lists_only_the_rooms_open_to_events():
    room = RoomFactory(event_room=True, name="Salle Dentelle")
    RoomFactory(event_room=False)

    assert services.event_rooms() == [(str(room.pk), f"Salle Dentelle — {room.space.name}")]


def test_an_event_books_a_room_even_in_the_evening_and_gets_a_reference():
    room = RoomFactory(event_room=True)
    organiser = UserFactory()

    reference = services.book_event_room(str(room.pk), at(2, 19), at(2, 22), "Apéro web", organiser)

    booking = Booking.objects.get(reference=reference)
    assert booking.source == BookingSource.EVENT
    assert booking.title == "Apéro web"
    assert booking.price == 0


def test_an_event_cannot_take_a_booked_room_and_is_told_in_french():
    room = RoomFactory(event_room=True)
    services.book(UserFactory(), room, at(2, 10), at(2, 11))

    with pytest.raises(Conflict, match="déjà réservée"):
        services.book_event_room(str(room.pk), at(2, 10), at(2, 12), "Café de l'ESS", UserFactory())


def test_a_person_cannot_book_a_room_held_by_an_event():
    room = RoomFactory(event_room=True)
    services.book_event_room(str(room.pk), at(2, 10), at(2, 12), "Café de l'ESS", UserFactory())

    with pytest.raises(Conflict):
        services.book(UserFactory(), room, at(2, 11), at(2, 12))


def test_cancel_frees_the_room_and_is_idempotent():
    room = RoomFactory(event_room=True)
    reference = services.book_event_room(
        str(room.pk), at(2, 10), at(2, 12), "Atelier", UserFactory()
    )

    services.cancel_event_room(reference)
    services.cancel_event_room(reference)
    services.cancel_event_room("pas-une-reference")

    assert Booking.objects.get(reference=reference).status == BookingStatus.CANCELLED
    services.book(UserFactory(), room, at(2, 10), at(2, 11))


@pytest.mark.parametrize("key", ["999999", "abc"])
def test_an_unknown_room_is_a_conflict(key):
    with pytest.raises(Conflict):
        services.book_event_room(key, at(2, 10), at(2, 11), "Atelier", UserFactory())


def test_bad_times_are_a_conflict_with_a_french_message():
    room = RoomFactory(event_room=True)
    past = timezone.now() - timedelta(days=1)

    with pytest.raises(Conflict, match="fin doit suivre"):
        services.book_event_room(str(room.pk), at(2, 11), at(2, 10), "Atelier", UserFactory())
    with pytest.raises(Conflict, match="passé"):
        services.book_event_room(str(room.pk), past, past + timedelta(hours=1), "A", UserFactory())

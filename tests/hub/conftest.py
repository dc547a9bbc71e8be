import pytest

from hub.registry import RoomBooker, registry
from tests.hub.rooms import FakeRooms


@pytest.fixture
def rooms():
    """Rooms offered through the registry, as the coworking app will (absent in these tests)."""
    fake = FakeRooms()
    booker = RoomBooker(rooms=fake.rooms, book=fake.book, cancel=fake.cancel)
    registry.room_bookers.append(booker)
    yield fake
    registry.room_bookers.remove(booker)

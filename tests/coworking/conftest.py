"""A signed-in person and a room priced 5 € an hour, for the pages that follow an online
payment (« Mes réservations »)."""

import pytest

from tests.coworking.factories import RateFactory, RoomFactory
from tests.hub.factories import UserFactory


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def room(db):
    room = RoomFactory(name="Salle Marianne")
    RateFactory(resource=room)  # 5 € an hour
    return room

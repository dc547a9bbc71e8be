"""A booking stuck behind another transaction's lock is a 409 asking to retry."""

import pytest
from rest_framework.test import APIClient

from coworking.models import Booking, Resource
from tests.concurrency import rows_locked_elsewhere
from tests.coworking.factories import RateFactory, RoomFactory, at
from tests.hub.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_booking_waiting_on_a_locked_room_is_a_409_saying_retry(settings):
    settings.DATABASE_LOCK_TIMEOUT_MS = 50
    room = RoomFactory()
    RateFactory(resource=room)
    api = APIClient()
    api.force_authenticate(UserFactory())

    with rows_locked_elsewhere(Resource.objects.filter(pk=room.pk)):
        response = api.post(
            "/api/v1/bookings/",
            {"resource": room.pk, "start": at(2, 10).isoformat(), "end": at(2, 11).isoformat()},
            format="json",
        )

    assert response.status_code == 409
    assert "réessayez" in response.data["detail"]
    assert not Booking.objects.exists()

"""Coworking's state machine: bookings."""

import pytest

from coworking import services
from coworking.models import BookingStatus
from coworking.workflows import BOOKING
from hub.services import status_changes
from tests.coworking.factories import BookingFactory
from tests.hub.factories import UserFactory
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db


def test_a_booking_makes_every_allowed_move_and_no_other():
    assert walk_every_move(BOOKING, BookingFactory(), UserFactory()) == (4, 12)


def test_cancelling_records_who_cancelled():
    booking = BookingFactory()
    staff = UserFactory(is_staff=True)
    services.cancel_booking(booking, by=staff)
    booking.refresh_from_db()
    assert booking.status in (BookingStatus.CANCELLED, BookingStatus.LATE_CANCELLED)
    [change] = status_changes(booking)
    assert (change.from_status, change.to_status, change.by) == (
        "confirmed",
        booking.status,
        staff,
    )
    assert change.source == "coworking.cancel_booking"

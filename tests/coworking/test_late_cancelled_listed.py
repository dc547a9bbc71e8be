"""A late-cancelled booking is still owed: « Mes réservations » keeps it, marked as such."""

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import BookingStatus
from tests.coworking.factories import RateFactory, RoomFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_late_cancelled_booking_stays_in_my_upcoming_bookings_with_what_is_owed(client):
    room = RoomFactory(name="Salle Opale", space__late_cancellation_percent=50)
    RateFactory(resource=room, hourly=None, half_day=None)  # 25 € the day
    user = UserFactory()
    booking = services.book(user, room, at(1, 10), at(1, 12))
    cancelled = services.cancel_booking(booking, now=at(1, 9))
    assert cancelled.status == BookingStatus.LATE_CANCELLED
    client.force_login(user)

    response = client.get(reverse("coworking:my_bookings"))

    assert cancelled in response.context["upcoming"]
    html = response.content.decode()
    assert "Annulée tardivement" in html
    assert "reste due : 12,50\u00a0€" in html
    assert reverse("coworking:cancel", args=[booking.pk]) not in html


def test_a_booking_cancelled_in_time_leaves_the_list(client):
    room = RoomFactory()
    user = UserFactory()
    booking = services.book(user, room, at(3, 10), at(3, 11))
    services.cancel_booking(booking, now=timezone.now())
    client.force_login(user)

    response = client.get(reverse("coworking:my_bookings"))

    assert list(response.context["upcoming"]) == []

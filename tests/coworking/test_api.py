"""The spaces API: resources, availability, own bookings, cancellation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coworking import services
from coworking.models import Booking, BookingStatus
from tests.coworking.factories import BookingFactory, DeskPoolFactory, RateFactory, RoomFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def person(api):
    user = UserFactory()
    api.force_authenticate(user)
    return user


def day(offset):
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


@pytest.mark.parametrize("count", [2, 20])
def test_anybody_lists_the_bookable_resources_in_constant_queries(
    api, django_assert_max_num_queries, count
):
    for _ in range(count):
        RateFactory(resource=DeskPoolFactory())

    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/resources/")

    assert response.status_code == 200
    assert response.data["count"] == count
    assert response.data["results"][0]["rates"][0]["hourly"] == "5.00"


def test_availability_gives_the_free_places_of_each_slot(api):
    pool = DeskPoolFactory(capacity=3)
    services.book(UserFactory(), pool, at(2, 9), at(2, 10))

    response = api.get(f"/api/v1/resources/{pool.pk}/availability/?from={day(2)}&to={day(2)}")

    assert response.status_code == 200
    nine = next(s for s in response.data if s["start"].startswith(day(2) + "T09:00"))
    ten = next(s for s in response.data if s["start"].startswith(day(2) + "T10:00"))
    assert (nine["free"], ten["free"]) == (2, 3)
    assert len(response.data) == 12


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=hier", "from"),
        ("to=2026-13-45", "to"),
        (f"from={day(5)}&to={day(2)}", "to"),
        (f"from={day(0)}&to={day(40)}", "to"),
    ],
)
def test_availability_refuses_bad_dates_with_field_errors(api, query, field):
    room = RoomFactory()

    response = api.get(f"/api/v1/resources/{room.pk}/availability/?{query}")

    assert response.status_code == 400
    assert field in response.data


def test_availability_of_an_unknown_resource_is_404(api):
    assert api.get("/api/v1/resources/999999/availability/").status_code == 404


def test_booking_needs_authentication(api):
    room = RoomFactory()

    response = api.post(
        "/api/v1/bookings/", {"resource": room.pk, "start": at(2, 10), "end": at(2, 11)}
    )

    assert response.status_code in (401, 403)
    assert not Booking.objects.exists()


def test_a_person_books_through_the_api(api, person):
    room = RoomFactory()
    RateFactory(resource=room)

    response = api.post(
        "/api/v1/bookings/",
        {"resource": room.pk, "start": at(2, 10).isoformat(), "end": at(2, 12).isoformat()},
        format="json",
    )

    assert response.status_code == 201
    assert response.data["amount_due"] == "10.00"
    assert response.data["paid_by"] == "standard"
    assert Booking.objects.get().user == person


def test_a_taken_slot_is_a_409_with_a_french_message(api, person):
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 10), at(2, 11))

    response = api.post(
        "/api/v1/bookings/",
        {"resource": room.pk, "start": at(2, 10).isoformat(), "end": at(2, 11).isoformat()},
        format="json",
    )

    assert response.status_code == 409
    assert "déjà réservé" in response.data["detail"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ((2, 11), (2, 10), "end"),
        ((2, 6), (2, 7), "start"),
        ((-1, 10), (-1, 11), "start"),
        ((2, 10, 30), (2, 11, 30), "start"),
    ],
)
def test_bad_times_are_a_400_with_field_errors_and_nothing_saved(api, person, start, end, field):
    room = RoomFactory()

    response = api.post(
        "/api/v1/bookings/",
        {"resource": room.pk, "start": at(*start).isoformat(), "end": at(*end).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert field in response.data
    assert not Booking.objects.exists()


def test_malformed_input_is_a_400(api, person):
    response = api.post("/api/v1/bookings/", {"resource": 999999, "start": "demain"}, format="json")

    assert response.status_code == 400
    assert {"resource", "start", "end"} <= set(response.data)


def test_a_retried_booking_with_the_same_key_is_made_once(api, person):
    room = RoomFactory()
    payload = {"resource": room.pk, "start": at(2, 10).isoformat(), "end": at(2, 11).isoformat()}

    first = api.post("/api/v1/bookings/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    second = api.post("/api/v1/bookings/", payload, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")

    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.data["id"] == second.data["id"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("count", [1, 25])
def test_my_bookings_list_only_mine_in_constant_queries(
    api, person, django_assert_max_num_queries, count
):
    room = RoomFactory()
    for index in range(count):
        BookingFactory(user=person, resource=room, start=at(2 + index, 10))
    BookingFactory(start=at(2, 14))

    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/bookings/")

    assert response.data["count"] == count


def test_cancelling_my_booking_through_the_api(api, person):
    booking = services.book(person, RoomFactory(), at(3, 10), at(3, 11))

    response = api.post(f"/api/v1/bookings/{booking.pk}/cancel/")

    assert response.status_code == 200
    assert response.data["status"] == BookingStatus.CANCELLED
    assert api.post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 409


def test_nobody_cancels_someone_elses_booking_through_the_api(api, person):
    booking = BookingFactory(start=at(3, 10))

    assert api.post(f"/api/v1/bookings/{booking.pk}/cancel/").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

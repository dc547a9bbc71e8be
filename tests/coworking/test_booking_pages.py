"""The booking pages: week view, booking form, my bookings, cancel and move."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coworking import services
from coworking.models import Booking, BookingStatus
from tests.coworking.factories import BookingFactory, DeskPoolFactory, RateFactory, RoomFactory, at
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def book_url(resource, start, **extra):
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return (
        reverse("coworking:book", args=[resource.pk])
        + f"?debut={start.isoformat().replace('+', '%2B')}"
        + (f"&{query}" if query else "")
    )


def week_url(resource, days=2):
    day = timezone.localdate() + timedelta(days=days)
    return reverse("coworking:resource_week", args=[resource.pk]) + f"?du={day.isoformat()}"


def test_the_spaces_page_lists_bookable_resources_to_anybody(client):
    pool = DeskPoolFactory(name="Plateau du Lieu Commun")

    page = client.get(reverse("coworking:home"))

    assert page.status_code == 200
    assert "Plateau du Lieu Commun" in page.content.decode()
    assert pool.space.name in page.content.decode()


def test_the_week_view_shows_one_place_fewer_after_a_booking(client):
    pool = DeskPoolFactory(capacity=12)
    before = client.get(week_url(pool)).content.decode()
    services.book(UserFactory(), pool, at(2, 9), at(2, 13))

    after = client.get(week_url(pool)).content.decode()

    assert before.count("12 places libres") - after.count("12 places libres") == 4
    assert after.count("11 places libres") == 4


def test_a_full_room_hour_shows_as_full_without_a_link(client):
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 10), at(2, 11))

    page = client.get(week_url(room)).content.decode()

    assert "complet" in page
    assert at(2, 10).isoformat().replace("+", "%2B") not in page


@pytest.mark.parametrize("bookings", [2, 40])
def test_the_week_view_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, bookings
):
    pool = DeskPoolFactory(capacity=50)
    RateFactory(resource=pool)
    for index in range(bookings):
        BookingFactory(resource=pool, start=at(2 + index % 5, 9), end=at(2 + index % 5, 12))
    client.force_login(UserFactory())

    # 8 for the week view, 2 for the layout's account menu (shop membership, organiser).
    with django_assert_max_num_queries(10):
        assert client.get(week_url(pool)).status_code == 200


def test_booking_needs_an_account(client):
    room = RoomFactory()

    response = client.get(book_url(room, at(2, 10)))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_person_books_from_the_form_and_finds_it_in_their_bookings(client):
    pool = DeskPoolFactory()
    RateFactory(resource=pool)
    user = UserFactory()
    client.force_login(user)
    form = client.get(book_url(pool, at(2, 9)))
    assert "13:00 — 15,00" in form.content.decode()

    response = client.post(book_url(pool, at(2, 9)), {"end": at(2, 13).isoformat()}, follow=True)

    booking = Booking.objects.get(user=user)
    assert (booking.start, booking.end) == (at(2, 9), at(2, 13))
    assert "est réservé :" in response.content.decode()
    assert pool.name in response.content.decode()


def test_a_taken_hour_is_refused_in_the_form_and_nothing_is_saved(client):
    room = RoomFactory()
    services.book(UserFactory(), room, at(2, 10), at(2, 11))
    user = UserFactory()
    client.force_login(user)

    response = client.post(book_url(room, at(2, 10)), {"end": at(2, 11).isoformat()})

    assert response.status_code == 200
    assert "déjà réservé" in response.content.decode()
    assert not Booking.objects.filter(user=user).exists()


@pytest.mark.parametrize("start", ["n-importe-quoi", "2020-01-01T10:00:00+01:00"])
def test_an_unreadable_or_closed_start_goes_back_to_the_week(client, start):
    room = RoomFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("coworking:book", args=[room.pk]) + f"?debut={start}")

    assert response.status_code == 302


def test_an_end_not_offered_is_refused(client):
    room = RoomFactory()
    client.force_login(UserFactory())

    response = client.post(book_url(room, at(2, 10)), {"end": at(2, 23).isoformat()})

    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_a_weekly_booking_from_the_form_reports_the_clash_and_books_the_rest(client):
    room = RoomFactory()
    services.book(UserFactory(), room, at(9, 10), at(9, 11))
    user = UserFactory()
    client.force_login(user)
    until = (timezone.localdate() + timedelta(days=16)).isoformat()

    response = client.post(
        book_url(room, at(2, 10)),
        {"end": at(2, 11).isoformat(), "repeat": "on", "until": until, "on_clash": "skip"},
        follow=True,
    )

    assert Booking.objects.filter(user=user).count() == 2
    assert "2 réservation(s) faite(s)" in response.content.decode()


def test_a_weekly_booking_all_or_nothing_books_nothing_on_a_clash(client):
    room = RoomFactory()
    services.book(UserFactory(), room, at(9, 10), at(9, 11))
    user = UserFactory()
    client.force_login(user)
    until = (timezone.localdate() + timedelta(days=16)).isoformat()

    response = client.post(
        book_url(room, at(2, 10)),
        {"end": at(2, 11).isoformat(), "repeat": "on", "until": until, "on_clash": "none"},
    )

    assert "Rien n&#x27;a été réservé" in response.content.decode()
    assert not Booking.objects.filter(user=user).exists()


def test_my_bookings_shows_only_my_own(client):
    me, other = UserFactory(), UserFactory()
    mine = BookingFactory(user=me, resource__name="Salle Opale", start=at(3, 10))
    BookingFactory(user=other, resource__name="Salle Dentelle", start=at(3, 14))
    client.force_login(me)

    page = client.get(reverse("coworking:my_bookings")).content.decode()

    assert mine.resource.name in page
    assert "Salle Dentelle" not in page


@pytest.mark.parametrize("count", [1, 30])
def test_my_bookings_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, count
):
    user = UserFactory()
    room = RoomFactory()
    for index in range(count):
        BookingFactory(user=user, resource=room, start=at(3 + index, 10))
        BookingFactory(user=user, resource=room, start=at(-3 - index, 10), end=at(-3 - index, 11))
    client.force_login(user)

    # One more than before the studio lease section (the tenant's leases): still constant.
    with django_assert_max_num_queries(17):
        assert client.get(reverse("coworking:my_bookings")).status_code == 200


def test_nobody_can_cancel_someone_elses_booking(client):
    booking = BookingFactory(start=at(3, 10))
    client.force_login(UserFactory())

    assert client.post(reverse("coworking:cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancelling_my_booking_in_time_is_free(client):
    booking = services.book(UserFactory(), RoomFactory(), at(3, 10), at(3, 11))
    client.force_login(booking.user)
    assert (
        "Annulation gratuite"
        in client.get(reverse("coworking:cancel", args=[booking.pk])).content.decode()
    )

    response = client.post(reverse("coworking:cancel", args=[booking.pk]), follow=True)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "sans frais" in response.content.decode()


def test_moving_my_booking_through_the_week_view(client):
    room = RoomFactory()
    booking = services.book(UserFactory(), room, at(3, 10), at(3, 11))
    client.force_login(booking.user)

    response = client.post(
        book_url(room, at(3, 15), deplacer=booking.pk), {"end": at(3, 16).isoformat()}
    )

    assert response.status_code == 302
    active = Booking.objects.active().get(user=booking.user)
    assert active.start == at(3, 15)


def test_someone_elses_booking_id_cannot_be_moved(client):
    room = RoomFactory()
    booking = services.book(UserFactory(), room, at(3, 10), at(3, 11))
    intruder = UserFactory()
    client.force_login(intruder)

    client.post(book_url(room, at(3, 15), deplacer=booking.pk), {"end": at(3, 16).isoformat()})

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    # The intruder just booked for themself: the id of another person's booking is ignored.
    assert Booking.objects.get(user=intruder).start == at(3, 15)

"""Calendar feeds (private token per person, per resource for the team) and the statement."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coworking import services
from coworking.models import Coworker
from hub.roles import Role
from tests.coworking.factories import BookingFactory, PassFactory, RateFactory, RoomFactory, at
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def events(response):
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_the_personal_feed_lists_my_confirmed_bookings_only(client):
    user = UserFactory()
    mine = BookingFactory(user=user, resource__name="Salle Opale", start=at(3, 10))
    BookingFactory(user=user, start=at(4, 10), status="cancelled")
    BookingFactory(start=at(3, 14))
    token = services.coworker_for(user).feed_token

    response = client.get(reverse("coworking:person_feed", args=[token]))

    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    assert [str(e["summary"]) for e in found] == [f"Salle Opale ({mine.resource.space.name})"]
    assert found[0].decoded("dtstart") == mine.start


def test_an_unknown_token_gives_nothing(client):
    assert client.get(reverse("coworking:person_feed", args=["devine"])).status_code == 404


def test_a_new_address_makes_the_old_one_stop_working(client):
    user = UserFactory()
    old = services.coworker_for(user).feed_token
    client.force_login(user)

    client.post(reverse("coworking:new_feed_token"))

    assert client.get(reverse("coworking:person_feed", args=[old])).status_code == 404
    new = Coworker.objects.get(user=user).feed_token
    assert client.get(reverse("coworking:person_feed", args=[new])).status_code == 200


def test_the_resource_feed_names_who_booked_and_is_shown_to_the_team_only(client):
    room = RoomFactory()
    booking = BookingFactory(resource=room, start=at(3, 10))
    url = reverse("coworking:resource_feed", args=[room.ical_token])

    assert booking.user.last_name in str(events(client.get(url))[0]["summary"])
    client.force_login(UserFactory())
    assert client.get(reverse("coworking:staff_resource", args=[room.pk])).status_code == 403
    client.force_login(StaffFactory(roles=[Role.COWORKING]))
    staff_page = client.get(reverse("coworking:staff_resource", args=[room.pk])).content.decode()
    assert str(room.ical_token) in staff_page


def test_the_monthly_statement_lists_bookings_with_amounts_and_passes(client):
    user = UserFactory()
    rate = RateFactory()
    late = services.book(user, rate.resource, at(3, 10), at(3, 12))
    services.cancel_booking(late, now=late.start - timedelta(hours=1))
    services.cancel_booking(services.book(user, rate.resource, at(3, 14), at(3, 15)))
    BookingFactory(start=at(3, 16))  # someone else's
    PassFactory(user=user, price=Decimal("150.00"))
    client.force_login(user)
    month = timezone.localtime(late.start)
    this_month = timezone.localdate()

    current = client.get(reverse("coworking:statement", args=[this_month.year, this_month.month]))
    with time_machine.travel(late.start):  # a month's statement exists once it has come
        page = client.get(reverse("coworking:statement", args=[month.year, month.month]))

    assert page.context["statement"].bookings == [late]
    assert "annulée tardivement" in page.content.decode()
    assert "10,00" in page.content.decode()
    assert current.context["statement"].passes[0].price == Decimal("150.00")
    assert "Imprimer" in current.content.decode()


def test_a_statement_of_a_future_month_does_not_exist(client):
    client.force_login(UserFactory())
    future = timezone.localdate() + timedelta(days=62)

    assert (
        client.get(reverse("coworking:statement", args=[future.year, future.month])).status_code
        == 404
    )
    assert client.get(reverse("coworking:statement", args=[2026, 13])).status_code == 404

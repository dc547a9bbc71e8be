"""iCal: the agenda feed and « ajouter à mon agenda » for one event."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.hub.event_factories import EventFactory

pytestmark = pytest.mark.django_db


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_one_event_can_be_added_to_a_calendar(client):
    event = EventFactory(title="Visite de la ferme urbaine", place="Ferme des Animaliens")

    calendar = parse(client.get(reverse("hub:event_ical", args=[event.pk])))

    [entry] = calendar.walk("VEVENT")
    assert str(entry["summary"]) == "Visite de la ferme urbaine"
    assert str(entry["location"]) == "Ferme des Animaliens"
    assert entry.decoded("dtstart") == event.start.replace(microsecond=0)
    assert str(entry["uid"]) == f"event-{event.pk}@testserver"
    assert str(entry["url"]).endswith(event.get_absolute_url())


def test_the_feed_has_upcoming_and_recent_events_and_marks_cancellations(client):
    EventFactory(title="À venir")
    EventFactory(title="Annulé", status="cancelled")
    EventFactory(title="Il y a longtemps", start=timezone.now() - timedelta(days=90))

    calendar = parse(client.get(reverse("hub:agenda_ical")))

    entries = {str(entry["summary"]): str(entry["status"]) for entry in calendar.walk("VEVENT")}
    assert entries == {"À venir": "CONFIRMED", "Annulé": "CANCELLED"}


def test_the_feed_follows_the_agenda_filters(client):
    EventFactory(title="Vélo", kind="bike_repair")
    EventFactory(title="Café", kind="cafe_ess")

    calendar = parse(client.get(reverse("hub:agenda_ical"), {"type": "bike_repair"}))

    assert [str(entry["summary"]) for entry in calendar.walk("VEVENT")] == ["Vélo"]

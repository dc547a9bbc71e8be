"""The animation panel on /pilotage/ counts full events and waiting lists up to next week."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.agenda.figures import week_lines
from hub.roles import Role
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import StaffFactory

pytestmark = pytest.mark.django_db


def next_week(weekday: int, hour: int = 18):
    """A moment on ``weekday`` (0 = Monday) of next week, in Calais."""
    today = timezone.localdate()
    day = today + timedelta(days=7 - today.weekday() + weekday)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def full_next_week():
    """Next Tuesday's repair workshop is full, with two people waiting (three seats)."""
    event = EventFactory(title="Atelier réparation vélo", capacity=6, start=next_week(1))
    RegistrationFactory(event=event, seats=6)
    RegistrationFactory(event=event, status="waiting", seats=2)
    RegistrationFactory(event=event, status="waiting", seats=1)
    return event


def test_next_weeks_full_events_and_waiting_lists_are_counted(full_next_week):
    lines = week_lines(StaffFactory(roles=[Role.ANIMATION]))

    counts = {line.label.split(" d'ici")[0]: line.count for line in lines if line.count is not None}
    assert counts == {"Événements complets": 1, "Places demandées en liste d'attente": 3}
    assert any("Atelier réparation vélo : 6/6 places" in line.label for line in lines)


def test_the_panel_no_longer_says_there_is_nothing_to_do(client, full_next_week):
    client.force_login(StaffFactory(roles=[Role.ANIMATION]))

    html = client.get(reverse("hub:dashboard")).content.decode()

    assert "Rien à faire pour l" not in html
    assert "Événements complets d&#x27;ici au" in html or "Événements complets d'ici au" in html
    assert reverse("hub:organiser_event", args=[full_next_week.pk]) in html


def test_events_with_free_seats_and_no_waiting_list_add_no_counter():
    event = EventFactory(title="Café de l'ESS", capacity=20, start=next_week(3))
    RegistrationFactory(event=event, seats=2)

    lines = week_lines(StaffFactory(roles=[Role.ANIMATION]))

    assert [line.count for line in lines] == [None]


def test_events_beyond_next_week_are_left_for_later():
    EventFactory(title="Visite de la ferme urbaine", start=next_week(0) + timedelta(days=14))

    assert week_lines(StaffFactory(roles=[Role.ANIMATION])) == []

"""The demo agenda: a dozen upcoming events, one nearly full, one full with a waiting list."""

import pytest
from django.core.management import call_command

from hub.models import Event, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_agenda_is_seeded_once_with_full_and_nearly_full_events():
    call_command("seed_demo")
    counts = Event.objects.count(), Registration.objects.count()
    call_command("seed_demo")

    assert (Event.objects.count(), Registration.objects.count()) == counts
    upcoming = list(Event.objects.upcoming())
    assert len(upcoming) >= 12
    full = [event for event in upcoming if event.is_full]
    assert full and full[0].registrations.filter(status=RegistrationStatus.WAITING).count() >= 2
    assert any(0 < event.seats_left <= 3 for event in upcoming)
    assert len({event.structure_id for event in upcoming}) >= 6
    for event in Event.objects.all():
        held = sum(
            event.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list(
                "seats", flat=True
            )
        )
        assert held == event.confirmed_seats

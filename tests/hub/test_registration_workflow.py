"""The agenda's state machines: event registrations and events."""

import pytest

from hub.agenda.registrations import cancel_registration, register
from hub.agenda.workflows import EVENT, REGISTRATION
from hub.models import RegistrationStatus
from hub.services import status_changes
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import UserFactory
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db


def test_a_registration_makes_every_allowed_move_and_no_other():
    assert walk_every_move(REGISTRATION, RegistrationFactory(), UserFactory()) == (8, 17)


def test_registering_and_cancelling_are_recorded_with_who_did_it():
    person = UserFactory()
    registration = register(EventFactory(), user=person)
    assert registration.status == RegistrationStatus.CONFIRMED
    cancel_registration(registration, by=person)
    assert [(c.from_status, c.to_status) for c in status_changes(registration)] == [
        ("pending", "waiting"),
        ("waiting", "confirmed"),
        ("confirmed", "cancelled"),
    ]
    first, _promoted, cancelled = status_changes(registration)
    assert first.by == person
    assert cancelled.by == person
    assert cancelled.why == "Inscription annulée."


def test_an_event_makes_every_allowed_move_and_no_other():
    assert walk_every_move(EVENT, EventFactory(), UserFactory()) == (1, 3)

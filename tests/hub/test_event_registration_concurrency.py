"""Under concurrency the capacity is never exceeded and nobody jumps the waiting list."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from hub.agenda.registrations import cancel_registration, register
from hub.models import Event, Registration, RegistrationStatus
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITING


def race(actions) -> list[Exception]:
    """Run each action in its own thread and database connection, all released together."""
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait()
            action()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def queue(event) -> list[Registration]:
    return list(Registration.objects.filter(event=event).order_by("queued_at", "pk"))


def twenty_people_for_five_seats():
    event = EventFactory(capacity=5)
    people = UserFactory.create_batch(20)

    errors = race([lambda person=person: register(event, user=person) for person in people])

    assert errors == []
    registrations = queue(event)
    # Arrival order is the order in which each one got the event's lock: the row ids.
    assert [r.pk for r in registrations] == sorted(r.pk for r in registrations)
    assert [r.status for r in registrations] == [CONFIRMED] * 5 + [WAITING] * 15
    event.refresh_from_db()
    assert event.confirmed_seats == 5
    told = sorted(
        int(message.body.split("en position ")[1].split()[0])
        for message in mail.outbox
        if "liste d'attente" in message.subject.lower()
    )
    assert told == list(range(1, 16))


@pytest.mark.postgres
def test_twenty_concurrent_registrations_for_five_seats_on_postgresql():
    twenty_people_for_five_seats()


@pytest.mark.postgres
def test_a_freed_seat_goes_to_the_waiting_list_not_to_a_newcomer_racing_for_it():
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    first_waiting = RegistrationFactory(event=event, status=WAITING)
    newcomers = UserFactory.create_batch(6)

    errors = race(
        [lambda: cancel_registration(holder)]
        + [lambda person=person: register(event, user=person) for person in newcomers]
    )

    assert errors == []
    first_waiting.refresh_from_db()
    assert first_waiting.status == CONFIRMED
    assert Registration.objects.filter(status=CONFIRMED).count() == 1
    assert Registration.objects.filter(user__in=newcomers, status=WAITING).count() == 6
    assert Event.objects.get(pk=event.pk).confirmed_seats == 1


def test_on_a_sqlite_file_immediate_transactions_serialise_the_same_race(tmp_path):
    """No row locks on SQLite: ``transaction_mode=IMMEDIATE`` takes the write lock at BEGIN."""
    environment = {**os.environ, "ANIMA_VAR_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    script = Path(__file__).with_name("sqlite_race.py")

    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=True,
    )

    statuses, order, seats, errors = result.stdout.strip().splitlines()[-4:]
    assert statuses.split() == [CONFIRMED] * 5 + [WAITING] * 15
    assert order == "ids-in-order"
    assert seats == "5"
    assert errors == "[]"

"""The day-before reminder is sent once to confirmed participants; stale requests go away."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from hub.agenda.reminders import purge_unconfirmed, send_reminders
from hub.models import Registration, RegistrationStatus
from hub.tasks import send_event_reminders
from tests.hub.event_factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def tomorrow_at(hour: int):
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_tomorrows_confirmed_participants_are_reminded_once_with_their_link():
    event = EventFactory(title="Atelier réparation vélo", start=tomorrow_at(18))
    confirmed = RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.WAITING)
    RegistrationFactory(event=EventFactory(start=tomorrow_at(10) + timedelta(days=1)))
    RegistrationFactory(event=EventFactory(start=tomorrow_at(9), status="cancelled"))

    send_event_reminders.delay()
    send_event_reminders.delay()

    assert [message.to for message in mail.outbox] == [[confirmed.email]]
    assert mail.outbox[0].subject == "Demain à 18:00 : Atelier réparation vélo"
    assert confirmed.get_absolute_url() in mail.outbox[0].body


def test_a_moved_event_gets_a_new_reminder_for_its_new_day():
    event = EventFactory(start=tomorrow_at(18))
    RegistrationFactory(event=event)
    assert send_reminders() == 1

    event.start, event.end = tomorrow_at(18) + timedelta(days=1), tomorrow_at(20) + timedelta(1)
    event.save()

    assert send_reminders(today=timezone.localdate() + timedelta(days=1)) == 1


def test_unconfirmed_visitor_requests_are_deleted_after_a_week():
    old = RegistrationFactory(status=RegistrationStatus.PENDING, queued_at=None)
    Registration.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = RegistrationFactory(status=RegistrationStatus.PENDING, queued_at=None)

    assert purge_unconfirmed() == 1
    assert list(Registration.objects.all()) == [recent]

"""Registrations: seats, e-mail confirmation for visitors, waiting list and promotion."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.agenda.registrations import (
    cancel_registration,
    confirm_visitor,
    register,
    registration_for,
)
from hub.exceptions import Conflict
from hub.models import Registration, RegistrationStatus
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITING


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the e-mail tasks queued after commit; returns the outbox."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = action(*args, **kwargs)
        return result

    return run


def ascii_name(name: str) -> str:
    return name.lower().replace("é", "e")


def visitor(event, name, seats=1, email=None):
    """A visitor registered and confirmed by the link of the e-mail."""
    registration = register(
        event, seats=seats, name=name, email=email or f"{ascii_name(name)}@exemple.fr"
    )
    return confirm_visitor(registration)


def test_a_signed_in_person_gets_a_seat_at_once_and_an_e_mail_with_a_cancel_link(sent):
    event = EventFactory(capacity=10, title="Atelier numérique")
    person = UserFactory(first_name="Léa", last_name="Martin")

    registration = sent(register, event, user=person, seats=2)

    event.refresh_from_db()
    assert registration.status == CONFIRMED
    assert event.confirmed_seats == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Inscription confirmée : Atelier numérique"
    assert registration.get_absolute_url() in mail.outbox[0].body
    assert "2 places" in mail.outbox[0].body


def test_a_visitor_holds_no_seat_until_the_e_mail_link_is_confirmed(sent):
    event = EventFactory(capacity=1)

    registration = sent(register, event, name="Karim", email="Karim@Exemple.fr")

    assert registration.status == RegistrationStatus.PENDING
    assert registration.email == "karim@exemple.fr"
    assert mail.outbox[0].subject.startswith("Confirmez votre inscription")
    event.refresh_from_db()
    assert event.confirmed_seats == 0

    registration = sent(confirm_visitor, registration)

    assert registration.status == CONFIRMED
    assert mail.outbox[-1].subject.startswith("Inscription confirmée")


def test_confirming_twice_changes_nothing():
    event = EventFactory(capacity=3)
    registration = visitor(event, "Ana")

    again = confirm_visitor(registration)

    event.refresh_from_db()
    assert again.status == CONFIRMED
    assert event.confirmed_seats == 1


def test_when_full_people_wait_in_arrival_order_and_are_told_their_position(sent):
    event = EventFactory(capacity=1)
    visitor(event, "Ana")

    second = sent(visitor, event, "Bruno")
    third = sent(visitor, event, "Chloé")

    assert (second.status, third.status) == (WAITING, WAITING)
    assert "position 2 sur la liste d'attente" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["chloe@exemple.fr"]


def test_a_cancellation_promotes_the_first_waiting_and_e_mails_them(sent):
    event = EventFactory(capacity=1, title="Apéro web")
    first = visitor(event, "Ana")
    second = visitor(event, "Bruno")
    visitor(event, "Chloé")
    mail.outbox.clear()

    promoted = sent(cancel_registration, first)

    assert promoted == [second]
    second.refresh_from_db()
    assert second.status == CONFIRMED
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects["bruno@exemple.fr"].startswith("Une place s'est libérée")
    assert subjects["ana@exemple.fr"] == "Inscription annulée : Apéro web"
    assert "chloe@exemple.fr" not in subjects


def test_promotion_gives_seats_to_each_waiting_group_that_fits_in_queue_order():
    event = EventFactory(capacity=5)
    big = visitor(event, "Ana", seats=3)
    pair = visitor(event, "Bruno", seats=2)
    trio = visitor(event, "Chloé", seats=3)
    single = visitor(event, "David", seats=1)
    duo = visitor(event, "Emma", seats=2)
    assert [r.status for r in (trio, single, duo)] == [WAITING] * 3

    # Two seats free: the trio does not fit, the single behind it does, then one seat is left
    # and the duo does not fit.
    assert cancel_registration(pair) == [single]
    # Four seats free: the trio comes first and fits; the duo does not fit in what is left.
    assert cancel_registration(big) == [trio]

    event.refresh_from_db()
    assert event.confirmed_seats == 4
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {
        "Ana": "cancelled",
        "Bruno": "cancelled",
        "Chloé": CONFIRMED,
        "David": CONFIRMED,
        "Emma": WAITING,
    }


def test_a_newcomer_never_takes_a_seat_someone_waiting_could_have():
    event = EventFactory(capacity=2)
    first = visitor(event, "Ana")
    visitor(event, "Bruno")
    waiting = visitor(event, "Chloé")

    cancel_registration(first)
    newcomer = visitor(event, "David")

    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED
    assert newcomer.status == WAITING


def test_a_waiting_registration_that_cancels_frees_nothing():
    event = EventFactory(capacity=1)
    visitor(event, "Ana")
    waiting = visitor(event, "Bruno")

    assert cancel_registration(waiting) == []
    event.refresh_from_db()
    assert event.confirmed_seats == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "email": "a@exemple.fr"}, "name"),
        ({"name": "Ana", "email": "pas-une-adresse"}, "email"),
        ({"name": "Ana", "email": "a@exemple.fr", "seats": 0}, "seats"),
        ({"name": "Ana", "email": "a@exemple.fr", "seats": 7}, "seats"),
        ({"name": "Ana", "email": "a@exemple.fr", "seats": "deux"}, "seats"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_saved(fields, field):
    event = EventFactory(capacity=20)

    with pytest.raises(ValidationError) as error:
        register(event, **fields)

    assert field in error.value.message_dict
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_one_cannot_ask_for_more_seats_than_the_event_has():
    event = EventFactory(capacity=3)

    with pytest.raises(ValidationError, match="de 1 à 3 places"):
        register(event, name="Ana", email="a@exemple.fr", seats=4)


def test_the_same_address_cannot_register_twice():
    event = EventFactory()
    person = UserFactory()
    register(event, user=person)

    with pytest.raises(Conflict, match="déjà inscrite"):
        register(event, name="Autre", email=person.email)
    assert Registration.objects.count() == 1


def test_one_can_register_again_after_cancelling():
    event = EventFactory()
    person = UserFactory()
    cancel_registration(register(event, user=person))

    assert register(event, user=person).status == CONFIRMED


@pytest.mark.parametrize(
    ("event_fields", "message"),
    [
        ({"status": "cancelled"}, "annulé"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "ouvrent le"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "closes"),
        (
            {
                "start": timezone.now() - timedelta(hours=1),
                "end": timezone.now() + timedelta(hours=1),
            },
            "closes",
        ),
    ],
)
def test_registration_is_refused_outside_its_window(event_fields, message):
    event = EventFactory(**event_fields)

    with pytest.raises(Conflict, match=message):
        register(event, user=UserFactory())
    assert not Registration.objects.exists()


def test_a_visitor_confirming_after_closing_is_refused():
    event = EventFactory()
    pending = register(event, name="Ana", email="a@exemple.fr")
    event.registration_closes_at = timezone.now() - timedelta(minutes=1)
    event.save()

    with pytest.raises(Conflict):
        confirm_visitor(pending)
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.PENDING


def test_cancelling_twice_or_after_the_start_is_refused():
    event = EventFactory()
    registration = visitor(event, "Ana")
    cancel_registration(registration)
    with pytest.raises(Conflict, match="déjà annulée"):
        cancel_registration(registration)

    started = RegistrationFactory(event=EventFactory(start=timezone.now() - timedelta(minutes=5)))
    with pytest.raises(Conflict, match="a commencé"):
        cancel_registration(started)


def test_a_link_is_found_only_with_its_own_token():
    event = EventFactory()
    mine = RegistrationFactory(event=event)
    theirs = RegistrationFactory(event=event)

    assert registration_for(mine.pk, mine.token) == mine
    assert registration_for(theirs.pk, mine.token) is None
    assert registration_for(mine.pk, mine.token[:-1] + "x") is None
    assert registration_for(mine.pk, "") is None
    assert len(mine.token) >= 43 and mine.token != theirs.token

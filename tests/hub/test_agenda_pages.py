"""The public agenda: upcoming events, filters, the event page and registration by form."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hub.models import Audience, EventKind, Registration, RegistrationStatus
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_agenda_lists_upcoming_published_events_only(client):
    EventFactory(title="Café de l'ESS de mars")
    EventFactory(title="Atelier passé", start=timezone.now() - timedelta(days=2))
    EventFactory(title="Apéro annulé", status="cancelled")

    html = client.get(reverse("hub:agenda")).content.decode()

    assert "Café de l&#x27;ESS de mars" in html
    assert "Atelier passé" not in html
    assert "Apéro annulé" not in html


def test_the_agenda_filters_by_kind_audience_and_date(client):
    soon = timezone.now() + timedelta(days=2)
    EventFactory(title="Réparation", kind=EventKind.BIKE_REPAIR, start=soon)
    EventFactory(title="Ferme", kind=EventKind.FARM_VISIT, audience=Audience.CHILDREN, start=soon)
    EventFactory(title="Plus tard", kind=EventKind.FARM_VISIT, start=soon + timedelta(days=30))
    url = reverse("hub:agenda")

    by_kind = client.get(url, {"type": "bike_repair"}).content.decode()
    by_audience = client.get(url, {"public": "children"}).content.decode()
    by_date = client.get(url, {"au": (soon + timedelta(days=1)).date().isoformat()})

    assert "Réparation" in by_kind and "Ferme" not in by_kind
    assert "Ferme" in by_audience and "Réparation" not in by_audience
    assert "Plus tard" not in by_date.content.decode()


def test_a_bad_filter_is_explained_not_a_crash(client):
    response = client.get(reverse("hub:agenda"), {"du": "hier", "type": "concert"})

    assert response.status_code == 200
    assert "Saisissez une date valide" in response.content.decode()


def test_the_event_page_shows_availability_price_and_calendar_link(client):
    event = EventFactory(capacity=2, price="5.00", accessibility="Accès de plain-pied")
    RegistrationFactory(event=event, seats=2)

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Complet — liste d'attente" in html
    assert "5,00\u00a0€" in html
    assert "Accès de plain-pied" in html
    assert reverse("hub:event_ical", args=[event.pk]) in html
    assert "M'inscrire sur la liste d'attente" in html


def test_a_signed_in_person_registers_in_two_taps(client, django_capture_on_commit_callbacks):
    event = EventFactory()
    person = UserFactory()
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hub:event_register", args=[event.pk]), {"seats": "2"}, follow=True
        )

    assert "votre inscription est confirmée" in response.content.decode()
    assert Registration.objects.get(user=person).seats == 2
    assert "Vous êtes inscrit·e (2 places)" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_visitor_registers_by_name_and_e_mail_then_confirms_from_the_link(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("hub:event_register", args=[event.pk]),
            {"seats": "1", "name": "Karim B.", "email": "karim@exemple.fr"},
            follow=True,
        )
    assert "ouvrez le lien envoyé à karim@exemple.fr" in response.content.decode()
    registration = Registration.objects.get()
    link = registration.get_absolute_url()
    assert link in mail.outbox[0].body

    page = client.get(link)
    assert "Confirmer mon inscription" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    client.post(link, {"action": "confirm"})

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_opening_the_link_does_not_cancel_only_the_button_does(client):
    registration = RegistrationFactory()

    client.get(registration.get_absolute_url())
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED

    client.post(registration.get_absolute_url(), {"action": "cancel"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_a_wrong_or_borrowed_token_finds_nothing_and_changes_nothing(client):
    mine = RegistrationFactory()
    theirs = RegistrationFactory(event=mine.event)

    borrowed = reverse("hub:registration_manage", args=[theirs.pk, mine.token])
    guessed = reverse("hub:registration_manage", args=[mine.pk, "a" * 43])

    assert client.get(borrowed).status_code == 404
    assert client.post(borrowed, {"action": "cancel"}).status_code == 404
    assert client.post(guessed, {"action": "cancel"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RegistrationStatus.CONFIRMED


def test_a_used_link_cannot_cancel_twice(client):
    registration = RegistrationFactory()
    client.post(registration.get_absolute_url(), {"action": "cancel"})

    response = client.post(registration.get_absolute_url(), {"action": "cancel"}, follow=True)

    assert "déjà annulée" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"seats": "1", "name": "", "email": "k@exemple.fr"}, "Ce champ est obligatoire"),
        ({"seats": "1", "name": "Karim", "email": "karim"}, "adresse e-mail valide"),
        ({"seats": "9", "name": "Karim", "email": "k@exemple.fr"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_registration_input_is_refused_with_nothing_saved(client, data, message):
    event = EventFactory()

    response = client.post(reverse("hub:event_register", args=[event.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_a_second_registration_with_the_same_address_is_refused(client):
    event = EventFactory()
    RegistrationFactory(event=event, email="karim@exemple.fr")

    response = client.post(
        reverse("hub:event_register", args=[event.pk]),
        {"seats": "1", "name": "Karim", "email": "karim@exemple.fr"},
    )

    assert response.status_code == 409
    assert "déjà inscrite" in response.content.decode()
    assert Registration.objects.count() == 1


def test_visitor_registrations_are_limited_per_address(client, settings):
    settings.EVENT_VISITOR_REGISTRATIONS_PER_HOUR = 2
    url = lambda: reverse("hub:event_register", args=[EventFactory().pk])  # noqa: E731
    data = {"seats": "1", "name": "Karim", "email": "karim@exemple.fr"}

    statuses = [client.post(url(), data).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_my_registrations_lists_mine_and_lets_me_cancel(client):
    person = UserFactory()
    mine = RegistrationFactory(user=person, email=person.email, event__title="Déjeuner")
    other = RegistrationFactory(event__title="Pas pour moi")
    client.force_login(person)

    html = client.get(reverse("hub:my_registrations")).content.decode()
    assert "Déjeuner" in html and "Pas pour moi" not in html

    assert client.post(reverse("hub:my_registration_cancel", args=[other.pk])).status_code == 404
    client.post(reverse("hub:my_registration_cancel", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.CANCELLED


def test_agenda_nav_entry_is_in_the_header(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("hub:agenda")}"' in html


@pytest.mark.parametrize("size", [3, 30])
def test_the_agenda_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, size):
    for _ in range(size):
        RegistrationFactory(event=EventFactory())

    with django_assert_max_num_queries(6):
        response = client.get(reverse("hub:agenda"))
    assert response.status_code == 200

"""Organisers: their events, the event form, participants, attendance on the day, export."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.models import Event, EventSeries, RegistrationStatus
from hub.roles import Role
from tests.hub.event_factories import EventFactory, OrganiserFactory, RegistrationFactory
from tests.hub.factories import StaffFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def animator(client):
    user = StaffFactory(roles=[Role.ANIMATION])
    client.force_login(user)
    return user


def form_data(structure, **overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=4)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    return {
        "title": "Apéro web",
        "kind": "web_apero",
        "structure": structure.pk,
        "audience": "everyone",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Pôle Anima, 1er étage",
        "capacity": "25",
        "price": "0",
        "description": "Réseaux sociaux pour les commerçants.",
        **overrides,
    }


def test_the_animation_team_publishes_an_event_from_the_form(client, animator, rooms):
    structure = StructureFactory()

    response = client.post(
        reverse("hub:event_create"), form_data(structure, room="salle-galilee"), follow=True
    )

    event = Event.objects.get()
    assert response.redirect_chain[-1][0] == reverse("hub:organiser_event", args=[event.pk])
    assert "Événement publié" in response.content.decode()
    assert event.room_label == "Salle Galilée" and event.room_booking
    assert timezone.localtime(event.start).hour == 18


def test_a_taken_room_shows_the_bookers_message_and_saves_nothing(client, animator, rooms):
    structure = StructureFactory()
    data = form_data(structure, room="salle-galilee")
    client.post(reverse("hub:event_create"), data)

    response = client.post(reverse("hub:event_create"), {**data, "title": "Doublon"})

    assert response.status_code == 400
    assert "Cette salle est déjà réservée sur ce créneau." in response.content.decode()
    assert Event.objects.count() == 1


def test_a_monthly_series_is_created_from_the_form(client, animator):
    data = form_data(StructureFactory(), repeat="monthly")
    start_day = timezone.now() + timedelta(days=4)
    data["repeat_until"] = (start_day + timedelta(days=100)).date().isoformat()

    client.post(reverse("hub:event_create"), data)

    assert EventSeries.objects.count() == 1
    assert Event.objects.count() in (3, 4)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Ce champ est obligatoire"),
        ({"place": ""}, "Indiquez un lieu ou choisissez une salle"),
        ({"capacity": "0"}, "supérieure ou égale à 1"),
        ({"repeat": "weekly", "repeat_until": ""}, "Indiquez la date de la dernière séance"),
        ({"end": "2020-01-01T10:00"}, "La fin doit être après le début"),
    ],
)
def test_bad_event_input_is_refused_with_nothing_saved(client, animator, overrides, message):
    response = client.post(reverse("hub:event_create"), form_data(StructureFactory(), **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_the_edit_form_shows_the_event_in_local_time(client, animator):
    start = timezone.make_aware(timezone.datetime(2030, 7, 4, 18, 30))
    event = EventFactory(start=start, end=start + timedelta(hours=2))

    html = client.get(reverse("hub:event_edit", args=[event.pk])).content.decode()

    assert 'value="2030-07-04T18:30"' in html
    assert 'value="2030-07-04T20:30"' in html


def test_lowering_capacity_below_confirmed_seats_is_refused(client, animator):
    event = EventFactory(capacity=10)
    RegistrationFactory(event=event, seats=6)
    data = form_data(event.structure, capacity="5")

    response = client.post(reverse("hub:event_edit", args=[event.pk]), data)

    assert response.status_code == 400
    assert "6 places sont déjà confirmées" in response.content.decode()
    assert Event.objects.get(pk=event.pk).capacity == 10


def test_a_structure_organiser_sees_only_their_structures_events(client):
    organiser = OrganiserFactory()
    mine = EventFactory(structure=organiser.structure, title="Visite de la ferme")
    other = EventFactory(title="Autre structure")
    client.force_login(organiser.user)

    home = client.get(reverse("hub:organiser_home")).content.decode()

    assert "Visite de la ferme" in home and "Autre structure" not in home
    assert client.get(reverse("hub:organiser_event", args=[mine.pk])).status_code == 200
    assert client.get(reverse("hub:organiser_event", args=[other.pk])).status_code == 404
    assert client.get(reverse("hub:participants_csv", args=[other.pk])).status_code == 404
    form = client.get(reverse("hub:event_create")).content.decode()
    assert other.structure.name not in form


def test_people_who_organise_nothing_are_kept_out(client):
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    assert client.get(reverse("hub:organiser_home")).status_code == 302

    for user in (UserFactory(), StaffFactory(roles=[Role.DISPATCH])):
        client.force_login(user)
        assert client.get(reverse("hub:organiser_home")).status_code == 403
        assert client.get(reverse("hub:organiser_event", args=[event.pk])).status_code == 403
        url = reverse("hub:attendance", args=[registration.pk])
        assert client.post(url, {"attended": "yes"}).status_code == 403
    registration.refresh_from_db()
    assert registration.attended is None


def test_participants_and_waiting_list_are_shown_in_order(client, animator):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, name="Ana Dupont")
    RegistrationFactory(event=event, name="Bruno Petit", status=RegistrationStatus.WAITING)
    RegistrationFactory(event=event, name="Chloé Roux", status=RegistrationStatus.WAITING)

    html = client.get(reverse("hub:organiser_event", args=[event.pk])).content.decode()

    assert "Ana Dupont" in html
    assert html.index("Bruno Petit") < html.index("Chloé Roux")


def test_marking_attendance_with_htmx_updates_the_row_and_the_count(client, animator):
    event = EventFactory(start=timezone.now() - timedelta(minutes=10))
    registration = RegistrationFactory(event=event, seats=2)
    url = reverse("hub:attendance", args=[registration.pk])

    response = client.post(url, {"attended": "yes"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is True
    assert 'class="present" aria-pressed="true"' in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "2 personnes présentes sur 2 places confirmées" in html

    client.post(url, {"attended": ""}, headers={"HX-Request": "true"})
    registration.refresh_from_db()
    assert registration.attended is None


def test_attendance_works_without_javascript_too(client, animator):
    registration = RegistrationFactory()

    response = client.post(reverse("hub:attendance", args=[registration.pk]), {"attended": "no"})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended is False


def test_waiting_registrations_cannot_be_marked_present(client, animator):
    registration = RegistrationFactory(status=RegistrationStatus.WAITING)

    response = client.post(reverse("hub:attendance", args=[registration.pk]), {"attended": "yes"})

    assert response.status_code == 409


def test_the_export_lists_participants_and_defuses_formulas(client, animator):
    event = EventFactory(title="Déjeuner des créateurs")
    RegistrationFactory(event=event, name="=HYPERLINK(1)", email="x@exemple.fr", attended=True)

    response = client.get(reverse("hub:participants_csv", args=[event.pk]))

    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert body.splitlines()[0] == "Nom;E-mail;Places;Statut;Présence;Inscrit·e le"
    assert "'=HYPERLINK(1);x@exemple.fr;1;Confirmée;présent·e;" in body


def test_cancelling_from_the_organiser_page(client, animator):
    event = EventFactory()

    client.post(reverse("hub:event_cancel", args=[event.pk]))

    event.refresh_from_db()
    assert event.status == "cancelled"


@pytest.mark.parametrize(
    "name", ["organiser_event", "event_edit", "event_cancel", "participants_csv"]
)
def test_every_organiser_page_opens(client, animator, rooms, name):
    event = EventFactory(room_key="salle-galilee", room_label="Salle Galilée")
    RegistrationFactory(event=event)

    assert client.get(reverse(f"hub:{name}", args=[event.pk])).status_code == 200
    assert client.get(reverse("hub:event_create")).status_code == 200

"""The animation team's admin: authorising organisers, exporting, cancelling."""

import pytest
from django.urls import reverse

from hub.models import StructureOrganiser
from hub.roles import Role
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import StaffFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def animator(client):
    user = StaffFactory(roles=[Role.ANIMATION])
    client.force_login(user)
    return user


def test_the_animation_team_authorises_an_organiser_by_e_mail(client, animator):
    person = UserFactory(email="lea@animaliens.fr")
    structure = StructureFactory(name="Les Animaliens")

    client.post(
        reverse("admin:hub_structureorganiser_add"),
        {"structure": structure.pk, "email": "LEA@animaliens.fr"},
    )

    organiser = StructureOrganiser.objects.get()
    assert (organiser.user, organiser.structure, organiser.authorised_by) == (
        person,
        structure,
        animator,
    )


def test_an_unknown_address_or_a_duplicate_is_explained(client, animator):
    structure = StructureFactory()
    existing = StructureOrganiser.objects.create(structure=structure, user=UserFactory())
    url = reverse("admin:hub_structureorganiser_add")

    unknown = client.post(url, {"structure": structure.pk, "email": "nobody@exemple.fr"})
    twice = client.post(url, {"structure": structure.pk, "email": existing.user.email})

    assert "doit d&#x27;abord créer son compte" in unknown.content.decode()
    assert "organise déjà pour cette structure" in twice.content.decode()
    assert StructureOrganiser.objects.count() == 1


def test_cancel_action_cancels_and_export_action_exports(client, animator):
    event = EventFactory(title="Apéro web")
    RegistrationFactory(event=event, name="Ana", email="ana@exemple.fr")
    url = reverse("admin:hub_event_changelist")

    export = client.post(url, {"action": "export_registrations", "_selected_action": [event.pk]})
    client.post(url, {"action": "cancel_events", "_selected_action": [event.pk]})

    assert "Apéro web" in export.content.decode("utf-8-sig")
    assert "ana@exemple.fr" in export.content.decode("utf-8-sig")
    event.refresh_from_db()
    assert event.status == "cancelled"


def test_direction_sees_events_but_not_the_participants(client):
    client.force_login(StaffFactory(roles=[Role.DIRECTION]))
    EventFactory()

    assert client.get(reverse("admin:hub_event_changelist")).status_code == 200
    assert client.get(reverse("admin:hub_registration_changelist")).status_code == 403

"""/pilotage/: staff see the panels of their roles; direction and superusers see them all."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.registry import DashboardLine, DashboardPanel, registry
from hub.roles import Role
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatch_panel():
    """A panel as the delivery app would register it (absent from this branch)."""
    panel = DashboardPanel(
        role=Role.DISPATCH,
        title="Livraisons à planifier",
        lines=lambda user: [DashboardLine("3 livraisons sans tournée", "/admin/", count=3)],
    )
    registry.dashboard.append(panel)
    yield panel
    registry.dashboard.remove(panel)


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("hub:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_role_sees_only_its_own_panels(client, dispatch_panel):
    animation = page(client, StaffFactory(roles=[Role.ANIMATION]))
    dispatch = page(client, StaffFactory(roles=[Role.DISPATCH]))

    assert "Animation : les événements de la semaine" in animation
    assert "Livraisons à planifier" not in animation
    assert "3 livraisons sans tournée" in dispatch
    assert "Animation" not in dispatch


@pytest.mark.parametrize("who", ["direction", "superuser"])
def test_direction_and_superusers_see_every_panel(client, dispatch_panel, who):
    user = (
        StaffFactory(roles=[Role.DIRECTION])
        if who == "direction"
        else StaffFactory(is_superuser=True)
    )

    html = page(client, user)

    assert "Livraisons à planifier" in html
    assert "Animation : les événements de la semaine" in html


def test_people_who_are_not_staff_are_kept_out(client):
    assert client.get(reverse("hub:dashboard")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("hub:dashboard")).status_code == 403


def test_animation_sees_this_weeks_events_with_their_fill_rate(client):
    today = timezone.localdate()
    tonight = timezone.make_aware(datetime.combine(today, time(23, 0)))
    event = EventFactory(title="Apéro web", capacity=4, start=tonight)
    RegistrationFactory(event=event, seats=3)
    RegistrationFactory(event=event, status="waiting")
    EventFactory(title="Dans trois semaines", start=tonight + timedelta(days=21))

    html = page(client, StaffFactory(roles=[Role.ANIMATION]))

    assert "Apéro web : 3/4 places (75\u00a0%) · 1 en attente" in html
    assert reverse("hub:organiser_event", args=[event.pk]) in html
    assert "Dans trois semaines" not in html


def test_the_account_menu_offers_pilotage_to_staff_only(client):
    client.force_login(UserFactory())
    assert reverse("hub:dashboard") not in client.get("/").content.decode()
    client.force_login(StaffFactory(roles=[Role.CIP]))
    assert reverse("hub:dashboard") in client.get("/").content.decode()

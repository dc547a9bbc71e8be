"""The coworking team works in the admin: every list, search, filter and export opens."""

import pytest
from django.urls import reverse

from coworking.models import Resource
from hub.roles import Role
from tests.coworking.factories import (
    AgreementFactory,
    BookingFactory,
    LeaseFactory,
    PassFactory,
    RateFactory,
    RoomFactory,
)
from tests.hub.factories import StaffFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "space",
    "openinghours",
    "resource",
    "rate",
    "closure",
    "booking",
    "coworker",
    "solidarityproof",
    "pass",
    "studiolease",
    "application",
    "occupancyagreement",
]


@pytest.fixture
def team(client):
    client.force_login(StaffFactory(roles=[Role.COWORKING]))
    RateFactory()
    BookingFactory()
    PassFactory()
    LeaseFactory()
    AgreementFactory()
    return client


@pytest.mark.parametrize("model", MODELS)
def test_the_team_opens_every_list_with_a_search(team, model):
    response = team.get(reverse(f"admin:coworking_{model}_changelist") + "?q=a")

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("booking", BookingFactory),
        ("pass", PassFactory),
        ("studiolease", LeaseFactory),
        ("occupancyagreement", AgreementFactory),
    ],
)
def test_the_team_opens_a_record_and_exports_a_selection(team, model, factory):
    record = factory()

    assert team.get(reverse(f"admin:coworking_{model}_change", args=[record.pk])).status_code == 200
    export = team.post(
        reverse(f"admin:coworking_{model}_changelist"),
        {"action": "export_csv", "_selected_action": [record.pk]},
    )
    assert export["Content-Type"].startswith("text/csv")


def test_a_room_for_events_must_hold_one_booking_at_a_time(team):
    room = RoomFactory(event_room=True)
    data = {
        "space": room.space.pk,
        "name": room.name,
        "kind": room.kind,
        "capacity": 4,
        "slot_minutes": 60,
        "booking_mode": "online",
        "event_room": "on",
        "is_active": "on",
        "ical_token": room.ical_token,
        "position": 0,
        "rates-TOTAL_FORMS": 0,
        "rates-INITIAL_FORMS": 0,
    }

    response = team.post(reverse("admin:coworking_resource_change", args=[room.pk]), data)

    assert "capacité 1 seulement" in response.content.decode()
    assert Resource.objects.get(pk=room.pk).capacity == 1


def test_the_admin_cancel_action_goes_through_the_booking_rules(team):
    booking = BookingFactory()

    team.post(
        reverse("admin:coworking_booking_changelist"),
        {"action": "cancel_selected", "_selected_action": [booking.pk]},
    )

    booking.refresh_from_db()
    assert booking.status != "confirmed"

"""The public delivery API: relay points, open slots, address check."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from tests.delivery.factories import DeliverySlotFactory, RelayPointFactory

pytestmark = pytest.mark.django_db


def test_relay_points_are_public():
    RelayPointFactory(name="Le Comptoir de l'Îlot")
    RelayPointFactory(name="Fermé", is_active=False)
    names = [r["name"] for r in APIClient().get("/api/v1/relay-points/").json()["results"]]
    assert names == ["Le Comptoir de l'Îlot"]


def test_slots_of_a_date_with_remaining_places():
    tomorrow = DeliverySlotFactory(capacity=8, reserved=3)
    DeliverySlotFactory(days=2)
    DeliverySlotFactory(capacity=2, reserved=2)  # full: not offered

    rows = APIClient().get("/api/v1/slots/", {"date": tomorrow.date.isoformat()}).json()["results"]

    assert [(r["id"], r["remaining"]) for r in rows] == [(tomorrow.pk, 5)]
    assert {"id", "start", "end", "remaining"} <= set(rows[0])


def test_a_slot_past_its_cut_off_is_not_offered():
    slot = DeliverySlotFactory()
    slot.cutoff = slot.start - timedelta(days=3)
    slot.save()
    closed = DeliverySlotFactory(days=0)
    closed.cutoff = closed.start - timedelta(days=5)
    closed.start = closed.cutoff + timedelta(hours=1)
    closed.end = closed.start + timedelta(hours=2)
    closed.save()
    assert APIClient().get("/api/v1/slots/").json()["count"] == 0


def test_a_malformed_date_gets_a_400():
    assert APIClient().get("/api/v1/slots/", {"date": "demain"}).status_code == 400


@pytest.mark.parametrize(
    ("address", "deliverable"),
    [("18 rue mollien 62100 calais", True), ("Route de Boulogne, 62231 Sangatte", False)],
)
def test_check_address(address, deliverable):
    body = APIClient().post("/api/v1/delivery/check-address/", {"address": address}).json()
    assert body["deliverable"] is deliverable
    assert body["distance_km"] is not None
    assert body["label"]


def test_check_address_of_an_unknown_place():
    body = APIClient().post("/api/v1/delivery/check-address/", {"address": "nulle part"}).json()
    assert body == {
        "deliverable": False,
        "distance_km": None,
        "label": "",
        "message": body["message"],
    }
    assert "point relais" in body["message"]


def test_check_address_needs_an_address():
    assert APIClient().post("/api/v1/delivery/check-address/", {}).status_code == 400

"""Staff pages in the admin open for the roles that use them, with their filters and exports."""

from decimal import Decimal

import pytest
from django.urls import reverse

from delivery import services
from delivery.models import DeliveryZone, PlanProposal, ProposalKind
from hub.roles import Role
from tests.delivery.factories import DeliverySlotFactory, RelayPointFactory, RoundFactory
from tests.hub.factories import StaffFactory, UserFactory
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.django_db

DISPATCH_PAGES = [
    "admin:delivery_deliveryzone_changelist",
    "admin:delivery_relaypoint_changelist",
    "admin:delivery_slottemplate_changelist",
    "admin:delivery_deliveryslot_changelist",
    "admin:delivery_feerule_changelist",
    "admin:delivery_knownposition_changelist",
    "admin:shop_order_changelist",
]
MODERATION_PAGES = [
    "admin:shop_merchant_changelist",
    "admin:shop_product_changelist",
    "admin:shop_supportrequest_changelist",
    "admin:shop_merchantmember_changelist",
]


@pytest.mark.parametrize("name", DISPATCH_PAGES)
def test_dispatch_opens_its_pages(client, name):
    RelayPointFactory()
    DeliverySlotFactory()
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", MODERATION_PAGES)
def test_moderation_opens_its_pages(client, name):
    ProductFactory()
    client.force_login(StaffFactory(roles=[Role.MODERATION]))
    assert client.get(reverse(name)).status_code == 200


def test_moderation_sees_no_order(client):
    client.force_login(StaffFactory(roles=[Role.MODERATION]))
    assert client.get(reverse("admin:shop_order_changelist")).status_code == 403


def test_dispatch_changes_the_zone_and_corrects_a_position(client):
    shopper = UserFactory(phone="0612345678")
    slot = DeliverySlotFactory()
    zone = DeliveryZone.objects.create(
        center_latitude=Decimal("50.9513"), center_longitude=Decimal("1.8587"), radius_km=3
    )
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))

    client.post(
        reverse("admin:delivery_deliveryzone_change", args=[zone.pk]),
        {
            "name": "Calais",
            "center_latitude": "50.9513",
            "center_longitude": "1.8587",
            "radius_km": "4",
        },
    )
    page = client.get(reverse("admin:shop_order_change", args=[order.pk]))

    zone.refresh_from_db()
    assert zone.radius_km == 4
    assert 'name="latitude"' in page.content.decode()
    assert client.get(reverse("admin:delivery_deliveryzone_add")).status_code == 403


def test_slots_export_as_csv(client):
    slot = DeliverySlotFactory()
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))
    response = client.post(
        reverse("admin:delivery_deliveryslot_changelist"),
        {"action": "export_csv", "_selected_action": [slot.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    # French column labels, as everywhere else (was the raw field name « capacity »).
    assert "capacité" in response.content.decode("utf-8-sig").splitlines()[0]


FLEET_PAGES = [
    "admin:delivery_cargobike_changelist",
    "admin:delivery_courier_changelist",
    "admin:delivery_couriershift_changelist",
    "admin:delivery_round_changelist",
    "admin:delivery_stop_changelist",
    "admin:delivery_delivery_changelist",
    "admin:delivery_pickup_changelist",
    "admin:delivery_deliveryevent_changelist",
]


@pytest.fixture
def planned():
    from tests.delivery.factories import make_delivery, published_round

    delivery = make_delivery()
    return published_round(deliveries=[delivery]), delivery


@pytest.mark.parametrize("name", FLEET_PAGES)
def test_dispatch_opens_the_fleet_rounds_and_deliveries(client, planned, name):
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))
    assert client.get(reverse(name)).status_code == 200


def test_dispatch_opens_each_record_and_direction_reads_them(client, planned):
    round_, delivery = planned
    records = [
        ("admin:delivery_round_change", round_.pk),
        ("admin:delivery_delivery_change", delivery.pk),
        ("admin:delivery_courier_change", round_.courier.pk),
        ("admin:delivery_cargobike_change", round_.bike.pk),
    ]
    for role in (Role.DISPATCH, Role.DIRECTION):
        client.force_login(StaffFactory(roles=[role]))
        for name, pk in records:
            assert client.get(reverse(name, args=[pk])).status_code == 200, (role, name)


def test_dispatch_adds_a_bike_and_corrects_a_delivery_position(client, planned):
    _round, delivery = planned
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))

    client.post(
        reverse("admin:delivery_cargobike_add"),
        {"name": "Le Goéland", "payload_kg": "90", "electric": "on", "status": "in_service"},
    )
    page = client.get(reverse("admin:delivery_delivery_change", args=[delivery.pk]))

    from delivery.models import CargoBike

    assert CargoBike.objects.filter(name="Le Goéland").exists()
    assert 'name="latitude"' in page.content.decode()
    assert 'name="contact_name"' not in page.content.decode()


def test_deliveries_export_as_csv(client, planned):
    _round, delivery = planned
    client.force_login(StaffFactory(roles=[Role.DISPATCH]))
    response = client.post(
        reverse("admin:delivery_delivery_changelist"),
        {"action": "export_csv", "_selected_action": [delivery.pk]},
    )
    assert delivery.order_number in response.content.decode()


def test_a_plan_proposal_page_shows_its_status_history(admin_client):
    round_ = RoundFactory()
    proposal = PlanProposal.objects.create(kind=ProposalKind.ROUND, round=round_, date=round_.date)
    services.abandon_proposal(proposal.pk, StaffFactory(roles=[Role.DISPATCH]))

    page = admin_client.get(reverse("admin:delivery_planproposal_change", args=[proposal.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Historique des statuts" in html
    assert "En attente du calcul" in html and "Abandonnée" in html

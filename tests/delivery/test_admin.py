"""Staff pages in the admin open for the roles that use them, with their filters and exports."""

from decimal import Decimal

import pytest
from django.urls import reverse

from delivery.models import DeliveryZone
from hub.roles import Role
from tests.delivery.factories import DeliverySlotFactory, RelayPointFactory
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
    assert "capacity" in response.content.decode()

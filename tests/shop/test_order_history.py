"""The field history of orders and shop parts: who changed what, never the buyer's contact,
address or position; shown in the admin to the roles that read orders there."""

import pytest
from django.urls import reverse

from hub.services import Role
from shop import services
from shop.models import MerchantOrder, Order, OrderStatus
from shop.models.orders import ORDER_PERSONAL_FIELDS
from tests.hub.factories import StaffFactory
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancelled(client, shopper, slot):
    """An order its shopper cancelled from the order page."""
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk, note="Digicode 4521B")
    client.force_login(shopper)
    client.post(reverse("shop:order_cancel", args=[order.number]))
    client.logout()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    return order


def test_a_change_is_recorded_with_who_and_which_fields(cancelled, shopper):
    latest = cancelled.history.first()
    placed = cancelled.history.last()

    assert latest.history_user == shopper
    assert placed.status == OrderStatus.PLACED and latest.status == OrderStatus.CANCELLED
    assert "status" in latest.diff_against(placed).changed_fields
    part = cancelled.merchant_orders.get()
    assert part.history.first().history_user == shopper
    assert part.history.first().status == "cancelled"


def test_a_change_made_outside_a_request_names_its_author(shopper, slot):
    product = ProductFactory()
    order = place(shopper, (product, 1), slot=slot.pk)
    part = order.merchant_orders.select_related("merchant", "order").get()
    owner = product.merchant.owner

    services.accept_part(part, by=owner)

    latest = part.history.first()
    assert latest.history_user == owner and latest.status == "accepted"
    assert order.history.first().history_user == owner


def test_the_buyers_contact_address_and_position_are_not_copied(cancelled):
    stored = {field.name for field in Order.history.model._meta.fields}

    assert stored.isdisjoint(ORDER_PERSONAL_FIELDS)
    rows = repr(list(Order.history.filter(id=cancelled.pk).values()))
    for kept_out in (
        cancelled.contact_name,
        cancelled.contact_phone,
        cancelled.contact_email,
        "Mollien",
        "Digicode",
    ):
        assert str(kept_out) not in rows


@pytest.mark.parametrize("role", [Role.DISPATCH, Role.DIRECTION])
def test_the_roles_that_read_orders_see_their_history_in_the_admin(client, cancelled, role):
    client.force_login(StaffFactory(roles=[role]))

    page = client.get(reverse("admin:shop_order_history", args=[cancelled.pk]))
    part = cancelled.merchant_orders.get()
    part_page = client.get(reverse("admin:shop_merchantorder_history", args=[part.pk]))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Annulée" in text and str(cancelled.shopper) in text
    assert "Digicode" not in text and "Mollien" not in text
    assert part_page.status_code == 200


@pytest.mark.parametrize("roles", [[Role.MODERATION], [Role.CIP], []])
def test_other_staff_do_not_see_the_history_of_an_order(client, cancelled, roles):
    client.force_login(StaffFactory(roles=roles))
    part = MerchantOrder.objects.get(order=cancelled)
    version = cancelled.history.first().history_id

    assert client.get(reverse("admin:shop_order_history", args=[cancelled.pk])).status_code == 403
    assert (
        client.get(
            reverse("admin:shop_order_simple_history", args=[cancelled.pk, version])
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:shop_merchantorder_history", args=[part.pk])).status_code == 403
    )

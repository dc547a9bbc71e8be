"""The shop application's state machine: pending, approved or refused, suspended."""

import pytest

from hub.services import status_changes
from shop import services
from shop.models import Merchant, MerchantStatus
from shop.workflows import MERCHANT
from tests.hub.factories import UserFactory
from tests.shop.factories import MerchantFactory
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db


def test_a_shop_makes_every_allowed_move_and_no_other():
    assert walk_every_move(MERCHANT, MerchantFactory(), UserFactory()) == (4, 12)


def test_refusing_an_application_records_the_moderator_and_the_reason():
    shop = MerchantFactory(status=MerchantStatus.PENDING)
    moderator = UserFactory(is_staff=True)
    services.refuse_merchant(shop, "SIRET introuvable", by=moderator)
    [change] = status_changes(shop)
    assert (change.from_status, change.to_status, change.by) == ("pending", "refused", moderator)
    assert change.why == "SIRET introuvable"


def test_suspending_from_the_admin_moves_only_approved_shops(client):
    approved, pending = MerchantFactory(), MerchantFactory(status=MerchantStatus.PENDING)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.post(
        "/admin/shop/merchant/",
        {"action": "suspend", "_selected_action": [approved.pk, pending.pk]},
    )
    assert Merchant.objects.get(pk=approved.pk).status == MerchantStatus.SUSPENDED
    assert Merchant.objects.get(pk=pending.pk).status == MerchantStatus.PENDING
    [change] = status_changes(approved)
    assert (change.to_status, change.by) == ("suspended", admin)
    assert not status_changes(pending).exists()

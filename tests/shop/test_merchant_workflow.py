"""The shop application's state machine: pending, approved or refused, suspended."""

from contextlib import contextmanager

import pytest
from django.db import connection

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


@contextmanager
def moved_meanwhile(merchant, status):
    """Someone else moves ``merchant`` to ``status`` just before the bulk update runs."""
    done = []

    def wrapper(execute, sql, params, many, context):
        if not done and sql.startswith("UPDATE") and Merchant._meta.db_table in sql:
            done.append(True)
            Merchant.objects.filter(pk=merchant.pk).update(status=status)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield
    assert done, "the bulk update never ran"


@pytest.mark.parametrize(
    ("action", "before", "message"),
    [
        ("suspend", MerchantStatus.APPROVED, "Aucun commerce suspendu."),
        ("reinstate", MerchantStatus.SUSPENDED, "Aucun commerce rétabli."),
    ],
)
def test_a_shop_moved_meanwhile_leaves_the_batch_untouched_with_a_message(
    client, action, before, message
):
    first, second = MerchantFactory(status=before), MerchantFactory(status=before)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with moved_meanwhile(second, MerchantStatus.REFUSED):
        response = client.post(
            "/admin/shop/merchant/",
            {"action": action, "_selected_action": [first.pk, second.pk]},
            follow=True,
        )

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any(message in text and "réessayez" in text for text in shown), shown
    assert Merchant.objects.get(pk=first.pk).status == before
    assert not status_changes(first).exists() and not status_changes(second).exists()

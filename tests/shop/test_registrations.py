"""What the shop registers in the hub: nav, account links, roles, dashboard, impact, jobs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from hub.registry import registry
from hub.roles import Role
from hub.services import user_roles
from shop import services
from tests.hub.factories import StaffFactory, UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = pytest.mark.django_db


def test_the_boutique_section_is_in_the_header_and_on_the_home_page(client):
    entry = next(e for e in registry.nav if e.key == "boutique")
    assert entry.order == 10
    assert reverse(entry.url_name) in client.get("/").content.decode()


def test_account_links_show_orders_to_everyone_and_the_back_office_to_members(client):
    client.force_login(UserFactory())
    page = client.get("/").content.decode()
    assert "Mes commandes" in page and "Espace commerçant" not in page
    client.force_login(MerchantFactory().owner)
    assert "Espace commerçant" in client.get("/").content.decode()


def test_members_of_an_approved_shop_hold_the_merchant_role():
    merchant = MerchantFactory()
    assert "merchant" in user_roles(merchant.owner)
    assert "merchant" not in user_roles(UserFactory())


def test_the_moderation_dashboard_counts_pending_applications():
    MerchantFactory(status="pending")
    panel = next(p for p in registry.dashboard if p.role == Role.MODERATION)
    lines = panel.lines(StaffFactory(roles=[Role.MODERATION]))
    assert lines[0].count == 1
    assert lines[0].url == reverse("shop:moderation_applications")


def test_impact_figures_are_aggregates(shopper, slot):
    product = ProductFactory()
    order = place(shopper, (product, 2), slot=slot.pk)
    services.accept_part(order.merchant_orders.get())
    source = next(s for s in registry.impact if s.indicators is services.impact_indicators)
    today = timezone.localdate()

    figures = {i.key: i.value for i in source.indicators(today - timedelta(days=30), today)}

    assert figures["shop_orders"] == 1
    assert figures["shop_merchants_served"] == 1
    assert figures["shop_cargo_orders"] == 1


def test_periodic_jobs_are_scheduled():
    from hub.schedules import ensure_periodic_tasks

    ensure_periodic_tasks()
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "shop.tasks.release_unaccepted_orders",
        "delivery.tasks.generate_delivery_slots",
    } <= tasks

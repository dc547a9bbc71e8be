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
    assert "shop_cargo_orders" not in figures  # delivery's figure: delivery_delivered


def test_periodic_jobs_are_scheduled():
    from hub.schedules import ensure_periodic_tasks

    ensure_periodic_tasks()
    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "shop.tasks.release_unaccepted_orders",
        "delivery.tasks.generate_delivery_slots",
    } <= tasks


def test_the_impact_page_counts_cargo_bike_deliveries_once(client, shopper, slot):
    from delivery.models import Delivery, RoundStatus, Stop, StopKind, StopState
    from tests.delivery.factories import RoundFactory

    orders = [place(shopper, (ProductFactory(), 1), key=f"k{n}", slot=slot.pk) for n in range(3)]
    now = timezone.now()
    round_ = RoundFactory(
        days=0, status=RoundStatus.FINISHED, started_at=now, finished_at=now, distance_m=4000
    )
    Stop.objects.create(
        round=round_,
        delivery=Delivery.objects.get(order_number=orders[0].number),
        kind=StopKind.DROPOFF,
        sequence=1,
        state=StopState.DONE,
        done_at=now,
    )

    page = client.get(reverse("hub:impact"))

    figures = {f.label: f.value for source in page.context["sources"]() for f in source.figures}
    # One figure counts cargo-bike deliveries: the delivered drop-offs, not the orders placed.
    assert figures["Livraisons en vélo-cargo"] == 1
    assert "Commandes livrées à vélo-cargo" not in figures
    assert figures["Commandes passées"] == 3

"""What delivery brings to the hub: scheduled e-mails, the dispatch panel, the courier role and
account link, impact figures."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from delivery import services, tasks
from delivery.models import StopKind
from hub.services import user_roles
from tests.delivery.factories import (
    CourierFactory,
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_day_before_each_shopper_gets_the_window_once():
    tomorrow = DeliverySlotFactory(days=1)
    delivery = make_delivery(tomorrow)
    cancelled = make_delivery(tomorrow)

    services.cancel_delivery(cancelled.order_number)
    make_delivery(DeliverySlotFactory(days=3))
    mail.outbox.clear()

    assert tasks.remind_tomorrow_deliveries.delay().get() == 1
    assert tasks.remind_tomorrow_deliveries.delay().get() == 0

    assert [m.to for m in mail.outbox] == [[delivery.contact_email]]
    assert "10 h 00 – 12 h 00" in mail.outbox[0].body
    assert f"/suivi/{delivery.tracking_token}/" in mail.outbox[0].body


def test_the_morning_summary_lists_the_unplanned_deliveries_of_the_day_once():
    today = DeliverySlotFactory(days=0)
    make_delivery(today)
    make_delivery(today)
    planned = make_delivery(today)

    services.add_deliveries(RoundFactory(days=0).pk, [planned.pk], None)
    dispatcher = StaffFactory(roles=["dispatch"])
    mail.outbox.clear()

    assert tasks.morning_dispatch_summary.delay().get() == 1
    assert tasks.morning_dispatch_summary.delay().get() == 0

    assert mail.outbox[0].to == [dispatcher.email]
    assert "2 livraisons à planifier" in mail.outbox[0].subject
    assert "10:00–12:00 : 2" in mail.outbox[0].body


def test_no_summary_when_everything_is_planned():
    StaffFactory(roles=["dispatch"])
    mail.outbox.clear()
    assert tasks.morning_dispatch_summary.delay().get() == 0
    assert not mail.outbox


def test_the_dispatch_panel_counts_today_and_failures(client):
    today = DeliverySlotFactory(days=0)
    make_delivery(today)
    failed = make_delivery(today, shops=1)
    round_ = published_round(deliveries=[failed], days=0)

    user = round_.courier.user
    services.record_pickup(user, round_.stops.get(kind=StopKind.PICKUP).pk)
    services.record_failure(user, round_.stops.get(kind=StopKind.DROPOFF).pk, "absent")
    client.force_login(StaffFactory(roles=["dispatch"]))

    page = client.get("/pilotage/").content.decode()

    assert "Livraisons à vélo-cargo" in page
    assert "Livraisons du jour à mettre en tournée" in page
    assert "Échecs de livraison à reprogrammer" in page


def test_a_courier_has_the_courier_role_and_the_account_link(client):
    courier = CourierFactory()
    assert "courier" in user_roles(courier.user)
    assert "courier" not in user_roles(UserFactory())

    client.force_login(courier.user)
    assert 'href="/coursier/"' in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert 'href="/coursier/"' not in client.get("/").content.decode()

    api = APIClient()
    api.force_authenticate(courier.user)
    assert "courier" in api.get("/api/v1/me/").json()["roles"]


def test_an_inactive_courier_loses_the_role():
    courier = CourierFactory(is_active=False)
    assert "courier" not in user_roles(courier.user)


def test_impact_page_shows_cargo_bike_figures(client):
    round_ = published_round(
        deliveries=[make_delivery(DeliverySlotFactory(days=0), shops=1)], days=0
    )

    user = round_.courier.user
    services.record_pickup(user, round_.stops.get(kind=StopKind.PICKUP).pk)
    services.record_delivery(user, round_.stops.get(kind=StopKind.DROPOFF).pk, "Camille")

    page = client.get("/impact/").content.decode()

    assert "Livraisons en vélo-cargo" in page
    assert "CO₂ évité" in page


def test_the_menu_link_follows_a_courier_profile_made_or_ended_while_signed_in(client):
    user = UserFactory()
    client.force_login(user)
    assert 'href="/coursier/"' not in client.get("/").content.decode()

    courier = CourierFactory(user=user)
    assert 'href="/coursier/"' in client.get("/").content.decode()

    courier.is_active = False
    courier.save()
    assert 'href="/coursier/"' not in client.get("/").content.decode()


def test_the_menu_link_costs_no_query_once_signed_in(client, django_assert_num_queries):
    from delivery.services import shows_courier_page

    courier = CourierFactory()
    client.force_login(courier.user)
    with django_assert_num_queries(0):
        assert shows_courier_page(courier.user)

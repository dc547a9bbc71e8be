"""The hand-over from delivery to the shop is durable: recorded with the delivery's change,
relayed after commit, retried, reconciled — and the shopper hears once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from delivery import services as delivery
from delivery import signals
from delivery.models import Delivery, DeliveryStatus, NoticeKind, PickupStatus, ShopNotice, StopKind
from delivery.tasks import relay_pending_shop_notices, relay_shop_notices
from shop import services
from shop.models import MerchantOrderStatus, OrderStatus, PaymentStatus
from shop.services import delivery_reports
from shop.tasks import reconcile_orders_with_deliveries
from tests.concurrency import run_together
from tests.delivery.factories import published_round
from tests.shop.factories import place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready_order(shopper, slot, three_shops):
    order = place(shopper, (three_shops[0], 2), (three_shops[1], 1), slot=slot.pk)
    for part in order.merchant_orders.all():
        services.accept_part(part)
        services.mark_part_ready(part)
    mail.outbox.clear()
    return order


@pytest.fixture
def round_(ready_order):
    return published_round(deliveries=[Delivery.objects.get(order_number=ready_order.number)])


@pytest.fixture
def courier_api(round_):
    client = APIClient()
    client.force_authenticate(round_.courier.user)
    return client


def stops(round_, kind):
    return list(round_.stops.filter(kind=kind).order_by("sequence"))


def pick_everything_up(round_):
    for stop in stops(round_, StopKind.PICKUP):
        delivery.record_pickup(round_.courier.user, stop.pk)


def delivered_mails(order):
    return [m for m in mail.outbox if m.to == [order.contact_email] and "livrée" in m.subject]


def later():
    return timezone.now() + timedelta(days=1)


def broken_shop(*args, **kwargs):
    raise RuntimeError("the shop's handler is broken")


def test_a_broken_shop_handler_leaves_the_courier_answer_a_success(
    courier_api, round_, ready_order, monkeypatch
):
    pick_everything_up(round_)
    monkeypatch.setattr(delivery_reports, "mark_order_delivered", broken_shop)
    drop = stops(round_, StopKind.DROPOFF)[0]

    answer = courier_api.post(
        f"/api/v1/courier/stops/{drop.pk}/deliver/",
        {"recipient": "Camille", "payment_collected": True},
        format="json",
    )

    assert answer.status_code == 200
    assert Delivery.objects.get(order_number=ready_order.number).status == DeliveryStatus.DELIVERED
    notice = ShopNotice.objects.get(kind=NoticeKind.DELIVERED)
    assert notice.handled_at is None
    assert notice.attempts == 1
    assert "the shop's handler is broken" in notice.last_error
    ready_order.refresh_from_db()
    assert ready_order.status == OrderStatus.READY
    assert delivered_mails(ready_order) == []


def test_the_relay_later_delivers_the_order_and_mails_the_shopper_once(
    round_, ready_order, monkeypatch
):
    pick_everything_up(round_)
    drop = stops(round_, StopKind.DROPOFF)[0]
    with monkeypatch.context() as patch:
        patch.setattr(delivery_reports, "mark_order_delivered", broken_shop)
        delivery.record_delivery(round_.courier.user, drop.pk, "Camille", payment_collected=True)

    assert relay_pending_shop_notices() == 0  # not due yet: it waits before trying again
    assert relay_pending_shop_notices.delay().get() == 0
    delivery.relay_due_notices(now=later())
    delivery.relay_due_notices(now=later())

    ready_order.refresh_from_db()
    assert ready_order.status == OrderStatus.COMPLETED
    assert ready_order.payment_status == PaymentStatus.PAID
    assert len(delivered_mails(ready_order)) == 1
    assert not ShopNotice.objects.filter(handled_at__isnull=True).exists()


def test_a_notice_relayed_twice_is_handled_once(round_, ready_order):
    pick_everything_up(round_)
    drop = stops(round_, StopKind.DROPOFF)[0]
    delivery.record_delivery(round_.courier.user, drop.pk, "Camille", payment_collected=True)
    notice = ShopNotice.objects.get(kind=NoticeKind.DELIVERED)

    assert delivery.relay_notice(notice.pk) is True
    relay_shop_notices.delay(notice.delivery_id)
    services.order_delivered(ready_order.number, True)

    assert len(delivered_mails(ready_order)) == 1
    assert ready_order.events.filter(message="Commande livrée.").count() == 1
    notice.refresh_from_db()
    assert notice.attempts == 1


def test_notices_of_one_delivery_reach_the_shop_in_order(round_, ready_order, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(delivery_reports, "mark_part_handed_over", broken_shop)
        pick_everything_up(round_)
        drop = stops(round_, StopKind.DROPOFF)[0]
        delivery.record_delivery(round_.courier.user, drop.pk, "Camille", payment_collected=True)

    # The delivered notice waits behind the failed pickups: it was not even tried.
    assert ShopNotice.objects.get(kind=NoticeKind.DELIVERED).attempts == 0
    delivery.relay_due_notices(now=later())

    ready_order.refresh_from_db()
    assert ready_order.status == OrderStatus.COMPLETED
    assert set(ready_order.merchant_orders.values_list("status", flat=True)) == {
        MerchantOrderStatus.DELIVERED
    }


def test_a_broker_down_leaves_the_notice_for_the_scheduled_relay(
    round_, ready_order, broker_down, caplog
):
    pick_everything_up(round_)

    # Queued through the shared helper: logged as work the scheduled relay will pick up.
    refused = [
        record
        for record in caplog.records
        if record.name == "anima.celery" and relay_shop_notices.name in record.getMessage()
    ]
    assert refused and "a sweep will pick the work up" in refused[0].getMessage()
    assert ShopNotice.objects.filter(handled_at__isnull=True).count() == 2
    broker_down.back()
    delivery.relay_due_notices()
    assert set(ready_order.merchant_orders.values_list("status", flat=True)) == {
        MerchantOrderStatus.HANDED_OVER
    }


def test_the_reconciliation_repairs_an_order_its_delivery_left_behind(round_, ready_order):
    found = Delivery.objects.get(order_number=ready_order.number)
    found.pickups.update(status=PickupStatus.PICKED_UP, picked_up_at=timezone.now())
    Delivery.objects.filter(pk=found.pk).update(
        status=DeliveryStatus.DELIVERED, payment_collected=True
    )

    assert reconcile_orders_with_deliveries.delay().get() == 1
    assert reconcile_orders_with_deliveries() == 0

    ready_order.refresh_from_db()
    assert ready_order.status == OrderStatus.COMPLETED
    assert ready_order.payment_status == PaymentStatus.PAID
    assert len(delivered_mails(ready_order)) == 1


def test_the_reconciliation_closes_a_returned_order(round_, ready_order):
    found = Delivery.objects.get(order_number=ready_order.number)
    found.pickups.update(status=PickupStatus.PICKED_UP, picked_up_at=timezone.now())
    Delivery.objects.filter(pk=found.pk).update(status=DeliveryStatus.RETURNED)

    assert services.repair_orders_behind_deliveries() == 1

    ready_order.refresh_from_db()
    assert ready_order.status == OrderStatus.CANCELLED


def test_the_reconciliation_leaves_orders_whose_notice_is_on_its_way(
    round_, ready_order, monkeypatch
):
    with monkeypatch.context() as patch:
        patch.setattr(delivery_reports, "mark_part_handed_over", broken_shop)
        pick_everything_up(round_)

    assert services.repair_orders_behind_deliveries() == 0
    ready_order.refresh_from_db()
    assert ready_order.status == OrderStatus.READY


def test_the_relay_and_the_reconciliation_are_scheduled():
    from hub.registry import registry

    tasks = {spec.task for spec in registry.periodic}
    assert "delivery.tasks.relay_pending_shop_notices" in tasks
    assert "shop.tasks.reconcile_orders_with_deliveries" in tasks


@pytest.mark.postgres
def test_two_relays_racing_for_one_notice_tell_the_shop_once(round_, ready_order, monkeypatch):
    pick_everything_up(round_)
    drop = stops(round_, StopKind.DROPOFF)[0]
    with monkeypatch.context() as patch:
        patch.setattr(delivery_reports, "mark_order_delivered", broken_shop)
        delivery.record_delivery(round_.courier.user, drop.pk, "Camille", payment_collected=True)
    notice = ShopNotice.objects.get(kind=NoticeKind.DELIVERED)
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs["order_number"])

    signals.parcel_delivered.connect(listen, weak=False, dispatch_uid="test.count")
    try:
        run_together([lambda: delivery.relay_notice(notice.pk)] * 2)
    finally:
        signals.parcel_delivered.disconnect(dispatch_uid="test.count")

    assert len(heard) == 1
    ready_order.refresh_from_db()
    assert ready_order.status == OrderStatus.COMPLETED
    assert len(delivered_mails(ready_order)) == 1

"""Two refunds of one payment at once (a part dropped while staff refund it) never give back
more than was charged: both take the app's row, then the payment, then the part."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction
from django.db.models import Sum

from hub.models import OperationStatus, PartStatus, Payment, Refund
from hub.payments import services as payments
from hub.roles import Role
from shop import payments as shop_payments
from shop import services
from tests.concurrency import someone_waits_on_a_lock
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import StaffFactory
from tests.shop.factories import ProductFactory, connect, deliver_events, place


def _charged_order(client, standin) -> Payment:
    product = ProductFactory()
    connect(product.merchant, standin)
    shopper = product.merchant.owner
    shopper.phone = "06 12 34 56 78"
    shopper.save()
    client.force_login(shopper)
    order = place(shopper, (product, 1), slot=DeliverySlotFactory().pk, payment="online")
    standin.pay(shop_payments.payment_page(order).rsplit("/", 1)[-1])
    deliver_events(client, standin)
    services.accept_part(order.merchant_orders.get())
    payment = Payment.objects.get(reference=order.number)
    assert payment.status == "captured"
    return payment


def _in_own_connection(call, failures: list[BaseException], *done: threading.Event):
    close_old_connections()
    try:
        call()
    except BaseException as error:  # reported by the test
        failures.append(error)
    finally:
        for event in done:
            event.set()
        connection.close()


def _asked(part) -> int:
    refunds = Refund.objects.filter(part=part).exclude(status=OperationStatus.FAILED)
    return refunds.aggregate(s=Sum("amount"))["s"] or 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_part_dropped_while_staff_refund_it_is_refunded_once(client, stripe_standin):
    payment = _charged_order(client, stripe_standin)
    part = payment.parts.get(account__isnull=False)
    assert part.status == PartStatus.CAPTURED
    staff = StaffFactory(roles=[Role.DIRECTION])
    refunded, commit = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def staff_refund():
        # The staff refund is asked, and its transaction still open when the part is dropped.
        with transaction.atomic():
            locked = Payment.objects.get(pk=payment.pk)
            payments.refund_payment(locked, "Geste commercial", part_key=part.key, by=staff)
            refunded.set()
            commit.wait()

    def shop_drop():
        payments.drop_part(payment.purpose, payment.reference, part.key, "Annulée par le commerce")

    refunding = threading.Thread(target=_in_own_connection, args=(staff_refund, failures, refunded))
    refunding.start()
    refunded.wait()
    dropping = threading.Thread(target=_in_own_connection, args=(shop_drop, failures))
    dropping.start()
    for _ in range(3000):  # until the drop is done, or waits for the staff refund's locks
        if not dropping.is_alive() or someone_waits_on_a_lock():
            break
        time.sleep(0.01)
    commit.set()
    refunding.join()
    dropping.join()

    assert failures == []
    part.refresh_from_db()
    payment.refresh_from_db()
    assert _asked(part) == part.amount  # asked once, not twice
    assert Refund.objects.filter(part=part).count() == 1
    assert part.refunded == part.amount
    assert payment.refunded <= payment.captured

"""The courier's delivery reaches the shop through a real worker: the notice written with the
delivery is relayed after commit, the order becomes « livrée » and the shopper is mailed once."""

import pytest

from delivery import services as delivery
from delivery.models import Delivery, ShopNotice, StopKind
from hub.models import OutgoingEmail
from shop import services
from shop.models import Order, OrderStatus
from tests.delivery.factories import DeliverySlotFactory, published_round
from tests.hub.factories import UserFactory
from tests.integration.conftest import wait_for
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = pytest.mark.integration


def test_a_delivery_recorded_by_the_courier_completes_the_order_through_the_worker(
    celery_worker_process,
):
    product = ProductFactory(merchant=MerchantFactory(latitude="50.952800", longitude="1.855500"))
    order = place(UserFactory(phone="06 12 34 56 78"), (product, 1), slot=DeliverySlotFactory().pk)
    part = order.merchant_orders.get()
    services.accept_part(part)
    services.mark_part_ready(part)
    round_ = published_round(deliveries=[Delivery.objects.get(order_number=order.number)])
    user = round_.courier.user
    for stop in round_.stops.order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            delivery.record_pickup(user, stop.pk)
        else:
            delivery.record_delivery(user, stop.pk, "Camille", payment_collected=True)

    assert wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED), (
        "the worker did not relay the notice to the shop"
    )
    assert not ShopNotice.objects.filter(handled_at__isnull=True).exists()
    assert OutgoingEmail.objects.filter(dedupe_key=f"shop:order-delivered:{order.pk}").count() == 1

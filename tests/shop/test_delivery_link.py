"""Checkout creates the delivery; shops and couriers move the order along through it."""

from decimal import Decimal

import pytest
from django.core import mail

from delivery import services as delivery
from delivery.models import (
    Delivery,
    DeliveryStatus,
    PickupStatus,
    RoundStatus,
    StopKind,
    StopState,
)
from hub.services import status_changes
from shop import services
from shop.models import MerchantOrderStatus, OrderStatus, PaymentStatus
from tests.delivery.factories import (
    DeliverySlotFactory,
    RelayPointFactory,
    make_delivery,
    published_round,
)
from tests.shop.factories import place

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(shopper, slot, three_shops):
    return place(shopper, *[(product, 2) for product in three_shops[:2]], slot=slot.pk)


def part_of(order, product):
    return order.merchant_orders.get(merchant=product.merchant)


def get_ready(order, products):
    for product in products:
        part = part_of(order, product)
        services.accept_part(part)
        services.mark_part_ready(part)


def ride(order, fail_with=None, recipient="Camille"):
    """Publish a round with the order's delivery, pick everything up, then deliver or fail."""
    found = Delivery.objects.get(order_number=order.number)
    round_ = published_round(deliveries=[found])
    user = round_.courier.user
    for stop in round_.stops.order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            delivery.record_pickup(user, stop.pk)
        elif fail_with:
            delivery.record_failure(user, stop.pk, fail_with)
        else:
            delivery.record_delivery(user, stop.pk, recipient, payment_collected=True)
    return found


def test_checkout_creates_the_delivery_with_a_pickup_per_shop(order, three_shops):
    found = Delivery.objects.get(order_number=order.number)

    assert found.status == DeliveryStatus.AWAITING
    assert found.slot_id == order.slot_id
    assert found.payment_due == order.total == Decimal("22.90")
    assert found.weight_grams == order.total_weight_grams
    assert sorted(found.pickups.values_list("shop_name", flat=True)) == sorted(
        p.merchant.name for p in three_shops[:2]
    )
    assert "2 × " in found.pickups.first().items


def test_click_and_collect_creates_no_delivery(shopper, three_shops):
    place(shopper, (three_shops[0], 1), fulfilment="collect")
    assert not Delivery.objects.exists()


def test_a_relay_point_order_is_delivered_to_the_relay_point(shopper, slot, three_shops):
    point = RelayPointFactory()
    order = place(
        shopper, (three_shops[0], 1), fulfilment="relay", relay_point=point.pk, slot=slot.pk
    )
    assert Delivery.objects.get(order_number=order.number).relay_point == point


def test_shops_getting_ready_make_the_pickups_collectable(order, three_shops):
    get_ready(order, three_shops[:2])

    found = Delivery.objects.get(order_number=order.number)
    assert found.status == DeliveryStatus.READY
    assert set(found.pickups.values_list("status", flat=True)) == {PickupStatus.READY}


def test_a_refused_part_drops_its_pickup_and_lowers_the_payment(order, three_shops):
    services.refuse_part(part_of(order, three_shops[1]), "Rupture")

    found = Delivery.objects.get(order_number=order.number)
    order.refresh_from_db()
    assert found.pickups.get(shop_id=three_shops[1].merchant_id).status == PickupStatus.DROPPED
    assert found.payment_due == order.total


def test_a_cancelled_order_cancels_its_delivery(order, shopper):
    services.cancel_order(order, shopper)
    assert Delivery.objects.get(order_number=order.number).status == DeliveryStatus.CANCELLED


def test_the_courier_hands_over_and_delivers_and_the_shopper_is_told(order, three_shops):
    get_ready(order, three_shops[:2])
    mail.outbox.clear()

    ride(order)

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.payment_status == PaymentStatus.PAID
    assert set(order.merchant_orders.values_list("status", flat=True)) == {
        MerchantOrderStatus.DELIVERED
    }
    assert any("est livrée" in m.subject for m in mail.outbox if m.to == [order.contact_email])
    messages = list(order.events.values_list("message", flat=True))
    assert any("pris en charge" in m for m in messages)
    assert messages[-1] == "Commande livrée."


def test_a_pickup_hands_over_only_that_shops_part(order, three_shops):
    get_ready(order, three_shops[:2])
    found = Delivery.objects.get(order_number=order.number)
    round_ = published_round(deliveries=[found])
    first = round_.stops.order_by("sequence").first()

    delivery.record_pickup(round_.courier.user, first.pk)

    statuses = dict(order.merchant_orders.values_list("merchant_id", "status"))
    assert statuses[first.pickup.shop_id] == MerchantOrderStatus.HANDED_OVER
    assert list(statuses.values()).count(MerchantOrderStatus.READY) == 1


def test_a_failure_tells_the_shopper_why(order, three_shops):
    get_ready(order, three_shops[:2])
    mail.outbox.clear()

    ride(order, fail_with="address")

    sent = [m for m in mail.outbox if m.to == [order.contact_email]]
    assert "pas pu livrer" in sent[-1].subject
    assert "Adresse introuvable" in sent[-1].body
    assert order.events.last().message == "Livraison impossible : Adresse introuvable."


def test_a_replanned_delivery_moves_the_order_to_the_new_slot_and_relay_point(order, three_shops):
    get_ready(order, three_shops[:2])
    found = ride(order, fail_with="absent")
    later, point = DeliverySlotFactory(days=3), RelayPointFactory(name="Pôle Anima")
    mail.outbox.clear()

    delivery.replan_delivery(found.pk, later.pk, None, point.pk)

    order.refresh_from_db()
    assert order.slot == later
    assert order.fulfilment == "relay" and order.relay_point == point
    assert "Nouvelle livraison" in mail.outbox[-1].subject
    assert "Pôle Anima" in mail.outbox[-1].body


def test_returned_parcels_close_the_order_without_charge(order, three_shops):
    get_ready(order, three_shops[:2])
    found = ride(order, fail_with="refused")

    delivery.return_to_shops(found.pk, None, "Refusée à la porte")

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.total == 0
    assert "Refusée à la porte" in order.events.last().message


def test_returned_parcels_tell_each_merchant_once(order, three_shops):
    get_ready(order, three_shops[:2])
    found = ride(order, fail_with="refused")
    for product in three_shops[:2]:
        product.merchant.email = f"contact-{product.merchant.pk}@commerce.test"
        product.merchant.save(update_fields=["email"])
    mail.outbox.clear()

    delivery.return_to_shops(found.pk, None, "Refusée à la porte")
    services.delivery_returned(order.number, "Refusée à la porte")

    for product in three_shops[:2]:
        sent = [m for m in mail.outbox if m.to == [product.merchant.email]]
        assert len(sent) == 1
        assert "non livrée" in sent[0].subject
        assert "Refusée à la porte" in sent[0].body
        assert "le stock n'est pas remis en vente" in sent[0].body


def test_the_order_page_shows_where_the_delivery_stands_and_the_tracking_link(
    client, order, shopper, three_shops, slot
):
    get_ready(order, three_shops[:2])
    ahead = place(shopper, (three_shops[2], 1), slot=slot.pk, key="k2")
    get_ready(ahead, [three_shops[2]])
    found = Delivery.objects.get(order_number=order.number)
    published_round(deliveries=[Delivery.objects.get(order_number=ahead.number), found])
    client.force_login(shopper)

    page = client.get(order.get_absolute_url()).content.decode()

    assert "Livraison à vélo-cargo" in page
    assert "4 arrêts avant vous" in page
    assert f"/suivi/{found.tracking_token}/" in page


def test_a_click_and_collect_order_page_has_no_delivery_block(client, shopper, three_shops):
    order = place(shopper, (three_shops[0], 1), fulfilment="collect")
    client.force_login(shopper)
    assert "Livraison à vélo-cargo" not in client.get(order.get_absolute_url()).content.decode()


def test_checkout_gives_delivery_each_shop_opening_hours_of_the_delivery_day(
    shopper, slot, three_shops
):
    from datetime import time

    from django.utils import timezone

    from shop.models import OpeningPeriod

    merchant = three_shops[0].merchant
    weekday = timezone.localtime(slot.start).weekday()
    OpeningPeriod.objects.create(
        merchant=merchant, weekday=weekday, opens=time(9, 30), closes=time(12, 30)
    )
    OpeningPeriod.objects.create(
        merchant=merchant, weekday=weekday, opens=time(14), closes=time(19)
    )
    OpeningPeriod.objects.create(
        merchant=merchant, weekday=(weekday + 1) % 7, opens=time(8), closes=time(9)
    )

    order = place(shopper, (three_shops[0], 1), (three_shops[1], 1), slot=slot.pk)

    pickups = Delivery.objects.get(order_number=order.number).pickups
    assert pickups.get(shop_id=merchant.pk).opening_hours == [
        ["09:30", "12:30"],
        ["14:00", "19:00"],
    ]
    assert pickups.get(shop_id=three_shops[1].merchant_id).opening_hours == []


def test_the_order_page_shows_the_arrival_window_and_refreshes_it_in_constant_queries(
    client, shopper, three_shops, django_assert_max_num_queries
):
    client.force_login(shopper)
    for size in (1, 6):
        slot = DeliverySlotFactory(days=size)
        order = place(shopper, (three_shops[0], 1), slot=slot.pk, key=f"eta{size}")
        get_ready(order, [three_shops[0]])
        mine = Delivery.objects.get(order_number=order.number)
        others = [make_delivery(slot, shops=2) for _ in range(size)]
        published_round(deliveries=[*others, mine], slot=slot, days=size)
        arrival = delivery.tracking_for_order(order.number).arrival_label

        with django_assert_max_num_queries(40):
            page = client.get(order.get_absolute_url()).content.decode()

        assert arrival and arrival in page
        assert f'hx-get="/suivi/{mine.tracking_token}/avancement/"' in page


def refuse_every_part(order, products):
    for product in products:
        services.refuse_part(part_of(order, product), "Rupture de stock")


def test_an_order_every_shop_refuses_leaves_no_pickup_to_collect(order, three_shops):
    found = Delivery.objects.get(order_number=order.number)
    round_ = published_round(deliveries=[found])

    refuse_every_part(order, three_shops[:2])

    found.refresh_from_db()
    assert found.status == DeliveryStatus.CANCELLED
    assert set(found.pickups.values_list("status", flat=True)) == {PickupStatus.DROPPED}
    assert not round_.stops.filter(state=StopState.TODO).exists()
    last = found.pickups.get(shop_id=three_shops[1].merchant_id)
    assert [c.to_status for c in status_changes(last)] == [PickupStatus.DROPPED]


def test_an_order_every_shop_refuses_finishes_the_started_round_it_ended(order, three_shops):
    found = Delivery.objects.get(order_number=order.number)
    other = make_delivery(found.slot)
    round_ = published_round(deliveries=[other, found], slot=found.slot)
    user = round_.courier.user
    for stop in round_.stops.filter(delivery=other).order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            delivery.record_pickup(user, stop.pk)
        else:
            delivery.record_delivery(user, stop.pk, "Camille", payment_collected=True)

    refuse_every_part(order, three_shops[:2])

    round_.refresh_from_db()
    assert set(found.pickups.values_list("status", flat=True)) == {PickupStatus.DROPPED}
    assert set(round_.stops.filter(delivery=found).values_list("state", flat=True)) == {
        StopState.CANCELLED
    }
    assert round_.status == RoundStatus.FINISHED

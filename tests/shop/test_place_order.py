"""Checkout: one order split per shop, stock and slot taken atomically, once per key."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from delivery.models import RelayPointHours
from hub.exceptions import Conflict
from shop.models import MerchantOrder, Order, OrderLine, Product
from tests.delivery.factories import DeliverySlotFactory, RelayPointFactory
from tests.shop.conftest import OUTSIDE
from tests.shop.factories import ProductFactory, basket_with, place

pytestmark = pytest.mark.django_db


def test_an_order_is_split_per_shop_with_a_snapshot_of_each_line(shopper, slot, three_shops):
    a, b, c = three_shops
    order = place(shopper, (a, 2), (b, 1), (c, 3), slot=slot.pk)

    assert order.merchant_orders.count() == 3
    assert order.items_total == Decimal("27.00")
    assert order.delivery_fee == Decimal("4.90")
    assert order.total == Decimal("31.90")
    original_name = a.name
    a.name, a.price = "Renommé", Decimal("99")
    a.save()
    line = OrderLine.objects.get(product=a)
    assert (line.name, line.unit_price, line.vat_rate, line.quantity) == (
        original_name,
        Decimal("4.50"),
        Decimal("5.5"),
        2,
    )


def test_it_keeps_what_a_delivery_needs(shopper, slot, three_shops):
    order = place(shopper, (three_shops[0], 2), slot=slot.pk, note="Digicode 1234")

    assert order.address_label == "18 Rue Mollien, 62100 Calais"
    assert order.latitude == Decimal("50.950100")
    assert order.distance_km < 3
    assert order.slot == slot and order.slot_held
    assert order.contact_phone == "+33612345678"
    assert order.contact_email == shopper.email
    assert order.note == "Digicode 1234"
    assert order.total_weight_grams == 1000


def test_stock_and_slot_are_taken_and_the_basket_emptied(shopper, slot, three_shops):
    product = three_shops[0]
    place(shopper, (product, 4), slot=slot.pk)

    product.refresh_from_db()
    slot.refresh_from_db()
    assert product.stock == 6
    assert slot.reserved == 1
    assert not shopper.basket.lines.exists()


def test_made_to_order_products_have_no_stock_to_take(shopper, slot):
    cake = ProductFactory(stock=None)
    place(shopper, (cake, 30), slot=slot.pk)
    cake.refresh_from_db()
    assert cake.stock is None


def test_the_same_key_creates_one_order(shopper, slot, three_shops):
    first = place(shopper, (three_shops[0], 1), slot=slot.pk, key="same")
    basket_with(shopper, (three_shops[1], 1))
    from shop.services import Checkout, place_order

    again = place_order(
        shopper,
        shopper.basket,
        Checkout("home", "card", address="18 Rue Mollien, 62100 Calais", slot=slot.pk),
        "same",
    )

    assert again.pk == first.pk
    assert Order.objects.count() == 1
    slot.refresh_from_db()
    assert slot.reserved == 1


def test_lacking_stock_names_the_product_and_saves_nothing(shopper, slot, three_shops):
    scarce = ProductFactory(name="Pâté de campagne", stock=2)
    with pytest.raises(Conflict, match="Pâté de campagne"):
        place(shopper, (three_shops[0], 1), (scarce, 3), slot=slot.pk)

    assert not Order.objects.exists()
    assert not MerchantOrder.objects.exists()
    three_shops[0].refresh_from_db()
    slot.refresh_from_db()
    assert three_shops[0].stock == 10 and slot.reserved == 0
    assert shopper.basket.lines.count() == 2
    assert mail.outbox == []


def test_a_full_slot_names_the_slot_and_saves_nothing(shopper, three_shops):
    full = DeliverySlotFactory(capacity=2, reserved=2)
    with pytest.raises(Conflict, match="complet"):
        place(shopper, (three_shops[0], 1), slot=full.pk)

    three_shops[0].refresh_from_db()
    assert three_shops[0].stock == 10
    assert not Order.objects.exists()


def test_a_slot_past_its_cut_off_is_refused(shopper, three_shops):
    past = DeliverySlotFactory(days=0)
    past.cutoff = past.start.replace(year=past.start.year - 1)
    past.save()
    with pytest.raises(Conflict, match="plus ouvert"):
        place(shopper, (three_shops[0], 1), slot=past.pk)


def test_an_address_outside_the_zone_is_refused_with_the_alternatives(shopper, slot, three_shops):
    with pytest.raises(ValidationError) as error:
        place(shopper, (three_shops[0], 1), slot=slot.pk, address=OUTSIDE)

    message = error.value.message_dict["address"][0]
    assert "7,6 km" in message and "point relais" in message and "retrait en boutique" in message
    assert not Order.objects.exists()


def test_an_unknown_address_is_refused(shopper, slot, three_shops):
    with pytest.raises(ValidationError) as error:
        place(shopper, (three_shops[0], 1), slot=slot.pk, address="1 rue Imaginaire, Nulle-Part")
    assert "ne trouvons pas" in error.value.message_dict["address"][0]


def test_relay_delivery_needs_a_relay_point_and_costs_less(shopper, slot, relay_point, three_shops):
    with pytest.raises(ValidationError) as error:
        place(shopper, (three_shops[0], 1), fulfilment="relay", slot=slot.pk)
    assert "relay_point" in error.value.message_dict

    order = place(
        shopper, (three_shops[1], 1), fulfilment="relay", relay_point=relay_point.pk, slot=slot.pk
    )
    assert order.relay_point == relay_point
    assert order.delivery_fee == Decimal("2.50")


def test_click_and_collect_takes_no_slot_and_no_fee(shopper, three_shops):
    order = place(shopper, (three_shops[0], 1), fulfilment="collect", phone="")
    assert order.slot is None and order.delivery_fee == 0


def test_cargo_bike_modes_need_a_slot_and_a_phone(shopper, three_shops):
    shopper.phone = ""
    shopper.save()
    with pytest.raises(ValidationError) as error:
        place(shopper, (three_shops[0], 1))
    assert {"slot", "phone"} <= set(error.value.message_dict)


def test_bad_choices_get_field_errors(shopper, three_shops):
    with pytest.raises(ValidationError) as error:
        place(shopper, (three_shops[0], 1), fulfilment="drone", payment="bitcoin")
    assert {"fulfilment", "payment"} <= set(error.value.message_dict)


def test_an_empty_basket_cannot_be_ordered(shopper, slot):
    with pytest.raises(ValidationError, match="vide"):
        place(shopper, slot=slot.pk)


def test_a_product_withdrawn_meanwhile_is_named(shopper, slot, three_shops):
    product = three_shops[0]
    basket = basket_with(shopper, (product, 1))
    Product.objects.filter(pk=product.pk).update(is_active=False)
    from shop.services import Checkout, place_order

    with pytest.raises(Conflict, match=product.name):
        place_order(
            shopper,
            basket,
            Checkout("home", "card", address="18 Rue Mollien, 62100 Calais", slot=slot.pk),
            "k",
        )


def test_the_shopper_and_each_shop_get_an_email(
    shopper, slot, three_shops, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = place(shopper, *[(p, 1) for p in three_shops], slot=slot.pk)

    recipients = sorted(message.to[0] for message in mail.outbox)
    owners = sorted(p.merchant.owner.email for p in three_shops)
    assert recipients == sorted([shopper.email, *owners])
    to_shopper = next(m for m in mail.outbox if m.to == [shopper.email])
    assert order.number in to_shopper.subject
    assert "enregistrée" in to_shopper.subject


def test_a_relay_point_order_is_refused_in_a_slot_the_point_is_closed(shopper, three_shops):
    pole = RelayPointFactory(name="Pôle Anima", opening_hours="Du lundi au vendredi, 9 h – 18 h")
    for weekday in range(5):
        RelayPointHours.objects.create(
            relay_point=pole, weekday=weekday, opens=time(9), closes=time(18)
        )
    day = timezone.localdate() + timedelta(days=1)
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    start = timezone.make_aware(timezone.datetime.combine(saturday, time(10)))
    closed = DeliverySlotFactory(
        start=start, end=start + timedelta(hours=2), cutoff=start - timedelta(hours=2)
    )

    with pytest.raises(ValidationError) as refused:
        place(shopper, (three_shops[0], 1), fulfilment="relay", relay_point=pole.pk, slot=closed.pk)

    assert "Pôle Anima" in refused.value.message_dict["slot"][0]
    assert not Order.objects.exists()

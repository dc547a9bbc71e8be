"""Checkout pages: choose, see the fee before confirming, confirm once; order pages."""

import html
import re

import pytest
from django.urls import reverse

from shop.models import Order
from tests.hub.factories import UserFactory
from tests.shop.conftest import INSIDE, OUTSIDE
from tests.shop.factories import MerchantFactory, ProductFactory, basket_with, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, shopper, three_shops):
    basket_with(shopper, *[(product, 2) for product in three_shops])
    client.force_login(shopper)
    return client


def choices(slot, **extra):
    return {
        "step": "review",
        "fulfilment": "home",
        "address": INSIDE,
        "slot": slot.pk,
        "phone": "06 12 34 56 78",
        "payment": "card",
        "note": "",
        **extra,
    }


def review(client, slot, **extra):
    return client.post(reverse("shop:checkout"), choices(slot, **extra))


def confirm(client, review_page, slot, **extra):
    key = re.search(r'name="checkout_key" value="(\w+)"', review_page.content.decode()).group(1)
    data = choices(slot, step="confirm", checkout_key=key, **extra)
    return client.post(reverse("shop:checkout"), data)


def test_checkout_needs_an_account(client):
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_the_fee_is_shown_before_confirmation(signed_in, slot):
    page = review(signed_in, slot).content.decode()
    assert "Frais de livraison" in page
    assert "4,90\xa0€" in page and "31,90\xa0€" in page
    assert "Confirmer la commande" in page
    assert not Order.objects.exists()


def test_confirming_twice_creates_one_order(signed_in, slot):
    page = review(signed_in, slot)
    first = confirm(signed_in, page, slot)
    second = confirm(signed_in, page, slot)

    order = Order.objects.get()
    assert first["Location"] == second["Location"] == order.get_absolute_url()
    detail = signed_in.get(order.get_absolute_url()).content.decode()
    assert "Commande passée." in detail and order.number in detail
    assert detail.count("Merci !") == 1


def test_an_out_of_zone_address_is_refused_with_relay_points(signed_in, slot, relay_point):
    response = review(signed_in, slot, address=OUTSIDE)
    page = response.content.decode()
    assert response.status_code == 400
    assert "7,6 km" in page and relay_point.name in page and "click &amp; collect" in page


def test_the_address_can_be_checked_live(signed_in, relay_point):
    outside = signed_in.post(reverse("shop:check_address"), {"address": OUTSIDE})
    inside = signed_in.post(reverse("shop:check_address"), {"address": INSIDE})
    assert relay_point.name in outside.content.decode()
    assert "Nous livrons" in inside.content.decode()


def test_a_slot_filled_meanwhile_is_reported_and_nothing_saved(signed_in, slot):
    page = review(signed_in, slot)
    slot.reserved = slot.capacity
    slot.save()
    response = confirm(signed_in, page, slot)
    assert response.status_code == 409
    assert "complet" in response.content.decode()
    assert not Order.objects.exists()


def test_bad_input_gets_field_errors(signed_in, slot):
    response = review(signed_in, slot, fulfilment="", payment="")
    assert response.status_code == 400
    assert "Vérifiez les champs" in response.content.decode()


def test_the_order_pages_belong_to_their_shopper(client, shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    part = order.merchant_orders.get()
    client.force_login(UserFactory())

    assert client.get(order.get_absolute_url()).status_code == 404
    assert client.get(reverse("shop:receipt", args=[order.number, part.pk])).status_code == 404
    assert client.post(reverse("shop:order_cancel", args=[order.number])).status_code == 404


def test_the_order_page_and_receipt_show_quantities_with_their_unit(client, shopper, slot):
    pate = ProductFactory(name="Pâté de campagne", price="2.40", unit="100g")
    order = place(shopper, (pate, 2), slot=slot.pk)
    part = order.merchant_orders.get()
    client.force_login(shopper)

    detail = client.get(order.get_absolute_url()).content.decode()
    receipt = client.get(reverse("shop:receipt", args=[order.number, part.pk])).content.decode()

    for page in (detail, receipt):
        assert '<td class="num">200\xa0g</td>' in page
        assert "2,40\xa0€ les 100 g" in page
    assert part.lines.get().label == "200\xa0g de Pâté de campagne"


def test_a_shop_name_starting_with_a_vowel_is_elided(client, shopper, slot):
    grocer = MerchantFactory(name="Épicerie du Port")
    order = place(shopper, (ProductFactory(merchant=grocer), 1), slot=slot.pk)
    client.force_login(shopper)

    page = html.unescape(client.get(order.get_absolute_url()).content.decode())

    assert "Reçu d'Épicerie du Port (à imprimer)" in page
    assert "Articles d'Épicerie du Port" in page and "de Épicerie" not in page


def test_the_receipt_shows_the_vat_breakdown(client, shopper, slot):
    order = place(shopper, (ProductFactory(), 2), slot=slot.pk)
    part = order.merchant_orders.get()
    client.force_login(shopper)
    page = client.get(reverse("shop:receipt", args=[order.number, part.pk])).content.decode()
    assert "Détail de la TVA" in page and "5,5 %" in page
    assert "8,53\xa0€" in page and "0,47\xa0€" in page


def test_the_shopper_cancels_from_the_order_page(client, shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    client.force_login(shopper)
    response = client.post(reverse("shop:order_cancel", args=[order.number]), follow=True)
    assert "Votre commande est annulée." in response.content.decode()


def test_the_cancel_button_leads_to_a_confirmation_page_that_cancels_nothing(client, shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    client.force_login(shopper)
    cancel_url = reverse("shop:order_cancel", args=[order.number])

    detail = client.get(order.get_absolute_url()).content.decode()
    assert f'class="button button-danger" href="{cancel_url}"' in detail
    confirmation = client.get(cancel_url)

    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Oui, annuler la commande" in page and "Non, garder ma commande" in page
    order.refresh_from_db()
    assert order.status == "placed"


def test_an_order_that_can_no_longer_be_cancelled_has_no_confirmation_page(client, shopper, slot):
    order = place(shopper, (ProductFactory(), 1), slot=slot.pk)
    client.force_login(shopper)
    client.post(reverse("shop:order_cancel", args=[order.number]))

    response = client.get(reverse("shop:order_cancel", args=[order.number]))

    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert client.get(reverse("shop:order_cancel", args=["X-0"])).status_code == 404


@pytest.mark.parametrize("size", [2, 10])
def test_the_order_history_runs_a_constant_number_of_queries(
    client, shopper, slot, size, django_assert_max_num_queries
):
    slot.capacity = 50
    slot.save()
    for n in range(size):
        place(shopper, (ProductFactory(), 1), slot=slot.pk, key=f"k{n}")
    client.force_login(shopper)
    # 9 for the history, 3 for the layout's account menu (groups, shop, organiser).
    with django_assert_max_num_queries(12):
        assert client.get(reverse("shop:order_list")).status_code == 200


def test_a_nul_in_the_hidden_checkout_key_is_a_400_that_saves_nothing(signed_in, slot):
    review(signed_in, slot)
    data = choices(slot, step="confirm", checkout_key="4f2a\x00c9")

    response = signed_in.post(reverse("shop:checkout"), data)

    assert response.status_code == 400
    assert "caractère interdit" in response.content.decode()
    assert not Order.objects.exists()


def test_me_prevenir_par_sms_is_offered_unticked_consent_is_opt_in(signed_in):
    page = signed_in.get(reverse("shop:checkout")).content.decode()

    box = re.search(r'<input type="checkbox" name="news_by_sms"[^>]*>', page).group(0)
    assert "checked" not in box
    assert "Me prévenir par SMS" in page


@pytest.mark.parametrize(("ticked", "expected"), [({"news_by_sms": "on"}, True), ({}, False)])
def test_the_sms_choice_goes_to_the_delivery(signed_in, slot, ticked, expected):
    from delivery.models import Delivery

    confirm(signed_in, review(signed_in, slot, **ticked), slot, **ticked)

    order = Order.objects.get()
    assert order.news_by_sms is expected
    assert Delivery.objects.get(order_number=order.number).news_by_sms is expected

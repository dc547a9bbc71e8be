"""In Chromium on a 360 px phone, the demo's first visit: the guide on the home page, an address
typed the way people type it and picked from the suggestions through to the order, and a town
outside the zone told « hors zone » with its distance — keyboard only for that one."""

import re

import pytest

from shop.models import Order
from tests.browser.conftest import horizontal_overflow
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import PASSWORD, UserFactory
from tests.shop.factories import ProductFactory, basket_with

pytestmark = pytest.mark.django_db(transaction=True)

JACQUARD = "12 Boulevard Jacquard, 62100 Calais"


@pytest.fixture
def shopper_at_checkout(phone):
    """A signed-in shopper with a basket, on the checkout page."""
    shopper = UserFactory(email="camille@exemple.fr", phone="06 12 34 56 78")
    basket_with(shopper, (ProductFactory(name="Tarte au sucre", stock=None), 2))
    DeliverySlotFactory(capacity=8)
    phone.goto(phone.base_url + "/comptes/login/?next=/boutique/commande/")
    phone.get_by_label("Courriel").fill(shopper.email)
    phone.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Connexion").click()
    phone.wait_for_url(re.compile(r"/boutique/commande/"))
    return phone


def fits(page):
    assert horizontal_overflow(page) == 0, page.url


def test_the_shopper_picks_the_suggested_address_and_orders_home_delivery(shopper_at_checkout):
    phone = shopper_at_checkout
    assert phone.get_by_text("liste locale").is_visible()
    address = phone.get_by_label("Adresse de livraison")

    address.press_sequentially("12 bd jacquard")
    suggestion = phone.get_by_role("button", name=re.compile(JACQUARD))
    suggestion.wait_for()
    fits(phone)
    assert "livrable" in suggestion.inner_text()
    suggestion.click()

    phone.get_by_text(f"Nous livrons : {JACQUARD}").wait_for()
    assert address.input_value() == JACQUARD
    assert phone.locator(".address-suggestion").count() == 0
    fits(phone)
    phone.get_by_label("Créneau de livraison").select_option(index=1)
    phone.get_by_role("button", name="Voir le récapitulatif").click()
    phone.get_by_role("heading", name="Récapitulatif de la commande").wait_for()
    assert phone.get_by_text(JACQUARD).first.is_visible()
    fits(phone)
    phone.get_by_role("button", name="Confirmer la commande").click()
    phone.get_by_text("Votre commande").first.wait_for()
    order = Order.objects.get()
    assert (order.fulfilment, order.address_label) == ("home", JACQUARD)


def test_a_town_outside_the_zone_is_out_of_zone_with_its_distance(shopper_at_checkout):
    phone = shopper_at_checkout
    address = phone.get_by_label("Adresse de livraison")

    address.press_sequentially("Gravelines")
    suggestion = phone.get_by_role("button", name=re.compile("59820 Gravelines"))
    suggestion.wait_for()
    assert re.search(r"hors zone \(\d+,\d km\)", suggestion.inner_text())
    address.press("ArrowDown")
    assert phone.evaluate("document.activeElement.dataset.address") == "59820 Gravelines"
    phone.keyboard.press("Enter")

    verdict = phone.get_by_text(re.compile(r"^Hors zone \(\d+,\d km du centre-ville\)"))
    verdict.wait_for()
    assert phone.get_by_text("Nos points relais :").is_visible()
    fits(phone)


def test_the_demo_guide_greets_the_first_visit_on_a_phone(phone, settings):
    settings.EMBEDDED_DEFAULT = True
    UserFactory(email="direction@demo.anima-calais.fr")

    phone.goto(phone.base_url + "/")

    phone.get_by_role("heading", name="Découvrir la démo").wait_for()
    assert phone.get_by_text("Planifier et rouler une tournée sur un téléphone.").is_visible()
    fits(phone)

"""Irreversible actions look dangerous and ask first: « Refuser » is red next to a green
« Accepter » in the merchant queue, and one tap on « Annuler la commande » cancels nothing."""

import re

import pytest

from shop.models import Order
from tests.delivery.factories import DeliverySlotFactory
from tests.hub.factories import PASSWORD, UserFactory
from tests.shop.factories import ProductFactory, place

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email):
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(page.base_url + "/")


def background(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


@pytest.fixture
def product():
    return ProductFactory(name="Pâté de campagne")


@pytest.fixture
def order(product):
    return place(UserFactory(phone="0612345678"), (product, 1), slot=DeliverySlotFactory().pk)


def test_refuse_is_coloured_apart_from_accept_and_asks_for_confirmation(phone, product, order):
    merchant = product.merchant
    sign_in(phone, merchant.owner.email)
    phone.goto(phone.base_url + f"/commercant/{merchant.slug}/commandes/")

    accept = phone.get_by_role("button", name=re.compile("^Accepter"))
    refuse = phone.get_by_role("link", name=re.compile("^Refuser"))
    danger = background(refuse)
    assert background(accept) != danger

    refuse.click()
    phone.get_by_role("heading", name=re.compile("Refuser la commande")).wait_for()
    assert order.merchant_orders.get().status == "placed"
    assert background(phone.get_by_role("button", name="Refuser définitivement")) == danger


def test_one_tap_on_cancel_does_not_cancel_the_order(phone, order):
    sign_in(phone, order.shopper.email)
    phone.goto(phone.base_url + order.get_absolute_url())

    phone.get_by_role("link", name=re.compile("^Annuler la commande")).click()
    phone.get_by_role("heading", name=re.compile("Annuler la commande")).wait_for()
    assert Order.objects.get(pk=order.pk).status == "placed"

    phone.get_by_role("button", name="Oui, annuler la commande").click()
    phone.get_by_text("Votre commande est annulée.").wait_for()
    assert Order.objects.get(pk=order.pk).status == "cancelled"

"""The basket badge of the shop menu counts the visitor's items in one query, then from the
cache until the basket changes."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from shop.models import Basket, BasketLine
from shop.services import Checkout, basket_count, place_order
from shop.services.basket import SESSION_KEY
from tests.hub.factories import PASSWORD, UserFactory
from tests.shop.factories import ProductFactory, basket_with

pytestmark = pytest.mark.django_db


def test_a_shoppers_badge_adds_up_quantities_in_one_query(django_assert_num_queries):
    shopper = UserFactory()
    basket_with(shopper, (ProductFactory(), 2), (ProductFactory(), 3))

    with django_assert_num_queries(1):
        assert basket_count(shopper, {}) == 5


def test_a_visitors_badge_reads_the_basket_of_their_session():
    basket = Basket.objects.create()
    basket.lines.create(product=ProductFactory(), quantity=4)

    assert basket_count(AnonymousUser(), {SESSION_KEY: basket.pk}) == 4


def test_no_basket_or_an_empty_one_shows_zero(django_assert_num_queries):
    shopper = UserFactory()
    with django_assert_num_queries(0):
        assert basket_count(AnonymousUser(), {}) == 0
    assert basket_count(shopper, {}) == 0
    Basket.objects.create(user=shopper)
    assert basket_count(shopper, {}) == 0


def test_a_session_never_counts_a_basket_that_belongs_to_an_account():
    owned = basket_with(UserFactory(), (ProductFactory(), 2))

    assert basket_count(AnonymousUser(), {SESSION_KEY: owned.pk}) == 0


# The badge is kept in the cache between changes (shop.services.basket_count): every change
# of a line, however it is written, shows on the next page.


@pytest.fixture
def tombstones_expire_at_once(settings):
    """What the next page sees once the tombstones of a change (hub.remembered) expired."""
    settings.REMEMBERED_TOMBSTONE_SECONDS = 0


def badge(client) -> int:
    html = client.get(reverse("shop:catalogue")).content.decode()
    return int(re.search(r'<span id="basket-count">(\d+)</span>', html).group(1))


def add(client, product, quantity=1):
    client.post(reverse("shop:basket_add"), {"product": product.pk, "quantity": quantity})


def test_a_known_badge_costs_the_page_no_query(
    client, tombstones_expire_at_once, django_assert_num_queries
):
    shopper = UserFactory()
    basket_with(shopper, (ProductFactory(), 2))
    client.force_login(shopper)
    assert badge(client) == 2

    with django_assert_num_queries(0):
        assert basket_count(shopper, {}) == 2


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_badge_follows_each_add_change_and_removal(
    client, tombstones_expire_at_once, signed_in
):
    if signed_in:
        client.force_login(UserFactory())
    first, second = ProductFactory(stock=None), ProductFactory(stock=None)
    assert badge(client) == 0

    add(client, first, 2)
    assert badge(client) == 2
    add(client, second, 1)
    add(client, first, 1)
    assert badge(client) == 4

    line = BasketLine.objects.get(product=first)
    client.post(reverse("shop:basket_line", args=[line.pk]), {"quantity": 5})
    assert badge(client) == 6
    client.post(reverse("shop:basket_remove", args=[line.pk]))
    assert badge(client) == 1


def test_another_tab_of_the_same_session_sees_the_change(client, tombstones_expire_at_once):
    client.force_login(UserFactory())
    other_tab = Client()
    other_tab.cookies = client.cookies
    assert badge(other_tab) == 0

    add(client, ProductFactory(stock=None), 3)

    assert badge(other_tab) == 3


def test_another_device_of_the_same_account_sees_the_change(client, tombstones_expire_at_once):
    shopper = UserFactory()
    phone = Client()
    phone.force_login(shopper)
    client.force_login(shopper)
    assert badge(phone) == 0

    add(client, ProductFactory(stock=None), 2)

    assert badge(phone) == 2


def test_checkout_empties_the_badge(client, tombstones_expire_at_once, slot):
    shopper = UserFactory()
    client.force_login(shopper)
    product = ProductFactory(stock=None)
    add(client, product, 2)
    assert badge(client) == 2

    checkout = Checkout(
        fulfilment="home",
        payment="card",
        address="18 Rue Mollien, 62100 Calais",
        slot=slot.pk,
        phone="06 12 34 56 78",
    )
    place_order(shopper, shopper.basket, checkout, "k-badge")

    assert badge(client) == 0


def test_the_visitors_basket_follows_them_into_their_account_badge_included(
    client, tombstones_expire_at_once
):
    shopper = UserFactory()
    basket_with(shopper, (ProductFactory(stock=None), 1))
    add(client, ProductFactory(stock=None), 2)
    assert badge(client) == 2

    client.post(reverse("account_login"), {"login": shopper.email, "password": PASSWORD})

    assert badge(client) == 3


def test_a_change_read_late_by_a_slow_request_is_not_kept(client):
    """Tombstones with their usual life: the count read just before a change is served to
    that request only; the next page counts again."""
    shopper = UserFactory()
    client.force_login(shopper)
    add(client, ProductFactory(stock=None), 1)  # the change: its tombstone is there

    assert badge(client) == 1
    add(client, ProductFactory(stock=None), 1)
    assert badge(client) == 2

"""The basket badge of the shop menu counts the visitor's items in one query."""

import pytest
from django.contrib.auth.models import AnonymousUser

from shop.models import Basket
from shop.services import basket_count
from shop.services.basket import SESSION_KEY
from tests.hub.factories import UserFactory
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

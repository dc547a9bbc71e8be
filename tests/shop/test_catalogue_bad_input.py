"""Edited product-list links never end in a 500: a NUL character in a cursor or a search
(PostgreSQL refuses it in a query) and an absurd count carried by a cursor."""

import pytest
from django.urls import reverse

from shop.pagination import Cursor
from tests.shop.factories import ProductFactory

pytestmark = pytest.mark.django_db

LIST = reverse("shop:product_list")


@pytest.fixture
def seven(settings):
    settings.SHOP_PRODUCTS_PER_PAGE = 3
    return [ProductFactory(name=f"Confiture {letter}") for letter in "ABCDEFG"]


def shown(response) -> list[str]:
    return [product.name for product in response.context["page"]]


@pytest.mark.parametrize("parameter", ["apres", "avant"])
def test_a_cursor_with_a_nul_character_shows_the_first_page(client, seven, parameter):
    token = Cursor(2, None, ("Confiture\x00B", 1)).encode()
    response = client.get(LIST, {parameter: token})
    assert response.status_code == 200
    assert shown(response) == ["Confiture A", "Confiture B", "Confiture C"]


def test_a_search_cursor_with_a_nul_character_shows_the_first_results(client, seven):
    token = Cursor(2, None, (0.5, "Confiture\x00B", 1)).encode()
    response = client.get(LIST, {"q": "confiture", "apres": token})
    assert response.status_code == 200 and len(shown(response)) == 3


def test_a_search_with_a_nul_character_is_refused_clearly(client, seven):
    response = client.get(LIST, {"q": "confi\x00ture"})
    assert response.status_code == 400


def test_a_cursor_carrying_an_absurd_count_answers(client, seven):
    token = Cursor(2, 10**200, ("Confiture C", 3)).encode()
    response = client.get(LIST, {"apres": token})
    assert response.status_code == 200

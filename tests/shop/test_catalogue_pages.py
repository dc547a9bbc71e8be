"""Product lists page from a cursor: next and previous, stable while products are added,
the same few queries on any page, and a cursor that cannot be read starts again."""

import re
from html import unescape

import pytest
from django.urls import reverse

from shop.models import Product
from shop.pagination import Cursor
from shop.services.browse import SEARCH_ORDER
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db

LIST = reverse("shop:product_list")


def text(response) -> str:
    return response.content.decode()


def link(response, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}"', text(response))
    return unescape(found.group(1)) if found else None


def shown(response) -> list[str]:
    return [product.name for product in response.context["page"]]


@pytest.fixture
def seven(settings):
    settings.SHOP_PRODUCTS_PER_PAGE = 3
    return [ProductFactory(name=f"Confiture {letter}") for letter in "ABCDEFG"]


def test_next_and_previous_walk_the_list_in_name_order(client, seven):
    first = client.get(LIST)
    assert shown(first) == ["Confiture A", "Confiture B", "Confiture C"]
    assert link(first, "prev") is None and "Page 1" in text(first)

    second = client.get(LIST + link(first, "next"))
    assert shown(second) == ["Confiture D", "Confiture E", "Confiture F"]
    assert "Page 2" in text(second)

    third = client.get(LIST + link(second, "next"))
    assert shown(third) == ["Confiture G"] and link(third, "next") is None

    back = client.get(LIST + link(third, "prev"))
    assert shown(back) == ["Confiture D", "Confiture E", "Confiture F"]
    start = client.get(LIST + link(back, "prev"))
    assert shown(start) == ["Confiture A", "Confiture B", "Confiture C"]
    assert link(start, "prev") is None and "Page 1" in text(start)


def test_the_count_is_shown_and_carried_to_the_next_pages(client, seven):
    first = client.get(LIST)
    assert "7 produits trouvés" in text(first)
    ProductFactory(name="Confiture H")  # counted again only after a minute
    second = client.get(LIST + link(first, "next"))
    assert "7 produits trouvés" in text(second)


def test_a_product_added_before_the_cursor_shifts_nothing(client, seven):
    first = client.get(LIST)
    ProductFactory(name="Confiture AA")  # sorts inside the first page, already seen
    Product.objects.filter(name="Confiture B").update(is_active=False)
    second = client.get(LIST + link(first, "next"))
    assert shown(second) == ["Confiture D", "Confiture E", "Confiture F"]


def test_going_back_past_products_added_since_keeps_a_previous_link(client, seven):
    first = client.get(LIST)
    second = client.get(LIST + link(first, "next"))
    ProductFactory.create_batch(4, name="Confiture 0")  # four new ones before « A »
    back = client.get(LIST + link(second, "prev"))
    assert shown(back) == ["Confiture A", "Confiture B", "Confiture C"]
    assert link(back, "prev") is not None and "Page 1" not in text(back)


def test_filters_and_search_are_kept_from_page_to_page(client, settings):
    settings.SHOP_PRODUCTS_PER_PAGE = 2
    for n in range(5):
        ProductFactory(name=f"Tarte au sucre {n}", category="pastry")
    ProductFactory(name="Tarte au sucre en boîte", category="grocery")
    ProductFactory(name="Maroilles", category="pastry")

    seen, response = [], client.get(LIST, {"q": "tarte sucre", "rayon": "pastry"})
    while True:
        seen += shown(response)
        following = link(response, "next")
        if following is None:
            break
        assert "q=tarte" in following and "rayon=pastry" in following
        response = client.get(LIST + following)
    assert sorted(seen) == [f"Tarte au sucre {n}" for n in range(5)]


def test_a_shop_page_pages_through_its_own_products(client, settings):
    settings.SHOP_PRODUCTS_PER_PAGE = 2
    merchant = MerchantFactory()
    for name in ["Brioche", "Croissant", "Éclair"]:
        ProductFactory(name=name, merchant=merchant)
    ProductFactory(name="Ailleurs")
    first = client.get(merchant.get_absolute_url())
    second = client.get(merchant.get_absolute_url() + link(first, "next"))
    assert len(shown(first)) == 2 and len(shown(second)) == 1
    assert "Ailleurs" not in shown(first) + shown(second)


@pytest.mark.parametrize(
    "token",
    ["abc", "%%%", "W10", Cursor(1, None, ("x",)).encode(), "eyJhIjogMX0", "A" * 3000,
     Cursor(2, -1, ("Confiture A", 1)).encode(), Cursor(0, None, ("Confiture A", 1)).encode(),
     Cursor(2, None, ({"a": 1}, 1)).encode(), Cursor(2, None, (True, 1)).encode(),
     Cursor(2, None, ("Confiture A", "abc")).encode(), Cursor(2, None, (1.5, 1)).encode(),
     Cursor(2, None, ("Confiture A", 1.5)).encode(),
     Cursor(2, None, ("Confiture A", 2**70)).encode()],
)  # fmt: skip
def test_a_cursor_that_cannot_be_read_shows_the_first_page(client, seven, token):
    for parameter in ("apres", "avant"):
        response = client.get(LIST, {parameter: token})
        assert response.status_code == 200
        assert shown(response) == ["Confiture A", "Confiture B", "Confiture C"]


def test_a_search_cursor_with_text_for_relevance_shows_the_first_results(client, seven):
    bad = Cursor(2, None, ("high", "Confiture A", 1)).encode()
    response = client.get(LIST, {"q": "confiture", "apres": bad})
    assert response.status_code == 200 and len(shown(response)) == 3


def test_a_search_cursor_does_not_fit_the_list_order(client, seven):
    search_cursor = Cursor(2, None, (0.5, "Confiture A", 1)).encode()
    response = client.get(LIST, {"apres": search_cursor})
    assert shown(response) == ["Confiture A", "Confiture B", "Confiture C"]


def test_a_cursor_past_the_end_offers_the_first_page(client, seven):
    beyond = Cursor(5, 7, ("Zzz", 10**6)).encode()
    response = client.get(LIST, {"apres": beyond})
    assert response.status_code == 200 and shown(response) == []
    assert "Première page" in text(response)


def test_a_cursor_round_trips_text_and_numbers():
    cursor = Cursor(3, 1000, (0.123456789012345, "Pâté « maison »", 42))
    assert Cursor.decode(cursor.encode(), SEARCH_ORDER) == cursor


@pytest.mark.parametrize("size", [8, 40])
def test_every_page_runs_the_same_few_queries(
    client, settings, size, django_assert_max_num_queries
):
    settings.SHOP_PRODUCTS_PER_PAGE = 3
    merchant = MerchantFactory()
    for n in range(size):
        product = ProductFactory(name=f"Savon {n:03}", merchant=merchant)
        product.label_list = ["bio"] if n % 2 else []
        product.save()
    for params in ({}, {"q": "savon"}, {"label": "bio"}, {"rayon": "grocery"}):
        first = client.get(LIST, params)
        with django_assert_max_num_queries(3):
            second = client.get(LIST + link(first, "next"))
        with django_assert_max_num_queries(3):
            assert client.get(LIST + link(second, "prev")).status_code == 200
    first = client.get(merchant.get_absolute_url())
    with django_assert_max_num_queries(4):
        client.get(merchant.get_absolute_url() + link(first, "next"))

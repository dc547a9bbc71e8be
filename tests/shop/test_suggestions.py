"""Suggestions under the search field, as the shopper types."""

import pytest
from django.urls import reverse

from tests.shop.factories import ProductFactory

pytestmark = pytest.mark.django_db


def suggest(client, query: str):
    return client.get(reverse("shop:suggestions"), {"q": query}, HTTP_HX_REQUEST="true")


def test_an_unfinished_word_suggests_the_products_it_starts(client):
    ProductFactory(name="Maroilles AOP")
    ProductFactory(name="Tarte au sucre")

    answer = suggest(client, "maroi")

    html = answer.content.decode()
    assert answer.status_code == 200
    assert 'role="listbox"' in html and "Maroilles AOP" in html and "Tarte au sucre" not in html
    assert "1 suggestion" in html


def test_products_off_sale_are_never_suggested(client):
    ProductFactory(name="Maroilles retiré", is_active=False)
    assert "Maroilles" not in suggest(client, "maroilles").content.decode()


def test_one_letter_or_nothing_suggests_nothing(client):
    ProductFactory(name="Miel")
    assert 'role="listbox"' not in suggest(client, "m").content.decode()
    assert suggest(client, "").status_code == 200


def test_too_many_requests_from_one_address_are_refused(client, settings):
    settings.SHOP_SUGGESTIONS_PER_MINUTE = 3
    ProductFactory(name="Miel")
    answers = [suggest(client, "miel").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_the_search_field_is_an_accessible_combobox(client):
    html = client.get(reverse("shop:product_list")).content.decode()
    assert 'role="combobox"' in html and 'aria-controls="search-suggestions"' in html
    assert 'id="search-suggestions-status"' in html and 'role="status"' in html

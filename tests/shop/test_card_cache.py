"""Cached product cards never show a stale price or availability to a shopper about to buy."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from shop.models import MerchantStatus, Product
from tests.shop.factories import ProductFactory

pytestmark = pytest.mark.django_db


def page(client, url=None) -> str:
    return client.get(url or reverse("shop:product_list")).content.decode()


def test_a_new_price_shows_at_once_even_written_by_a_bulk_update(client):
    product = ProductFactory(name="Maroilles", price=Decimal("6.50"))
    assert "6,50" in page(client)

    Product.objects.filter(pk=product.pk).update(price=Decimal("7.20"))

    listing = page(client)
    assert "7,20" in listing and "6,50" not in listing
    assert "7,20" in page(client, product.merchant.get_absolute_url())


def test_a_product_sold_out_shows_out_of_stock_at_once(client):
    product = ProductFactory(name="Savon", stock=2)
    assert 'name="quantity"' in page(client)

    Product.objects.filter(pk=product.pk).update(stock=0)  # as checkout does

    listing = page(client)
    assert "Rupture de stock" in listing and 'name="quantity"' not in listing


def test_a_suspended_shop_disappears_with_its_products(client):
    product = ProductFactory(name="Tarte au sucre")
    assert "Tarte au sucre" in page(client)

    product.merchant.status = MerchantStatus.SUSPENDED
    product.merchant.save()

    assert "Tarte au sucre" not in page(client)
    assert "Tarte au sucre" not in page(client, reverse("shop:catalogue"))
    assert client.get(product.get_absolute_url()).status_code == 404


def test_a_deactivated_product_disappears(client):
    product = ProductFactory(name="Chicorée")
    assert "Chicorée" in page(client)

    Product.objects.filter(pk=product.pk).update(is_active=False)  # the admin action

    assert "Chicorée" not in page(client)
    assert client.get(product.get_absolute_url()).status_code == 404


def test_a_cached_card_carries_each_visitors_own_form_token(client):
    product = ProductFactory(name="Miel")
    page(client)  # fills the cache
    visitor = Client(enforce_csrf_checks=True)

    listing = page(visitor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', listing).group(1)
    answer = visitor.post(
        reverse("shop:basket_add"),
        {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token},
    )

    assert "anima-fragment" not in listing
    assert answer.status_code == 302


def test_a_second_visit_serves_the_cards_from_the_cache(client):
    ProductFactory.create_batch(3)
    first = client.get(reverse("shop:product_list"))
    second = client.get(reverse("shop:product_list"))

    def cards(response):
        return [t.name for t in response.templates if t.name == "shop/_product_card.html"]

    assert len(cards(first)) == 3 and cards(second) == []
    assert first.content.count(b'class="product-card"') == 3
    assert second.content.count(b'class="product-card"') == 3

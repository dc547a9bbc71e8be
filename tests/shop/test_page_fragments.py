"""The product page, a shop's page and /boutique/ are served from cached fragments that follow
the rows at once: never a stale price, stock, shop or availability, each visitor's own token."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from shop.models import Merchant, MerchantStatus, Product
from tests.hub.factories import UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db

SHOPS = reverse("shop:catalogue")


def text(client, url) -> str:
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def rendered(client, url) -> list[str]:
    return [template.name for template in client.get(url).templates]


def test_a_new_price_shows_at_once_on_the_product_page(client):
    product = ProductFactory(price=Decimal("6.50"))
    assert "6,50" in text(client, product.get_absolute_url())

    Product.objects.filter(pk=product.pk).update(price=Decimal("7.20"))  # no signal sent

    page = text(client, product.get_absolute_url())
    assert "7,20" in page and "6,50" not in page


def test_the_product_page_follows_the_stock_down_to_out_of_stock(client):
    product = ProductFactory(stock=3)
    assert "3 en stock" in text(client, product.get_absolute_url())

    Product.objects.filter(pk=product.pk).update(stock=1)  # as checkout does
    page = text(client, product.get_absolute_url())
    assert "1 en stock" in page and "3 en stock" not in page

    Product.objects.filter(pk=product.pk).update(stock=0)
    page = text(client, product.get_absolute_url())
    assert "Rupture de stock" in page and 'name="quantity"' not in page


def test_a_sold_out_product_shows_out_of_stock_on_its_shops_page(client):
    product = ProductFactory(stock=2)
    shop_page = product.merchant.get_absolute_url()
    assert 'name="quantity"' in text(client, shop_page)

    Product.objects.filter(pk=product.pk).update(stock=0)

    page = text(client, shop_page)
    assert "Rupture de stock" in page and 'name="quantity"' not in page


def test_a_deactivated_product_leaves_its_shops_page_and_its_own(client):
    product = ProductFactory(name="Gaufre fourrée")
    assert "Gaufre fourrée" in text(client, product.merchant.get_absolute_url())
    text(client, product.get_absolute_url())

    Product.objects.filter(pk=product.pk).update(is_active=False)  # the admin action

    assert "Gaufre fourrée" not in text(client, product.merchant.get_absolute_url())
    assert client.get(product.get_absolute_url()).status_code == 404


def test_a_suspended_shop_leaves_boutique_and_its_pages_answer_not_found(client):
    product = ProductFactory(merchant=MerchantFactory(name="Au Bon Pain"))
    assert "Au Bon Pain" in text(client, SHOPS)
    text(client, product.get_absolute_url())

    Merchant.objects.filter(pk=product.merchant.pk).update(status=MerchantStatus.SUSPENDED)

    assert "Au Bon Pain" not in text(client, SHOPS)
    assert client.get(product.merchant.get_absolute_url()).status_code == 404
    assert client.get(product.get_absolute_url()).status_code == 404


def test_a_renamed_shop_shows_its_new_name_on_every_page(client):
    product = ProductFactory(merchant=MerchantFactory(name="Chez Paul"))
    for url in (SHOPS, reverse("shop:product_list"), product.get_absolute_url()):
        assert "Chez Paul" in text(client, url)

    Merchant.objects.filter(pk=product.merchant.pk).update(name="Chez Pauline")

    for url in (SHOPS, reverse("shop:product_list"), product.get_absolute_url()):
        page = text(client, url)
        assert "Chez Pauline" in page and "Chez Paul" not in page.replace("Chez Pauline", "")


def test_a_second_visit_renders_no_card_and_no_product_form(client):
    product = ProductFactory()
    urls = (SHOPS, product.merchant.get_absolute_url(), product.get_absolute_url())
    first = [name for url in urls for name in rendered(client, url)]
    second = [name for url in urls for name in rendered(client, url)]

    assert "shop/_merchant_card.html" in first and "shop/_add_form.html" in first
    assert "shop/_merchant_card.html" not in second and "shop/_add_form.html" not in second
    # The basket is never kept: once the visitor has one (and a session), the shop menu is
    # rendered for them on every page (without a session their basket is empty: whole page).
    client.post(reverse("shop:basket_add"), {"product": product.pk, "quantity": 2})
    with_basket = [(url, rendered(client, url)) for url in urls]
    for url, names in with_basket:
        assert "shop/_subnav.html" in names and "shop/_add_form.html" not in names, url
    assert '<span id="basket-count">2</span>' in text(client, SHOPS)


def test_each_visitor_gets_their_own_form_token_and_return_address(client):
    product = ProductFactory()
    text(client, product.get_absolute_url())  # fills the cache
    visitor = Client(enforce_csrf_checks=True)

    page = text(visitor, product.get_absolute_url() + "?depuis=recherche")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    answer = visitor.post(
        reverse("shop:basket_add"),
        {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token},
    )

    assert "anima-fragment" not in page
    assert f'name="next" value="{product.get_absolute_url()}?depuis=recherche"' in page
    assert answer.status_code == 302


def test_a_signed_in_shopper_sees_their_own_basket_next_to_cached_cards(client):
    product = ProductFactory()
    text(client, reverse("shop:product_list"))  # an anonymous visit fills the cache
    shopper = Client()
    shopper.force_login(UserFactory())
    shopper.post(reverse("shop:basket_add"), {"product": product.pk, "quantity": 2})

    page = text(shopper, reverse("shop:product_list"))

    assert '<span id="basket-count">2</span>' in page
    assert reverse("shop:order_list") in page
    assert '<span id="basket-count">0</span>' in text(client, reverse("shop:product_list"))


def test_lists_differing_by_an_unknown_parameter_share_one_cached_fragment(client):
    product = ProductFactory(name="Tarte au sucre")
    lists = (
        (SHOPS + "?categorie=", "includes/pagination.html"),
        (reverse("shop:product_list") + "?q=tarte", "includes/keyset_pagination.html"),
        (product.merchant.get_absolute_url() + "?q=tarte", "includes/keyset_pagination.html"),
    )
    for url, inside in lists:
        assert inside in rendered(client, f"{url}&utm_source=robot-1"), url

        assert inside not in rendered(client, f"{url}&utm_source=robot-2&page=x"), url

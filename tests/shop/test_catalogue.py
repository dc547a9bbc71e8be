"""The public catalogue: shops, search ignoring accents and case, filters, stock display."""

import pytest
from django.urls import reverse

from shop.models import BasketLine, MerchantStatus
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_approved_shops_are_listed_and_filtered_by_category(client):
    MerchantFactory(name="Boulangerie du Beffroi", category="bakery")
    MerchantFactory(name="Boucherie Lafayette", category="butcher")
    MerchantFactory(name="En attente", status=MerchantStatus.PENDING)
    MerchantFactory(name="Suspendu", status=MerchantStatus.SUSPENDED)

    page = text(client.get(reverse("shop:catalogue")))
    bakeries = text(client.get(reverse("shop:catalogue"), {"categorie": "bakery"}))

    assert "Boulangerie du Beffroi" in page and "Boucherie Lafayette" in page
    assert "En attente" not in page and "Suspendu" not in page
    assert "Boucherie Lafayette" not in bakeries


def test_search_ignores_accents_and_case_across_product_and_shop_names(client):
    ProductFactory(name="Pâté de campagne")
    ProductFactory(name="Baguette", merchant=MerchantFactory(name="Épicerie du Courgain"))
    ProductFactory(name="Maroilles")

    by_product = text(client.get(reverse("shop:product_list"), {"q": "pate"}))
    by_shop = text(client.get(reverse("shop:product_list"), {"q": "EPICERIE courgain"}))

    assert "Pâté de campagne" in by_product and "Maroilles" not in by_product
    assert "Baguette" in by_shop and "Maroilles" not in by_shop


def test_products_filter_by_category_and_label(client):
    organic = ProductFactory(name="Pommes bio", category="fruit_veg")
    organic.label_list = ["bio"]
    organic.save()
    ProductFactory(name="Poireaux", category="fruit_veg")
    ProductFactory(name="Comté", category="cheese")

    veg = text(client.get(reverse("shop:product_list"), {"rayon": "fruit_veg"}))
    bio = text(client.get(reverse("shop:product_list"), {"label": "bio"}))

    assert "Pommes bio" in veg and "Poireaux" in veg and "Comté" not in veg
    assert "Pommes bio" in bio and "Poireaux" not in bio


def test_inactive_products_and_suspended_shops_never_appear(client):
    hidden = ProductFactory(name="Retiré", is_active=False)
    suspended = ProductFactory(name="Chez un suspendu")
    suspended.merchant.status = MerchantStatus.SUSPENDED
    suspended.merchant.save()

    page = text(client.get(reverse("shop:product_list")))
    assert "Retiré" not in page and "Chez un suspendu" not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(suspended.get_absolute_url()).status_code == 404
    assert client.get(suspended.merchant.get_absolute_url()).status_code == 404


def test_an_out_of_stock_product_shows_as_such_and_cannot_be_added(client):
    product = ProductFactory(name="Savon", stock=0)
    page = text(client.get(product.get_absolute_url()))

    assert "Rupture de stock" in page
    assert 'name="quantity"' not in page
    response = client.post(
        reverse("shop:basket_add"), {"product": product.pk, "quantity": 1}, follow=True
    )
    assert "« Savon » est en rupture de stock." in text(response)
    assert not BasketLine.objects.exists()


def test_a_shop_page_lists_its_products_only(client):
    product = ProductFactory(name="Tarte au sucre")
    ProductFactory(name="Ailleurs")
    page = text(client.get(product.merchant.get_absolute_url()))
    assert "Tarte au sucre" in page and "Ailleurs" not in page


@pytest.mark.parametrize(
    ("quantity", "unit", "expected"),
    [
        (2, "100g", "200\xa0g de Pâté"),
        (15, "100g", "1,5\xa0kg de Pâté"),
        (2, "kg", "2\xa0kg de Pâté"),
        (1, "bunch", "1 botte de Pâté"),
        (3, "lot", "3 lots de Pâté"),
        (2, "piece", "2 × Pâté"),
    ],
)
def test_a_line_reads_with_its_unit(quantity, unit, expected):
    from shop.models.catalogue import line_label

    assert line_label(quantity, unit, "Pâté") == expected

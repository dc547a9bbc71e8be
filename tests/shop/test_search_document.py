"""On PostgreSQL the search reads a stored text vector that the database keeps up to date,
however the row is written (form, bulk update, a shop renamed)."""

import pytest
from django.db import connection

from shop.models import Product
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def found(query: str) -> list[str]:
    return [product.name for product in Product.objects.on_sale().search(query)]


def stored_document(product: Product) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_document::text FROM shop_product WHERE id = %s", [product.pk])
        return cursor.fetchone()[0]


def test_the_document_weighs_name_shop_and_description():
    product = ProductFactory(
        name="Maroilles",
        description="Affiné en Thiérache.",
        merchant=MerchantFactory(name="Fromagerie du Courgain"),
    )
    document = stored_document(product)
    assert "'maroill':1A" in document
    assert "'courgain':" in document and "B" in document.split("'courgain':")[1][:4]
    assert "'thierach':" in document and "C" in document.split("'thierach':")[1][:4]


def test_a_bulk_update_is_searchable_at_once():
    product = ProductFactory(name="Gaufre")
    Product.objects.filter(pk=product.pk).update(name="Merveilleux", description="Meringue.")
    assert found("merveilleux") == ["Merveilleux"]
    assert found("meringues") == ["Merveilleux"]


def test_a_renamed_shop_is_searchable_at_once():
    product = ProductFactory(name="Baguette", merchant=MerchantFactory(name="Fournil Richelieu"))
    product.merchant.name = "Boulangerie du Beffroi"
    product.merchant.save()
    assert found("beffroi") == ["Baguette"]
    assert found("richelieu") == []


def test_a_withdrawn_product_is_not_found():
    ProductFactory(name="Endives", is_active=False)
    assert found("endives") == []

"""On PostgreSQL, every product list reads its page from an index: no scan and sort of the
whole catalogue (the plans at 100,000 products are in docs/performance.md)."""

import pytest
from django.db import connection

from shop.models import Product
from shop.services import ProductFilters
from shop.services.browse import BROWSE_ORDER, filtered_products
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SIZE = 30_000
CATEGORIES = ["bread", "pastry", "meat", "fruit_veg", "cheese", "grocery", "drinks", "crafts"]


@pytest.fixture
def big_catalogue(db):
    """SIZE products over five shops, every fifth one labelled « bio », one in ten withdrawn."""
    shops = [MerchantFactory() for _ in range(5)]
    template = ProductFactory(merchant=shops[0], name="Modèle")
    columns = [field.column for field in Product._meta.concrete_fields if field.column != "id"]
    varying = {
        "merchant_id": f"(ARRAY{[shop.pk for shop in shops]})[1 + mod(g, 5)]",
        "name": "'Produit ' || md5(g::text)",
        "search_text": "'produit ' || md5(g::text)",
        "slug": "'p-' || g",
        "category": f"(ARRAY{CATEGORIES})[1 + mod(g, {len(CATEGORIES)})]",
        "is_active": "mod(g, 10) <> 0",
    }
    selected = ", ".join(varying.get(column, f"t.{column}") for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO shop_product ({', '.join(columns)}) "
            f"SELECT {selected} FROM shop_product t, generate_series(1, %s) g WHERE t.id = %s",
            [SIZE, template.pk],
        )
        cursor.execute(
            "INSERT INTO shop_productlabel (product_id, label) "
            "SELECT id, 'bio' FROM shop_product WHERE id % 5 = 0"
        )
        cursor.execute("ANALYZE shop_product; ANALYZE shop_productlabel; ANALYZE shop_merchant")
    return shops


def plan_of(queryset) -> str:
    return queryset.explain()


def page_query(filters: ProductFilters, merchant=None, after=None):
    products = filtered_products(filters, merchant).order_by("name", "pk")
    if after is not None:
        from shop.pagination import _beyond

        products = products.filter(_beyond(BROWSE_ORDER, after))
    return products[:25]


def assert_read_from(plan: str, index: str) -> None:
    assert index in plan, plan
    assert "Sort" not in plan, plan
    assert "Seq Scan on shop_product" not in plan, plan


def test_the_whole_list_reads_the_on_sale_name_index(big_catalogue):
    assert_read_from(plan_of(page_query(ProductFilters())), "product_on_sale_by_name")


def test_a_deep_page_starts_its_index_scan_at_the_cursor(big_catalogue):
    last = Product.objects.filter(is_active=True).order_by("name", "pk")[SIZE // 2]
    plan = plan_of(page_query(ProductFilters(), after=(last.name, last.pk)))
    assert_read_from(plan, "product_on_sale_by_name")
    assert "Index Cond" in plan and "name" in plan.split("Index Cond", 1)[1].split("\n")[0]


def test_a_category_reads_the_on_sale_category_index(big_catalogue):
    plan = plan_of(page_query(ProductFilters(rayon="cheese")))
    assert_read_from(plan, "product_on_sale_by_category")


def test_a_shop_reads_the_on_sale_shop_index(big_catalogue):
    plan = plan_of(page_query(ProductFilters(), merchant=big_catalogue[2]))
    assert_read_from(plan, "product_on_sale_by_shop")


def test_a_label_walks_the_name_index_and_checks_the_label_index(big_catalogue):
    plan = plan_of(page_query(ProductFilters(label="bio")))
    assert_read_from(plan, "product_on_sale_by_name")
    assert "Index Cond: (product_id = shop_product.id)" in plan, plan


def search_plan(query: str) -> str:
    return plan_of(filtered_products(ProductFilters(q=query)).order_by("-relevance")[:25])


def test_a_search_reads_the_stored_vector_not_the_text(big_catalogue):
    plan = search_plan("modele")
    assert "product_search_vector" in plan and "product_search_trigram" not in plan, plan
    assert "Seq Scan on shop_product" not in plan and "to_tsvector" not in plan, plan


def test_only_a_word_found_nowhere_goes_through_the_trigram_index(big_catalogue):
    plan = search_plan("moddele")
    assert "product_search_trigram" in plan and "product_search_vector" not in plan, plan
    assert "Seq Scan on shop_product" not in plan, plan

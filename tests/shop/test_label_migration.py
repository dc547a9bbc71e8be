"""Labels stored as « |bio|local| » strings become one row per label, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("shop", "0001_initial")]
AFTER = [("shop", "0002_product_labels_as_rows")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_label_strings_become_rows_and_come_back():
    old = migrate(BEFORE)
    merchant = old.get_model("shop", "Merchant").objects.create(
        name="Épicerie",
        slug="epicerie",
        siret="73282932000074",
        category="grocery",
        address="18 Rue Mollien, 62100 Calais",
        phone="0321000000",
        description="-",
        opening_hours="-",
        status="approved",
        search_name="epicerie",
    )
    Product = old.get_model("shop", "Product")
    common = {
        "merchant": merchant,
        "category": "grocery",
        "price": "2.00",
        "vat_rate": "5.5",
        "weight_grams": 100,
    }
    both = Product.objects.create(name="Miel", slug="miel", labels="|bio|local|", **common)
    none = Product.objects.create(name="Sel", slug="sel", labels="", **common)

    new = migrate(AFTER)
    rows = new.get_model("shop", "ProductLabel").objects
    assert sorted(rows.filter(product_id=both.pk).values_list("label", flat=True)) == [
        "bio",
        "local",
    ]
    assert not rows.filter(product_id=none.pk).exists()

    back = migrate(BEFORE)
    assert back.get_model("shop", "Product").objects.get(pk=both.pk).labels == "|bio|local|"
    migrate(executor_leaf())


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()

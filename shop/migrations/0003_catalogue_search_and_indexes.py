"""French product search and the indexes that keep the catalogue's cost independent of its size.

PostgreSQL gets the ``unaccent`` and ``pg_trgm`` extensions (trusted extensions since
PostgreSQL 13: the database owner may create them; otherwise a superuser creates them once,
see docs/architecture.md), a ``french_unaccent`` text search configuration, and GIN indexes on
the product document and on the folded search text. SQLite gets its FTS5 table after every
migrate (``shop.search.ensure_sqlite_index``).
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

from shop.models.text import fold

CONFIG = "french_unaccent"


def fill_search_columns(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    products = list(Product.objects.select_related("merchant"))
    for product in products:
        product.search_context = " · ".join(
            [
                product.merchant.name,
                product.merchant.get_category_display(),
                product.get_category_display(),
            ]
        )
        product.search_text = fold(f"{product.name} {product.search_context}")
    Product.objects.bulk_update(products, ["search_context", "search_text"], batch_size=500)


def search_indexes(Product):
    document = (
        SearchVector("name", config=CONFIG, weight="A")
        + SearchVector("search_context", config=CONFIG, weight="B")
        + SearchVector("description", config=CONFIG, weight="C")
    )
    return [
        GinIndex(document, name="product_search_document"),
        GinIndex(OpClass("search_text", name="gin_trgm_ops"), name="product_search_trigram"),
    ]


def create_sqlite_search(apps, schema_editor):
    from shop.search import ensure_sqlite_index

    ensure_sqlite_index(schema_editor.connection.alias)


def drop_sqlite_search(apps, schema_editor):
    from shop.search import drop_sqlite_index

    drop_sqlite_index(schema_editor.connection.alias)


def create_extensions(apps, schema_editor):
    # Kept on reverse: other objects of the database may use them.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def create_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.french);"
        f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word "
        "WITH unaccent, french_stem;"
    )
    Product = apps.get_model("shop", "Product")
    for index in search_indexes(Product):
        schema_editor.add_index(Product, index)


def drop_postgres_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Product = apps.get_model("shop", "Product")
    for index in search_indexes(Product):
        schema_editor.remove_index(Product, index)
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0002_product_labels_as_rows"),
    ]

    operations = [
        migrations.RemoveField(model_name="product", name="search_name"),
        migrations.AddField(
            model_name="product",
            name="search_context",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="product",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_columns, migrations.RunPython.noop),
        migrations.RunPython(create_extensions, migrations.RunPython.noop),
        migrations.RunPython(create_postgres_search, drop_postgres_search),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True)),
                fields=["name", "id"],
                name="product_on_sale_by_name",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True)),
                fields=["category", "name", "id"],
                name="product_on_sale_by_category",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_active", True)),
                fields=["merchant", "name", "id"],
                name="product_on_sale_by_shop",
            ),
        ),
        # Last, so that on reverse the triggers go before the columns they read.
        migrations.RunPython(create_sqlite_search, drop_sqlite_search),
    ]

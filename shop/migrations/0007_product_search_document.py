"""A stored ``tsvector`` of each product on PostgreSQL, instead of an expression index.

``search_document`` is a generated column (PostgreSQL 12+: computed on every insert and
update, by the database, whoever writes the row), indexed by a GIN index on the products on
sale. Search ranks from it without rebuilding the text vector of every match. The column is
PostgreSQL's only: Django does not know it (``shop.search.SearchDocument`` reads it), so
SQLite, which searches with FTS5, has nothing to keep.

Adding a stored generated column rewrites the table under an exclusive lock (seconds for
100,000 products), so the index is built in the same step rather than concurrently.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "french_unaccent"
DOCUMENT = " || ".join(
    f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce({column}, '')), '{weight}')"
    for column, weight in [("name", "A"), ("search_context", "B"), ("description", "C")]
)


def old_index():
    document = (
        SearchVector("name", config=CONFIG, weight="A")
        + SearchVector("search_context", config=CONFIG, weight="B")
        + SearchVector("description", config=CONFIG, weight="C")
    )
    return GinIndex(document, name="product_search_document")


def add_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Product = apps.get_model("shop", "Product")
    schema_editor.remove_index(Product, old_index())
    schema_editor.execute(
        "ALTER TABLE shop_product ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX product_search_vector ON shop_product USING gin (search_document) "
        "WHERE is_active"
    )


def remove_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Product = apps.get_model("shop", "Product")
    schema_editor.execute("ALTER TABLE shop_product DROP COLUMN IF EXISTS search_document")
    schema_editor.add_index(Product, old_index())


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0006_phones_e164"),
    ]

    operations = [
        migrations.RunPython(add_document, remove_document),
    ]

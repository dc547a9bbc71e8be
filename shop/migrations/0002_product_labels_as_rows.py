"""Product labels move from a « |bio|local| » string to one row per label (indexed by label)."""

import django.db.models.deletion
from django.db import migrations, models

CODES = ["bio", "local", "fait_main", "ess"]


def labels_to_rows(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    ProductLabel = apps.get_model("shop", "ProductLabel")
    rows = [
        ProductLabel(product_id=pk, label=code)
        for pk, labels in Product.objects.exclude(labels="").values_list("pk", "labels").iterator()
        for code in labels.split("|")
        if code in CODES
    ]
    ProductLabel.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


def rows_to_labels(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    ProductLabel = apps.get_model("shop", "ProductLabel")
    by_product: dict[int, set[str]] = {}
    for pk, code in ProductLabel.objects.values_list("product_id", "label").iterator():
        by_product.setdefault(pk, set()).add(code)
    for pk, codes in by_product.items():
        ordered = [code for code in CODES if code in codes]
        Product.objects.filter(pk=pk).update(labels=f"|{'|'.join(ordered)}|")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProductLabel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        choices=[
                            ("bio", "Bio"),
                            ("local", "Local"),
                            ("fait_main", "Fait main"),
                            ("ess", "ESS"),
                        ],
                        max_length=20,
                        verbose_name="label",
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="label_rows",
                        to="shop.product",
                    ),
                ),
            ],
            options={
                "verbose_name": "label d'un produit",
                "verbose_name_plural": "labels des produits",
                "indexes": [
                    models.Index(fields=["label", "product"], name="product_label_by_label")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("product", "label"), name="product_label_once")
                ],
            },
        ),
        migrations.RunPython(labels_to_rows, rows_to_labels),
        migrations.RemoveField(model_name="product", name="labels"),
    ]

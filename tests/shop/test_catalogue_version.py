"""The catalogue's version changes on every write that can change a catalogue page, whichever
way it is written (a save, a bulk update, checkout's stock decrement, a cancellation, an admin
action, a CSV import, a workflow move), at once and again after commit; no write path to the
catalogue's rows escapes it; a failed bump means no cached page until one succeeds."""

import ast
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse

from hub.services import transition_many
from shop import catalogue_version as versions
from shop.catalogue_version import CatalogueQuerySet, bump_catalogue_version, catalogue_version
from shop.models import (
    CATALOGUE_MODELS,
    Merchant,
    MerchantStatus,
    Product,
    ProductLabel,
)
from shop.services import cancel_order, import_products_csv
from tests.hub.factories import UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory, place

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# bench/ grows its own database's catalogue with raw deletes, then clears the whole cache.
SKIPPED_DIRS = {".venv", "tests", "migrations", "node_modules", "var", "static", ".git", "bench"}


@pytest.fixture(autouse=True)
def _no_bump_owed():
    """A test that makes a bump fail leaves this process owing none to the next test."""
    yield
    versions._owed = False


def changes(write) -> bool:
    """Whether ``write()`` gives the catalogue a new version (read before and after)."""
    before = catalogue_version()
    assert before is not None
    write()
    after = catalogue_version()
    return after is not None and after != before


# --- every manager and every write path --------------------------------------------------------


@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=lambda model: model.__name__)
def test_every_manager_of_a_catalogue_model_bumps_the_version(model):
    managers = [*model._meta.managers, model._default_manager]

    assert all(issubclass(manager._queryset_class, CatalogueQuerySet) for manager in managers)


def test_related_managers_of_the_catalogue_bump_the_version_too():
    product = ProductFactory()

    related = [product.merchant.products, product.label_rows]

    assert all(isinstance(manager.all(), CatalogueQuerySet) for manager in related)


def test_querysets_every_other_model_reaches_the_catalogue_through_bump_too():
    """Relations from any model to a catalogue model (``line.product``…) read through the
    catalogue model's managers; their reverse managers are built from its default one."""
    product = ProductFactory()
    merchant = product.merchant
    for model in CATALOGUE_MODELS:
        for relation in model._meta.related_objects:
            if relation.related_model in CATALOGUE_MODELS and not relation.one_to_one:
                owner = merchant if model is Merchant else product
                if isinstance(owner, model):
                    manager = getattr(owner, relation.get_accessor_name())
                    assert isinstance(manager.all(), CatalogueQuerySet), relation


# Writes that would bypass the querysets: private write methods, the base manager, raw SQL.
PRIVATE_WRITES = {
    "_update",
    "_raw_delete",
    "_insert",
    "_batched_insert",
    "update_batch",
    "delete_batch",
    "_base_manager",
    "raw",
}
RAW_CATALOGUE_WRITE = re.compile(
    r"\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM|REPLACE\s+INTO)\s+[\"`]?shop_(product|merchant|productlabel)\b",
    re.IGNORECASE,
)


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if not SKIPPED_DIRS.intersection(relative.parts[:-1]):
            yield relative.as_posix(), ast.parse(path.read_text(), filename=str(path))


def test_no_code_writes_the_catalogue_around_its_querysets():
    found = []
    for name, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE_WRITES:
                found.append(f"{name}:{node.lineno} .{node.attr}")
            if isinstance(node, ast.Attribute) and node.attr in ("update", "bulk_update", "delete"):
                # ``QuerySet.update(qs, …)``: the plain class's method, not the bumping one.
                if isinstance(node.value, ast.Name) and node.value.id == "QuerySet":
                    found.append(f"{name}:{node.lineno} QuerySet.{node.attr}")
                if isinstance(node.value, ast.Attribute) and node.value.attr == "QuerySet":
                    found.append(f"{name}:{node.lineno} models.QuerySet.{node.attr}")
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and RAW_CATALOGUE_WRITE.search(text):
                found.append(f"{name}:{node.lineno} raw SQL write")

    assert found == []


def test_the_scan_would_see_a_raw_update_and_a_private_write():
    tree = ast.parse(
        'cursor.execute("UPDATE shop_product SET stock = 0")\n'
        "Product.objects.filter(pk=1)._update({})\n"
    )
    constants = [n for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    attributes = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)]

    assert RAW_CATALOGUE_WRITE.search(constants[0].value)
    assert "_update" in attributes


def test_saving_or_deleting_a_product_changes_the_version():
    product = ProductFactory(price=Decimal("3.00"))

    def new_price():
        product.price = Decimal("3.20")
        product.save()

    assert changes(new_price)
    assert changes(product.delete)


@pytest.mark.parametrize(
    "write",
    [
        lambda product: Product.objects.filter(pk=product.pk).update(price=Decimal("9.90")),
        lambda product: Product.objects.filter(pk=product.pk).update(stock=F("stock") - 1),
        lambda product: Product.objects.bulk_update([product], ["stock"]),
        lambda product: product.merchant.products.update(is_active=False),
        lambda product: Product.objects.filter(pk=product.pk).delete(),
        lambda product: ProductLabel.objects.bulk_create(
            [ProductLabel(product=product, label="bio")]
        ),
        lambda product: product.label_rows.all().delete(),
        lambda product: ProductLabel.objects.filter(product=product).update(label="local"),
        lambda product: Merchant.objects.filter(pk=product.merchant_id).update(name="Chez Paul"),
        lambda product: Merchant.objects.bulk_update([product.merchant], ["opening_hours"]),
    ],
    ids=[
        "update price",
        "F stock decrement",
        "bulk_update",
        "related manager update",
        "queryset delete",
        "labels bulk_create",
        "labels related delete",
        "labels update",
        "merchant update",
        "merchant bulk_update",
    ],
)
def test_a_write_that_sends_no_signal_changes_the_version(write):
    product = ProductFactory()
    ProductLabel.objects.create(product=product, label="ess")

    assert changes(lambda: write(product))


def test_new_labels_and_a_renamed_shop_change_the_version():
    product = ProductFactory()

    def relabel():
        product.label_list = ["bio", "local"]
        product.save()

    def rename():
        product.merchant.name = "Le Fournil"
        product.merchant.save()

    assert changes(relabel)
    assert changes(rename)


def test_checkout_and_a_cancellation_giving_stock_back_change_the_version(shopper, slot):
    product = ProductFactory(stock=3)
    orders = []

    assert changes(lambda: orders.append(place(shopper, (product, 3), slot=slot.pk)))
    assert Product.objects.get(pk=product.pk).stock == 0
    assert changes(lambda: cancel_order(orders[0], shopper))
    assert Product.objects.get(pk=product.pk).stock == 3


def test_suspending_a_shop_through_its_workflow_changes_the_version():
    merchant = MerchantFactory()
    moderator = UserFactory(is_staff=True)

    assert changes(
        lambda: transition_many(
            Merchant.objects.filter(pk=merchant.pk),
            MerchantStatus.SUSPENDED,
            by=moderator,
            why="test",
            source="test",
        )
    )


def test_the_admins_withdraw_action_changes_the_version(admin_client):
    product = ProductFactory()

    def withdraw():
        admin_client.post(
            reverse("admin:shop_product_changelist"),
            {"action": "deactivate", "_selected_action": [product.pk]},
        )

    assert changes(withdraw)
    assert not Product.objects.get(pk=product.pk).is_active


def test_a_csv_import_changes_the_version():
    product = ProductFactory(name="Savon", stock=4)
    upload = io.BytesIO(
        (
            "slug;nom;description;rayon;prix_ttc;tva;unite;stock;poids_g;labels;en_vente\n"
            f"{product.slug};Savon;;grocery;5,00;20;piece;0;100;;oui\n"
        ).encode()
    )
    upload.size = len(upload.getvalue())

    assert changes(lambda: import_products_csv(product.merchant, upload))
    assert Product.objects.get(pk=product.pk).stock == 0


# --- after commit -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_write_bumps_again_once_its_transaction_commits():
    product = ProductFactory()
    with transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=5)
        Product.objects.filter(pk=product.pk).update(stock=4)
        pending = [entry[1] for entry in connection.run_on_commit]
        inside = catalogue_version()

    assert pending.count(versions._bump_after_commit) == 1  # once per transaction
    assert catalogue_version() != inside


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_bumps_after_commit():
    product = ProductFactory()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Product.objects.filter(pk=product.pk).update(stock=5)
                raise RuntimeError("rolled back, and its after-commit bump with it")
        except RuntimeError:
            pass
        Product.objects.filter(pk=product.pk).update(stock=4)
        inside = catalogue_version()

    assert catalogue_version() != inside


# --- a lost version, a failed bump ------------------------------------------------------------


def test_a_lost_version_starts_again_at_a_number_never_used():
    first = catalogue_version()
    cache.delete(versions.VERSION_KEY)  # evicted, or the cache flushed

    again = catalogue_version()

    assert again is not None and again != first


def test_a_bump_while_the_version_is_lost_steps_past_a_reader_that_just_started_one():
    cache.delete(versions.VERSION_KEY)
    started_by_a_reader = catalogue_version()

    assert bump_catalogue_version()
    assert catalogue_version() != started_by_a_reader


def test_a_failed_bump_means_no_cached_page_until_a_bump_succeeds(settings, cache_down):
    down = settings.CACHES

    assert bump_catalogue_version() is False
    assert catalogue_version() is None  # the version cannot be read either

    settings.CACHES = {
        **down,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    # The cache answers again, maybe still holding the old version and its pages: this
    # process first bumps (the write it missed), then reads.
    cache.set(versions.VERSION_KEY, versions.VERSION_FLOOR + 7, timeout=None)
    assert catalogue_version() == versions.VERSION_FLOOR + 8
    assert versions._owed is False


def test_a_degraded_cache_answering_an_increment_with_its_delta_is_a_failed_bump(cache_down):
    assert cache.incr(versions.VERSION_KEY) == 1  # what anima.cache answers while Redis is down

    assert bump_catalogue_version() is False
    assert versions._owed is True


def test_a_page_is_read_with_the_version_and_not_at_all_while_the_cache_is_down(cache_down):
    assert versions.read_with_version("page:somewhere") == (None, None)


def test_a_kept_value_is_not_trusted_once_the_version_is_lost():
    version = catalogue_version()
    cache.set("page:somewhere", (version, {"body": "kept"}))
    assert versions.read_with_version("page:somewhere") == (version, (version, {"body": "kept"}))

    cache.delete(versions.VERSION_KEY)
    fresh, found = versions.read_with_version("page:somewhere")

    assert found is None and fresh is not None and fresh != version


def test_a_transaction_tries_no_bump_at_once_while_one_is_owed(cache_down, caplog):
    """Each attempt may wait for the cache's timeout while the transaction holds its row
    locks (checkout): once a bump failed, writes leave it to their commit."""
    product = ProductFactory()  # its bump failed: the cache is down
    assert versions._owed is True
    caplog.clear()
    with transaction.atomic():
        for stock in (3, 2, 1):
            Product.objects.filter(pk=product.pk).update(stock=stock)
        pending = [entry[1] for entry in connection.run_on_commit]

    assert not [r for r in caplog.records if "incr" in r.getMessage()]  # no attempt
    assert versions._bump_after_commit in pending

"""Public product lists: filters, search order, pages whose cost ignores the catalogue's size."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from shop.catalogue_version import catalogue_version
from shop.models import Label, Merchant, Product, ProductCategory
from shop.models.catalogue import ProductQuerySet
from shop.pagination import Key, KeysetPage, keyset_page

# Browsing reads the partial indexes on (name, id) of products on sale; search ranks matches.
BROWSE_ORDER = [Key("name", indexed=True), Key("pk", kind="integer")]
SEARCH_ORDER = [
    Key("relevance", descending=True, kind="number"),
    Key("name"),
    Key("pk", kind="integer"),
]
COUNT_SECONDS = 60
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class ProductFilters:
    """What a shopper narrowed the list to (unknown choices are dropped, not refused)."""

    q: str = ""
    rayon: str = ""
    label: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ProductFilters:
        """The filters of a request's GET parameters."""
        rayon, label = params.get("rayon", ""), params.get("label", "")
        return cls(
            q=params.get("q", "").strip()[:MAX_QUERY_LENGTH],
            rayon=rayon if rayon in ProductCategory.values else "",
            label=label if label in Label.values else "",
        )


def filtered_products(
    filters: ProductFilters, merchant: Merchant | None = None
) -> QuerySet[Product]:
    """Products on sale matching ``filters`` (in one shop when given), unordered."""
    products: ProductQuerySet = Product.objects.on_sale().select_related("merchant")
    products = products.with_labels()
    if merchant is not None:
        products = products.filter(merchant=merchant)
    if filters.rayon:
        products = products.filter(category=filters.rayon)
    if filters.label:
        products = products.with_label(filters.label)
    if filters.q:
        products = products.search(filters.q)
    return products


def count_products(products: QuerySet[Product], scope: tuple[object, ...], limit: int) -> int:
    """How many ``products`` there are, counting at most ``limit``, once a minute per ``scope``."""
    digest = hashlib.blake2b(repr(scope).encode(), digest_size=12).hexdigest()
    key = f"shop:product-count:{digest}"
    found = cache.get(key)
    if found is None:
        found = products.order_by()[:limit].count()
        cache.set(key, found, COUNT_SECONDS)
    return int(found)


def product_page(
    filters: ProductFilters, params: Mapping[str, str], merchant: Merchant | None = None
) -> KeysetPage:
    """The page of products ``params`` points to (keyset cursors): by name, or by relevance
    for a search; the count is bounded, cached and carried from page to page."""
    products = filtered_products(filters, merchant)
    limit = settings.SHOP_MAX_LISTED_PRODUCTS
    # Counted anew at each version of the catalogue (a product added or withdrawn), else kept
    # a minute.
    scope = (
        merchant.pk if merchant else None,
        filters.q,
        filters.rayon,
        filters.label,
        catalogue_version(),
    )
    return keyset_page(
        products,
        SEARCH_ORDER if filters.q else BROWSE_ORDER,
        settings.SHOP_PRODUCTS_PER_PAGE,
        params,
        count=lambda: count_products(products, scope, limit),
        count_limit=limit,
    )

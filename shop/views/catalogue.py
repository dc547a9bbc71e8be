from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hub.services import fold, render_fragments, row_values
from shop import services
from shop.models import Label, Merchant, MerchantCategory, Product, ProductCategory
from shop.pagination import AFTER, BEFORE


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


def _known_params(request, **values: str) -> str:
    """Keep only the list's known parameters, validated, in ``request.GET`` and return them
    encoded: its links are built from them and its fragment (kept 24 h) is keyed on them, so
    an unknown parameter neither makes a new cache entry nor shows in a cached list."""
    query = QueryDict(mutable=True)
    for name, value in values.items():
        if value:
            query[name] = value
    query._mutable = False
    request.GET = query
    return query.urlencode()


# What a kept catalogue page is served in (hub.fragments.CachedPage): the visitor's layout
# and basket around the page's own parts.
KEPT_PAGE = "shop/cached_page.html"


def _page_number(value: str) -> str:
    """The page number as the paginator reads it: anything else is the first page."""
    return value if re.fullmatch(r"[0-9]{1,9}", value) else ""


@services.catalogue_whole_page("catalogue")
def catalogue(request):
    """Approved shops, filtered by category or name."""
    category = _choice(request.GET.get("categorie", ""), MerchantCategory.values)
    query = request.GET.get("q", "").strip()[:100]
    number = _page_number(request.GET.get("page", ""))
    known = _known_params(request, categorie=category, q=query)
    kept = services.catalogue_page(request, "catalogue", (known, number))
    if kept.found:
        return kept.serve(KEPT_PAGE)
    merchants = Merchant.objects.approved().only(
        "name", "slug", "category", "address", "description", "logo"
    )
    if category:
        merchants = merchants.filter(category=category)
    if query:
        merchants = merchants.filter(search_name__contains=fold(query))
    page = Paginator(merchants, 24).get_page(number)
    return kept.render(
        "shop/catalogue.html",
        {
            "page": page,
            # Rendered only when the page's fragment is not cached for these very rows.
            "cards": lambda: render_fragments(
                request,
                "shop/_merchant_card.html",
                page,
                shown=row_values,
                context=lambda merchant: {"merchant": merchant},
            ),
            "list_shown": (
                known,
                (page.number, page.paginator.count, page.paginator.num_pages),
                *(row_values(shop) for shop in page),
            ),
            "categories": MerchantCategory.choices,
            "current_category": category,
            "query": query,
        },
    )


def _shown_on_card(product, show_merchant: bool) -> tuple:
    """Every value a product card displays (its cache key is made of them)."""
    return (
        product.pk,
        product.name,
        product.slug,
        product.merchant.slug,
        product.merchant.name if show_merchant else "",
        product.price,
        product.unit,
        product.stock,
        product.is_active,
        product.photo_list.name,
        tuple(product.label_list),
    )


def product_cards(request, products, show_merchant: bool = False) -> list:
    """The product cards of a page, from the fragment cache when nothing they show changed."""
    return render_fragments(
        request,
        "shop/_product_card.html",
        products,
        shown=lambda product: _shown_on_card(product, show_merchant),
        context=lambda product: {"product": product, "show_merchant": show_merchant},
    )


@dataclass(frozen=True)
class ListRequest:
    """What a product list reads from its request, normalised: a kept page is found by it."""

    filters: services.ProductFilters
    cursors: dict[str, str]
    known: str  # the filters, encoded (the list's links are built from them)

    @classmethod
    def of(cls, request) -> ListRequest:
        filters = services.ProductFilters.from_params(request.GET)
        cursors = {name: value for name in (AFTER, BEFORE) if (value := request.GET.get(name))}
        known = _known_params(request, q=filters.q, rayon=filters.rayon, label=filters.label)
        return cls(filters, cursors, known)

    @property
    def address(self) -> tuple:
        return (self.known, tuple(sorted(self.cursors.items())))


def _list_shown(listing: ListRequest, page, *rows) -> tuple:
    """Every value a product list shows besides its rows: its known parameters (filters), the
    page's number, count and neighbours."""
    counted = (page.number, page.count, page.count_limit, page.next_cursor, page.previous_cursor)
    return (listing.known, counted, *rows)


@services.catalogue_whole_page("product_list")
def product_list(request):
    """Products of every open shop: search ignoring accents and case, category and label."""
    listing = ListRequest.of(request)
    kept = services.catalogue_page(request, "product_list", listing.address)
    if kept.found:
        return kept.serve(KEPT_PAGE)
    page = services.product_page(listing.filters, listing.cursors)
    return kept.render(
        "shop/product_list.html",
        {
            "page": page,
            # Rendered only when the list's fragment is not cached for these very rows.
            "cards": lambda: product_cards(request, page, show_merchant=True),
            "list_shown": _list_shown(
                listing, page, *(_shown_on_card(product, True) for product in page)
            ),
            "filters": listing.filters,
            "categories": ProductCategory.choices,
            "labels": Label.choices,
        },
    )


@services.catalogue_whole_page("merchant_detail")
def merchant_detail(request, slug):
    listing = ListRequest.of(request)
    kept = services.catalogue_page(request, "merchant_detail", listing.address)
    if kept.found:
        return kept.serve(KEPT_PAGE)
    merchant = get_object_or_404(Merchant.objects.approved(), slug=slug)
    page = services.product_page(listing.filters, listing.cursors, merchant)
    return kept.render(
        "shop/merchant_detail.html",
        {
            "merchant": merchant,
            "page": page,
            "cards": lambda: product_cards(request, page),
            "list_shown": _list_shown(
                listing,
                page,
                merchant.slug,
                *(_shown_on_card(product, False) for product in page),
            ),
            "filters": listing.filters,
            "categories": ProductCategory.choices,
            "labels": Label.choices,
        },
    )


@services.catalogue_whole_page("product_detail")
def product_detail(request, merchant_slug, product_slug):
    kept = services.catalogue_page(request, "product_detail", ())
    if kept.found:
        return kept.serve(KEPT_PAGE)
    product = get_object_or_404(
        Product.objects.on_sale().select_related("merchant").with_labels(),
        merchant__slug=merchant_slug,
        slug=product_slug,
    )
    return kept.render(
        "shop/product_detail.html",
        {
            "product": product,
            "next_path": request.get_full_path(),
            "shown": (row_values(product), row_values(product.merchant), product.label_list),
        },
    )


def _too_many_suggestions(request) -> bool:
    """Suggestions run a search at each key press: a cap per address, like other public forms."""
    key = f"shop:suggestions:{request.META.get('REMOTE_ADDR', '')}"
    if cache.add(key, 1, timeout=60):
        return False
    return cache.incr(key) > settings.SHOP_SUGGESTIONS_PER_MINUTE


@require_GET
def suggestions(request):
    """Up to six products matching what is typed so far (the search field's list, via HTMX)."""
    if _too_many_suggestions(request):
        return render(request, "shop/_suggestions.html", {"limited": True}, status=429)
    query = request.GET.get("q", "").strip()[:100]
    products = []
    if len(query) >= 2:
        products = list(
            Product.objects.on_sale()
            .select_related("merchant")
            .search(query, prefix=True)[: settings.SHOP_SUGGESTIONS]
        )
    return render(request, "shop/_suggestions.html", {"products": products, "query": query})

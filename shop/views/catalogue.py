from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from hub.services import fold, render_fragments, row_values
from shop import services
from shop.models import Label, Merchant, MerchantCategory, Product, ProductCategory


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


def catalogue(request):
    """Approved shops, filtered by category or name."""
    category = _choice(request.GET.get("categorie", ""), MerchantCategory.values)
    query = request.GET.get("q", "").strip()[:100]
    merchants = Merchant.objects.approved().only(
        "name", "slug", "category", "address", "description", "logo"
    )
    if category:
        merchants = merchants.filter(category=category)
    if query:
        merchants = merchants.filter(search_name__contains=fold(query))
    page = Paginator(merchants, 24).get_page(request.GET.get("page"))
    return render(
        request,
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
                _known_params(request, categorie=category, q=query),
                (page.number, page.paginator.count, page.paginator.num_pages),
                *(row_values(shop) for shop in page),
            ),
            "categories": MerchantCategory.choices,
            "current_category": category,
            "query": query,
        },
    )


def _filtered_products(request, merchant=None):
    filters = services.ProductFilters.from_params(request.GET)
    return services.product_page(filters, request.GET, merchant), filters


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


def _list_shown(request, page, filters, *rows) -> tuple:
    """Every value a product list shows besides its rows: its known parameters (filters), the
    page's number, count and neighbours."""
    counted = (page.number, page.count, page.count_limit, page.next_cursor, page.previous_cursor)
    known = _known_params(request, q=filters.q, rayon=filters.rayon, label=filters.label)
    return (known, counted, *rows)


def product_list(request):
    """Products of every open shop: search ignoring accents and case, category and label."""
    page, filters = _filtered_products(request)
    return render(
        request,
        "shop/product_list.html",
        {
            "page": page,
            # Rendered only when the list's fragment is not cached for these very rows.
            "cards": lambda: product_cards(request, page, show_merchant=True),
            "list_shown": _list_shown(
                request, page, filters, *(_shown_on_card(product, True) for product in page)
            ),
            "filters": filters,
            "categories": ProductCategory.choices,
            "labels": Label.choices,
        },
    )


def merchant_detail(request, slug):
    merchant = get_object_or_404(Merchant.objects.approved(), slug=slug)
    page, filters = _filtered_products(request, merchant)
    return render(
        request,
        "shop/merchant_detail.html",
        {
            "merchant": merchant,
            "page": page,
            "cards": lambda: product_cards(request, page),
            "list_shown": _list_shown(
                request,
                page,
                filters,
                merchant.slug,
                *(_shown_on_card(product, False) for product in page),
            ),
            "filters": filters,
            "categories": ProductCategory.choices,
            "labels": Label.choices,
        },
    )


def product_detail(request, merchant_slug, product_slug):
    product = get_object_or_404(
        Product.objects.on_sale().select_related("merchant").with_labels(),
        merchant__slug=merchant_slug,
        slug=product_slug,
    )
    return render(
        request,
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

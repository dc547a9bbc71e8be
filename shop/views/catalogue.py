from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from shop.models import Label, Merchant, MerchantCategory, Product, ProductCategory
from shop.models.text import fold
from shop.pagination import BoundedPaginator


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


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
            "categories": MerchantCategory.choices,
            "current_category": category,
            "query": query,
        },
    )


def _filtered_products(request, merchant=None):
    products = Product.objects.on_sale().select_related("merchant").with_labels()
    if merchant is not None:
        products = products.filter(merchant=merchant)
    filters = {
        "q": request.GET.get("q", "").strip()[:100],
        "rayon": _choice(request.GET.get("rayon", ""), ProductCategory.values),
        "label": _choice(request.GET.get("label", ""), Label.values),
    }
    if filters["rayon"]:
        products = products.filter(category=filters["rayon"])
    if filters["label"]:
        products = products.with_label(filters["label"])
    products = products.search(filters["q"]) if filters["q"] else products.order_by("name", "pk")
    paginator = BoundedPaginator(
        products, settings.SHOP_PRODUCTS_PER_PAGE, limit=settings.SHOP_MAX_LISTED_PRODUCTS
    )
    return paginator.get_page(request.GET.get("page")), filters


def product_list(request):
    """Products of every open shop: search ignoring accents and case, category and label."""
    page, filters = _filtered_products(request)
    return render(
        request,
        "shop/product_list.html",
        {
            "page": page,
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
    return render(request, "shop/product_detail.html", {"product": product})

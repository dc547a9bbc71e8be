"""The merchant back-office at /commercant/: members of the shop only (others get 404)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hub.services import Conflict, csv_download
from shop import services
from shop.forms import CsvImportForm, MemberForm, ProductForm, RefuseForm
from shop.models import MemberRole, MerchantOrder, MerchantOrderStatus, PaymentStatus, Product


def member_merchant(request, slug):
    """The shop if the signed-in user belongs to it; 404 otherwise (no hint it exists)."""
    merchant = services.member_merchants(request.user).filter(slug=slug).first()
    if merchant is None:
        raise Http404
    return merchant


@login_required
def merchant_home(request):
    merchants = list(services.member_merchants(request.user))
    if len(merchants) == 1:
        return redirect("shop:merchant_dashboard", merchants[0].slug)
    return render(request, "shop/merchant/home.html", {"merchants": merchants})


def _queue(merchant):
    # An order still waiting for its online payment is not the shop's to prepare yet.
    return (
        MerchantOrder.objects.filter(merchant=merchant)
        .exclude(order__payment_status=PaymentStatus.PENDING)
        .select_related("order__slot", "order__relay_point")
        .prefetch_related("lines")
    )


@login_required
def merchant_dashboard(request, slug):
    merchant = member_merchant(request, slug)
    today = timezone.localdate()
    to_prepare = _queue(merchant).filter(
        Q(order__slot__date=today) | Q(order__slot__isnull=True),
        status__in=[MerchantOrderStatus.PLACED, MerchantOrderStatus.ACCEPTED],
    )[:50]
    low_stock = merchant.products.filter(
        is_active=True, stock__lte=settings.SHOP_LOW_STOCK_THRESHOLD
    ).order_by("stock", "name")[:50]
    return render(
        request,
        "shop/merchant/dashboard.html",
        {"merchant": merchant, "to_prepare": to_prepare, "low_stock": low_stock},
    )


@login_required
def merchant_products(request, slug):
    merchant = member_merchant(request, slug)
    page = Paginator(merchant.products.order_by("name", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "shop/merchant/products.html",
        {
            "merchant": merchant,
            "page": page,
            "import_form": CsvImportForm(),
            "csv_help": services.CSV_HELP,
        },
    )


def _save_product(request, merchant, product):
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)
    token = request.POST.get("pending_photo", "")
    kept = services.pending_photo(merchant, token) if token else None
    if request.method == "POST" and form.is_valid():
        product = form.save(commit=False)
        product.merchant = merchant
        try:
            photo = form.cleaned_data.get("photo_upload")
            if not photo and kept:
                photo = services.pending_photo_file(kept)
            services.save_product(product, photo)
        except ValidationError as error:
            form.add_error("photo_upload", error)
        if not form.errors:
            messages.success(request, _("« %(name)s » est enregistré.") % {"name": product.name})
            return redirect("shop:merchant_products", merchant.slug)
    elif request.method == "POST" and form.cleaned_data.get("photo_upload"):
        # The photo was fine but another field was not: keep it rather than ask for it again.
        token = services.keep_pending_photo(merchant, form.cleaned_data["photo_upload"])
        kept = services.pending_photo(merchant, token)
    status = 400 if request.method == "POST" else 200
    context = {
        "merchant": merchant,
        "form": form,
        "product": product,
        "pending_photo": token if kept else "",
        "pending_photo_url": default_storage.url(kept) if kept else "",
    }
    return render(request, "shop/merchant/product_form.html", context, status=status)


@login_required
def product_create(request, slug):
    merchant = member_merchant(request, slug)
    return _save_product(request, merchant, Product(merchant=merchant))


@login_required
def product_edit(request, slug, pk):
    merchant = member_merchant(request, slug)
    return _save_product(request, merchant, get_object_or_404(merchant.products, pk=pk))


@login_required
@require_POST
def product_toggle(request, slug, pk):
    merchant = member_merchant(request, slug)
    product = get_object_or_404(merchant.products, pk=pk)
    product.is_active = not product.is_active
    product.save(update_fields=["is_active", "updated_at"])
    if product.is_active:
        messages.success(
            request, _("« %(name)s » est de nouveau en vente.") % {"name": product.name}
        )
    else:
        messages.success(
            request, _("« %(name)s » est retiré de la vente.") % {"name": product.name}
        )
    return redirect("shop:merchant_products", merchant.slug)


@login_required
def products_export(request, slug):
    merchant = member_merchant(request, slug)
    return csv_download(f"produits-{merchant.slug}.csv", services.export_products_csv(merchant))


@login_required
@require_POST
def products_import(request, slug):
    merchant = member_merchant(request, slug)
    form = CsvImportForm(request.POST, request.FILES)
    import_errors = []
    if form.is_valid():
        try:
            report = services.import_products_csv(merchant, form.cleaned_data["file"])
        except ValidationError as error:
            import_errors = error.messages
        else:
            messages.success(
                request,
                _("Import réussi : %(created)d produit(s) créé(s), %(updated)d mis à jour.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("shop:merchant_products", merchant.slug)
    page = Paginator(merchant.products.order_by("name", "pk"), 50).get_page(1)
    return render(
        request,
        "shop/merchant/products.html",
        {
            "merchant": merchant,
            "page": page,
            "import_form": form,
            "import_errors": import_errors,
            "csv_help": services.CSV_HELP,
        },
        status=400,
    )


@login_required
def merchant_orders(request, slug):
    merchant = member_merchant(request, slug)
    status = request.GET.get("statut", "")
    parts = _queue(merchant).select_related("order")
    if status in MerchantOrderStatus.values:
        parts = parts.filter(status=status)
    else:
        status = ""
        parts = parts.filter(status__in=MerchantOrderStatus.open())
    page = Paginator(parts.order_by("-created_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "shop/merchant/orders.html",
        {
            "merchant": merchant,
            "page": page,
            "statuses": MerchantOrderStatus.choices,
            "current_status": status,
        },
    )


ACTIONS = {
    "accepter": (services.accept_part, _("Commande %(number)s acceptée.")),
    "prete": (services.mark_part_ready, _("Commande %(number)s prête.")),
    "retiree": (services.mark_part_collected, _("Commande %(number)s retirée par le client.")),
}


def _part(request, merchant, pk) -> MerchantOrder:
    try:
        return services.member_part(request.user, pk, merchant)
    except MerchantOrder.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def order_action(request, slug, pk, action):
    merchant = member_merchant(request, slug)
    part = _part(request, merchant, pk)
    if action not in ACTIONS:
        raise Http404
    handler, success = ACTIONS[action]
    try:
        handler(part, by=request.user)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, success % {"number": part.order.number})
    return redirect("shop:merchant_orders", merchant.slug)


@login_required
@require_http_methods(["GET", "POST"])
def order_refuse(request, slug, pk):
    """A page that shows the order and asks for the reason: the confirmation step before an
    irreversible refusal (no JavaScript needed)."""
    merchant = member_merchant(request, slug)
    part = _part(request, merchant, pk)
    if part.status != MerchantOrderStatus.PLACED:
        return redirect("shop:merchant_orders", merchant.slug)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_part(part, form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error("reason", error.messages)
        except Conflict as conflict:
            messages.error(request, conflict.message)
            return redirect("shop:merchant_orders", merchant.slug)
        else:
            messages.success(
                request,
                _("Commande %(number)s refusée ; le client est prévenu.")
                % {"number": part.order.number},
            )
            return redirect("shop:merchant_orders", merchant.slug)
    return render(
        request,
        "shop/merchant/order_refuse.html",
        {"merchant": merchant, "part": part, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def sales(request, slug):
    merchant = member_merchant(request, slug)
    return render(
        request,
        "shop/merchant/sales.html",
        {"merchant": merchant, "months": services.monthly_sales(merchant)},
    )


@login_required
def sales_export(request, slug):
    merchant = member_merchant(request, slug)
    return csv_download(f"ventes-{merchant.slug}.csv", services.monthly_sales_csv(merchant))


@login_required
def members(request, slug):
    merchant = member_merchant(request, slug)
    own = services.membership(request.user, merchant)
    is_owner = own is not None and own.role == MemberRole.OWNER
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_member(merchant, request.user, form.cleaned_data["email"])
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field, errors)
            else:
                messages.success(request, _("La personne fait maintenant partie de l'équipe."))
                return redirect("shop:merchant_members", merchant.slug)
    team = merchant.members.select_related("user").order_by("user__email")
    return render(
        request,
        "shop/merchant/members.html",
        {"merchant": merchant, "team": team, "form": form, "is_owner": is_owner},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def member_remove(request, slug, member_id):
    merchant = member_merchant(request, slug)
    try:
        services.remove_member(merchant, request.user, member_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La personne ne fait plus partie de l'équipe."))
    return redirect("shop:merchant_members", merchant.slug)

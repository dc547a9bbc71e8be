from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.services import Conflict
from shop import services


@login_required
def order_list(request):
    page = Paginator(services.orders_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "shop/order_list.html", {"page": page})


def _own_order(request, number):
    return get_object_or_404(services.orders_of(request.user), number=number)


@login_required
def order_detail(request, number):
    order = _own_order(request, number)
    events = order.events.all()
    return render(
        request,
        "shop/order_detail.html",
        {"order": order, "events": events, "tracking": services.delivery_tracking(order)},
    )


@login_required
@require_POST
def order_cancel(request, number):
    order = _own_order(request, number)
    try:
        services.cancel_order(order, request.user)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("Votre commande est annulée."))
    return redirect(order.get_absolute_url())


@login_required
def receipt(request, number, part_id):
    """A printable receipt of one shop's part, with the VAT breakdown."""
    order = _own_order(request, number)
    part = next((p for p in order.merchant_orders.all() if p.pk == part_id), None)
    if part is None:
        raise Http404
    return render(request, "shop/receipt.html", {"order": order, "part": part})

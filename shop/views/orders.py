from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from hub.services import Conflict
from shop import payments, services


@login_required
def order_list(request):
    page = Paginator(services.orders_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "shop/order_list.html", {"page": page})


def _own_order(request, number):
    return get_object_or_404(services.orders_of(request.user), number=number)


PART_PAYMENT_LABELS = {
    "pending": gettext_lazy("montant réservé, débité si le commerce accepte"),
    "accepted": gettext_lazy("acceptée, sera débitée quand tous les commerces auront répondu"),
    "captured": gettext_lazy("débitée"),
    "released": gettext_lazy("non débitée : montant libéré"),
}


def _payment_context(order) -> dict:
    """The online payment as the shopper sees it, part by part (empty when paid on delivery)."""
    summary = payments.summary(order)
    if summary is None:
        return {}
    for part in order.merchant_orders.all():
        state = summary.parts.get(payments.part_key(part))
        part.payment_label = PART_PAYMENT_LABELS.get(state, "")
        part.refunds = [r for r in summary.refunds if r.key == payments.part_key(part)]
    return {"payment": summary}


@login_required
def order_detail(request, number):
    order = _own_order(request, number)
    events = order.events.all()
    context = {"order": order, "events": events, "tracking": services.delivery_tracking(order)}
    return render(request, "shop/order_detail.html", {**context, **_payment_context(order)})


@login_required
@require_POST
def order_pay(request, number):
    """Open (or reopen) the payment page of an order waiting for its online payment."""
    order = _own_order(request, number)
    try:
        return redirect(payments.payment_page(order))
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return redirect(order.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def order_cancel(request, number):
    """GET asks for confirmation (a page, so it works without JavaScript); POST cancels."""
    order = _own_order(request, number)
    if request.method == "GET":
        if not order.can_be_cancelled:
            return redirect(order.get_absolute_url())
        return render(request, "shop/order_cancel.html", {"order": order})
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
    context = {"order": order, "part": part, **_payment_context(order)}
    return render(request, "shop/receipt.html", context)

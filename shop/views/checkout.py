import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import delivery.services as delivery
from hub.services import Conflict
from shop import services
from shop.forms import CheckoutForm


def _form(request, data=None) -> CheckoutForm:
    initial = {"phone": request.user.phone, "payment": "card", "fulfilment": "home"}
    return CheckoutForm(
        data,
        initial=initial,
        relay_points=list(delivery.active_relay_points()),
        slots=list(delivery.bookable_slots()),
    )


def _checkout_of(form: CheckoutForm) -> services.Checkout:
    data = form.cleaned_data
    return services.Checkout(
        fulfilment=data["fulfilment"],
        payment=data["payment"],
        address=data["address"],
        relay_point=data["relay_point"] or None,
        slot=data["slot"] or None,
        note=data["note"],
        phone=data["phone"],
    )


def _add_errors(form: CheckoutForm, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _page(request, form, summary, status=200):
    context = {
        "form": form,
        "summary": summary,
        "fees": delivery.fee_table(),
        "relay_points": delivery.active_relay_points(),
    }
    return render(request, "shop/checkout.html", context, status=status)


@login_required
def checkout(request):
    """Choose delivery or collection, slot and payment; then review the fee and confirm."""
    basket = services.get_basket(request.user, request.session)
    summary = services.summarise(basket)
    if request.method != "POST":
        if not summary.lines:
            messages.info(request, _("Votre panier est vide."))
            return redirect("shop:basket")
        return _page(request, _form(request), summary)
    form = _form(request, request.POST)
    if not form.is_valid():
        return _page(request, form, summary, status=400)
    checkout_choice = _checkout_of(form)
    if request.POST.get("step") == "confirm":
        return _confirm(request, form, basket, summary, checkout_choice)
    try:
        destination = services.check_checkout(checkout_choice, request.user)
    except ValidationError as error:
        _add_errors(form, error)
        return _page(request, form, summary, status=400)
    if not summary.lines:
        messages.info(request, _("Votre panier est vide."))
        return redirect("shop:basket")
    fee = delivery.delivery_fee(destination.fulfilment, summary.total)
    slot = delivery.bookable_slots().filter(pk=destination.slot_id).first()
    context = {
        "form": form,
        "summary": summary,
        "destination": destination,
        "slot_label": delivery.slot_label(slot) if slot else "",
        "fee": fee,
        "total": summary.total + fee,
        "checkout_key": uuid.uuid4().hex,
    }
    return render(request, "shop/checkout_review.html", context)


def _confirm(request, form, basket, summary, checkout_choice):
    key = request.POST.get("checkout_key", "")
    try:
        if basket is None:
            raise ValidationError({"basket": _("Votre panier est vide.")})
        order = services.place_order(request.user, basket, checkout_choice, key)
    except ValidationError as error:
        _add_errors(form, error)
        return _page(request, form, summary, status=400)
    except Conflict as conflict:
        form.add_error(None, conflict.message)
        return _page(request, form, summary, status=409)
    messages.success(
        request,
        _("Merci ! Votre commande %(number)s est enregistrée.") % {"number": order.number},
    )
    return redirect(order.get_absolute_url())


@require_POST
def check_address(request):
    """HTMX: say at once whether the typed address can be delivered by cargo bike."""
    result = delivery.check_address(request.POST.get("address", ""))
    return render(
        request,
        "shop/_address_check.html",
        {"result": result, "relay_points": delivery.active_relay_points()},
    )

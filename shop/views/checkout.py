import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import delivery.services as delivery
from hub.services import Conflict
from shop import payments, services
from shop.forms import CheckoutForm


def _offer(summary) -> payments.OnlineOffer:
    return payments.online_offer([group.merchant for group in summary.groups])


def _form(request, offer, data=None) -> CheckoutForm:
    payment = "online" if offer.available else "card"
    initial = {"phone": request.user.phone, "payment": payment, "fulfilment": "home"}
    return CheckoutForm(
        data,
        initial=initial,
        relay_points=list(delivery.active_relay_points()),
        slots=list(delivery.bookable_slots()),
        online=offer.available,
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
        news_by_sms=data["news_by_sms"],
    )


def _add_errors(form: CheckoutForm, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _page(request, form, summary, status=200):
    context = {
        "form": form,
        "summary": summary,
        "offer": _offer(summary),
        "fees": delivery.fee_table(),
        "relay_points": delivery.active_relay_points(),
    }
    return render(request, "shop/checkout.html", context, status=status)


@login_required
def checkout(request):
    """Choose delivery or collection, slot and payment; then review the fee and confirm."""
    basket = services.get_basket(request.user, request.session)
    summary = services.summarise(basket)
    offer = _offer(summary)
    if request.method != "POST":
        if not summary.lines:
            messages.info(request, _("Votre panier est vide."))
            return redirect("shop:basket")
        return _page(request, _form(request, offer), summary)
    form = _form(request, offer, request.POST)
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
    if order.paid_online:
        return _pay(request, order)
    if order.replayed:
        # A double submit: the first request already said thank you.
        return redirect(order.get_absolute_url())
    messages.success(
        request,
        _("Merci ! Votre commande %(number)s est enregistrée.") % {"number": order.number},
    )
    return redirect(order.get_absolute_url())


def _pay(request, order):
    """Off to the provider's payment page; if it cannot open, the order page offers to retry."""
    try:
        return redirect(payments.payment_page(order))
    except Conflict as conflict:
        messages.warning(request, conflict.message)
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

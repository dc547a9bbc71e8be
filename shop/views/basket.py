from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.services import Conflict
from shop import services


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def basket(request):
    summary = services.summarise(services.get_basket(request.user, request.session))
    return render(request, "shop/basket.html", {"summary": summary})


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        # Not redirect(): it would read a word like "panier" as a view name (NoReverseMatch).
        return HttpResponseRedirect(target)
    return redirect(fallback)


@require_POST
def basket_add(request):
    """Add a product; answers an HTMX fragment (status + counter) or redirects back."""
    error = ""
    try:
        basket = services.get_basket(request.user, request.session, create=True)
        line = services.add_to_basket(
            basket, request.POST.get("product"), request.POST.get("quantity", 1)
        )
        message = _("« %(name)s » ajouté au panier.") % {"name": line.product.name}
    except ValidationError as exc:
        error = _messages_of(exc)
    except Conflict as exc:
        error = exc.message
    if request.htmx:
        count = services.basket_count(request.user, request.session)
        response = render(
            request,
            "shop/_basket_status.html",
            {"message": error or message, "is_error": bool(error), "basket_count": count},
        )
        if error:
            response.status_code = 200
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return _back(request, "shop:basket")


def _render_basket_body(request, error: str = ""):
    summary = services.summarise(services.get_basket(request.user, request.session))
    return render(request, "shop/_basket_body.html", {"summary": summary, "basket_error": error})


@require_POST
def basket_line(request, line_id):
    """Change a line's quantity in place (HTMX) or with a plain form post."""
    error = ""
    try:
        services.set_line_quantity(
            services.get_basket(request.user, request.session),
            line_id,
            request.POST.get("quantity"),
        )
    except ValidationError as exc:
        error = _messages_of(exc)
    except Conflict as exc:
        error = exc.message
    if request.htmx:
        return _render_basket_body(request, error)
    if error:
        messages.error(request, error)
    return redirect("shop:basket")


@require_POST
def basket_remove(request, line_id):
    error = ""
    try:
        services.remove_line(services.get_basket(request.user, request.session), line_id)
    except ValidationError as exc:
        error = _messages_of(exc)
    if request.htmx:
        return _render_basket_body(request, error)
    if error:
        messages.error(request, error)
    return redirect("shop:basket")

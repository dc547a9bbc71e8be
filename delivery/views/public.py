"""Public pages: the tracking page (status only, behind an unguessable link) and the address
suggestions shown while an address is typed."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from delivery import services


def _tracking_response(request, token, template):
    tracking = services.tracking_by_token(token)
    if tracking is None:
        raise Http404
    response = render(request, template, {"tracking": tracking})
    # The token is the only key to this page: never send it on as a referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def track(request, token):
    return _tracking_response(request, token, "delivery/track.html")


@require_GET
def track_progress(request, token):
    """HTMX: the tracking block alone, asked again every few seconds while the delivery moves
    (on the public page and on the shopper's order page)."""
    return _tracking_response(request, token, "delivery/_tracking.html")


def _too_many_searches(request) -> bool:
    """Each keystroke pause is a search (a call to the BAN in production): cap them per client
    address (found as the login's rate limits find it) and time window."""
    searches, seconds = settings.DELIVERY_ADDRESS_SEARCH_LIMIT
    key = f"delivery:address-search:{get_adapter(request).get_client_ip(request)}"
    if cache.add(key, 1, timeout=seconds):
        return False
    return cache.incr(key) > searches


@require_GET
def address_suggestions(request):
    """HTMX: addresses that look like the one being typed, each saying whether we deliver."""
    if _too_many_searches(request):
        return render(request, "delivery/_address_suggestions.html", {"limited": True}, status=429)
    typed = request.GET.get("address", "")
    context = {"suggestions": services.suggest_addresses(typed), "typed": typed.strip()}
    return render(request, "delivery/_address_suggestions.html", context)


def _is_one_click(request) -> bool:
    """The POST a mail client sends from its own « Se désabonner » button (RFC 8058): the
    body ``List-Unsubscribe=One-Click``, form-encoded, with no cookie and no CSRF token."""
    return request.method == "POST" and request.POST.getlist("List-Unsubscribe") == ["One-Click"]


@csrf_exempt
@require_http_methods(["GET", "POST"])
def news_stop(request, token):
    """« Ne plus recevoir ces messages » : the link of each message opens this page; the button
    (a POST, so that a mail scanner following links stops nothing) stops them. The mail
    client's one-click POST stops them too, without a CSRF token: the token in the link is the
    secret. Any other POST goes through the CSRF check as usual."""
    if _is_one_click(request):
        return _one_click_stop(token)
    return _news_stop_page(request, token)


def _one_click_stop(token: str) -> HttpResponse:
    delivery = services.stop_news(token)
    if delivery is None:
        raise Http404
    text = _(
        "C'est noté : vous ne recevrez plus de message sur l'avancement de la commande %(number)s."
    ) % {"number": delivery.order_number}
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_protect
def _news_stop_page(request, token):
    delivery = services.delivery_for_news(token)
    if delivery is None:
        raise Http404
    if request.method == "POST":
        delivery = services.stop_news(token)
    response = render(request, "delivery/news_stop.html", {"delivery": delivery})
    response["Referrer-Policy"] = "no-referrer"
    return response

"""The pages around the provider's payment page (return, abandon) and its webhook endpoint."""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hub.models.payments import PaymentStatus
from hub.payments import provider
from hub.payments import services as payments

logger = logging.getLogger(__name__)


def _payment(public_id):
    payment = payments.payment_by_public_id(public_id)
    if payment is None:
        raise Http404
    return payment


@never_cache
def payment_return(request, public_id):
    """The provider sends the payer back here: read the outcome now, whatever the webhook does."""
    payment = _payment(public_id)
    try:
        payment = payments.sync_payment(payment, source="payments.return")
    except provider.ProviderUnavailable:
        messages.warning(request, _("Nous n'avons pas encore la réponse de votre banque."))
        return redirect(_still_open_url(payment))
    if payment.status in (PaymentStatus.AUTHORISED, PaymentStatus.CAPTURED):
        messages.success(request, _("Paiement accepté. Merci !"))
    elif payment.status == PaymentStatus.FAILED:
        messages.error(request, _("Le paiement n'a pas abouti : rien n'a été débité."))
    else:
        messages.info(request, _("Votre paiement est en cours de vérification."))
        return redirect(_still_open_url(payment))
    return redirect(payments.next_url(payment))


def _still_open_url(payment) -> str:
    """The payer's page, told which payment is still open (a page that can follow it does)."""
    url = payments.next_url(payment)
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({payments.PAYMENT_FOLLOWED: payment.reference})}"


@never_cache
def payment_abandon(request, public_id):
    """The payer left the provider's page: pay after all, or give up (nothing is charged)."""
    payment = _payment(public_id)
    if payment.payer_id and payment.payer_id != request.user.pk:
        raise PermissionDenied
    if request.method == "POST":
        payments.abandon_payment(payment)
        messages.info(request, _("Paiement abandonné : rien n'a été débité."))
        return redirect(payments.next_url(payment))
    return render(
        request,
        "hub/payments/abandon.html",
        {
            "payment": payment,
            "open": payment.status == PaymentStatus.OPEN and bool(payment.checkout_url),
            "back_url": payments.next_url(payment),
        },
    )


@csrf_exempt
@require_POST
def payment_webhook(request):
    """The provider's notifications, signed with the endpoint's secret."""
    if request.content_type != "application/json":
        # Stripe sends JSON only; a form body has been read by then (hub.request_text).
        return HttpResponse(status=400)
    try:
        handled = payments.handle_webhook(request.body, request.headers.get("Stripe-Signature"))
    except provider.BadSignature as error:
        logger.warning("Payment webhook rejected: bad signature (%s).", error)
        return HttpResponse(status=400)
    except provider.ProviderUnavailable as error:
        logger.error("Payment webhook not processed: provider unavailable (%s).", error)
        return HttpResponse(status=503)
    return JsonResponse({"received": True, "duplicate": not handled})

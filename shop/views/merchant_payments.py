"""/commercant/<shop>/paiements/: the shop's payout account; /versements/: its statement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.services import Conflict, absolute_url, csv_download
from shop import services
from shop.models import MemberRole
from shop.views.merchant import member_merchant


@login_required
def payout_account(request, slug):
    merchant = member_merchant(request, slug)
    own = services.membership(request.user, merchant)
    context = {
        "merchant": merchant,
        "status": services.payout_status(merchant),
        "is_owner": own is not None and own.role == MemberRole.OWNER,
    }
    return render(request, "shop/merchant/payout_account.html", context)


@login_required
@require_POST
def payout_connect(request, slug):
    """Off to the provider's onboarding (Stripe Express): company, identity, IBAN."""
    merchant = member_merchant(request, slug)
    back = absolute_url(reverse("shop:merchant_payout_return", args=[slug]))
    again = absolute_url(reverse("shop:merchant_payout", args=[slug]))
    try:
        return redirect(services.connect_payout_account(merchant, request.user, back, again))
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return redirect("shop:merchant_payout", slug)


@login_required
def payout_return(request, slug):
    merchant = member_merchant(request, slug)
    status = services.refresh_payout_status(merchant)
    if status.state == "active":
        messages.success(
            request, _("Votre compte de versement est actif : vos clients peuvent payer en ligne.")
        )
    else:
        messages.info(request, _("Il manque encore des informations à votre compte de versement."))
    return redirect("shop:merchant_payout", slug)


@login_required
def statement(request, slug):
    merchant = member_merchant(request, slug)
    month = services.month_of(request.GET.get("mois"))
    context = {"merchant": merchant, "statement": services.monthly_statement(merchant, month)}
    return render(request, "shop/merchant/statement.html", context)


@login_required
def statement_export(request, slug):
    merchant = member_merchant(request, slug)
    month = services.month_of(request.GET.get("mois"))
    filename = f"versements-{merchant.slug}-{month:%Y-%m}.csv"
    return csv_download(filename, services.monthly_statement_csv(merchant, month))

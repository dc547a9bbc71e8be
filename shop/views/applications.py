from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop import services
from shop.forms import MerchantApplicationForm, ReviewRefusalForm
from shop.models import Merchant, MerchantStatus


@login_required
def apply(request):
    """A signed-in user applies to sell on the platform and follows their applications."""
    form = MerchantApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.apply_for_merchant(request.user, form.save(commit=False))
        messages.success(
            request,
            _("Demande envoyée ! L'équipe d'Anima vous répond par e-mail sous quelques jours."),
        )
        return redirect("shop:merchant_apply")
    applications = Merchant.objects.filter(applicant=request.user).order_by("-created_at")
    return render(
        request,
        "shop/apply.html",
        {"form": form, "applications": applications},
        status=400 if form.errors else 200,
    )


staff_reviewer = permission_required("shop.change_merchant", raise_exception=True)


@login_required
@staff_reviewer
def applications(request):
    """Moderation: pending applications, to approve or refuse with a reason."""
    pending = Merchant.objects.filter(status=MerchantStatus.PENDING).select_related("applicant")
    page = Paginator(pending.order_by("created_at"), 20).get_page(request.GET.get("page"))
    return render(
        request, "shop/moderation/applications.html", {"page": page, "form": ReviewRefusalForm()}
    )


@login_required
@staff_reviewer
@require_POST
def approve(request, pk):
    merchant = get_object_or_404(Merchant, pk=pk, status=MerchantStatus.PENDING)
    services.approve_merchant(merchant, by=request.user)
    messages.success(request, _("%(name)s est validé et en ligne.") % {"name": merchant.name})
    return redirect("shop:moderation_applications")


@login_required
@staff_reviewer
@require_POST
def refuse(request, pk):
    merchant = get_object_or_404(Merchant, pk=pk, status=MerchantStatus.PENDING)
    try:
        services.refuse_merchant(merchant, request.POST.get("reason", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Demande refusée ; le motif est envoyé par e-mail."))
    return redirect("shop:moderation_applications")

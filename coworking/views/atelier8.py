"""Atelier 8 for applicants: apply, follow the application, read the agreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coworking import services
from coworking.forms import ApplicationForm
from coworking.models import Application, OccupancyAgreement
from coworking.models.atelier8 import OPEN_STATUSES
from coworking.views.access import is_coworking_staff
from hub.services import Conflict


def atelier8(request):
    current = None
    if request.user.is_authenticated:
        current = Application.objects.filter(
            applicant=request.user, status__in=OPEN_STATUSES
        ).first()
    form = None
    if request.user.is_authenticated and current is None:
        form = ApplicationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                application = services.submit_application(request.user, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Candidature envoyée : vous recevez un e-mail."))
                return redirect(application)
    return render(request, "coworking/atelier8.html", {"form": form, "current": current})


@login_required
def application_detail(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("agreement__resource"), pk=pk, applicant=request.user
    )
    return render(
        request,
        "coworking/application_detail.html",
        {"application": application, "changes": application.changes.all()},
    )


@login_required
@require_POST
def application_withdraw(request, pk):
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    try:
        services.withdraw_application(application, request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Votre candidature est retirée."))
    return redirect(application)


@login_required
def agreement_detail(request, pk):
    agreement = get_object_or_404(
        OccupancyAgreement.objects.select_related("holder", "resource__space", "application"),
        pk=pk,
    )
    if agreement.holder_id != request.user.pk and not is_coworking_staff(request.user):
        raise Http404
    return render(request, "coworking/agreement_detail.html", {"agreement": agreement})

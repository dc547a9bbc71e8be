"""Solidarity proofs, the private proof files, the statement and the calendar feeds."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coworking import services
from coworking.forms import ProofForm
from coworking.models import Coworker, ProofStatus, Resource, SolidarityProof
from coworking.services.feeds import person_feed as person_calendar
from coworking.services.feeds import resource_feed as resource_calendar
from coworking.services.statement import monthly_statement
from coworking.views.access import coworking_staff_required
from hub.services import Conflict


@login_required
def solidarity(request):
    form = ProofForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_proof(
                request.user, form.cleaned_data["category"], form.cleaned_data["file"]
            )
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Justificatif envoyé. L'équipe vous répondra par e-mail."))
            return redirect("coworking:my_bookings")
    return render(
        request,
        "coworking/solidarity.html",
        {
            "form": form,
            "coworker": services.coworker_for(request.user),
            "proofs": SolidarityProof.objects.filter(user=request.user)[:5],
            "pending": SolidarityProof.objects.filter(
                user=request.user, status=ProofStatus.PENDING
            ).exists(),
        },
    )


@never_cache
@coworking_staff_required
def proof_file(request, pk):
    proof = get_object_or_404(SolidarityProof, pk=pk)
    try:
        handle = proof.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=proof.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def statement(request, year, month):
    try:
        first = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if first > timezone.localdate():
        raise Http404
    return render(
        request,
        "coworking/statement.html",
        {"statement": monthly_statement(request.user, first)},
    )


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def person_feed(request, token):
    coworker = get_object_or_404(Coworker.objects.select_related("user"), feed_token=token)
    return _ics(person_calendar(coworker.user), "mes-reservations.ics")


@never_cache
def resource_feed(request, token):
    resource = get_object_or_404(Resource.objects.select_related("space"), ical_token=token)
    return _ics(resource_calendar(resource), f"ressource-{resource.pk}.ics")


@login_required
@require_POST
def new_feed_token(request):
    coworker = services.coworker_for(request.user)
    coworker.feed_token = Coworker._meta.get_field("feed_token").default()
    coworker.save(update_fields=["feed_token"])
    messages.success(request, _("Nouvelle adresse de calendrier : l'ancienne ne marche plus."))
    return redirect("coworking:my_bookings")

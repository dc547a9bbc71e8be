"""The public page of the Made in Calais studios, requests for a studio, lease documents."""

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from coworking import services
from coworking.forms import StudioRequestForm
from coworking.models import LeaseDocument, Space, SpaceKind
from coworking.views.access import is_coworking_staff


def studios(request):
    """Every studio, free or let, the hours of their spaces, and a form to ask for one."""
    form = StudioRequestForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_studio(
                    request.user,
                    data["activity"],
                    data["wanted_from"],
                    data["studio"],
                    data["phone"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Demande envoyée : l'équipe des espaces vous répond par e-mail.")
                )
                return redirect("coworking:studios")
    spaces = list(
        Space.objects.filter(is_published=True, kind=SpaceKind.STUDIOS).prefetch_related(
            "opening_hours"
        )
    )
    for space in spaces:
        space.hours_lines = services.opening_hours_lines(list(space.opening_hours.all()))
    return render(
        request,
        "coworking/studios.html",
        {"board": services.studio_board(), "spaces": spaces, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def lease_document(request, pk):
    """A lease document, for its tenant and the coworking team only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = get_object_or_404(LeaseDocument.objects.select_related("lease"), pk=pk)
    if document.lease.tenant_id != request.user.pk and not is_coworking_staff(request.user):
        raise PermissionDenied
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = PurePosixPath(document.file.name).suffix
    response = FileResponse(
        handle, as_attachment=True, filename=f"{slugify(document.title) or 'document'}{suffix}"
    )
    response["Cache-Control"] = "private, no-store"
    return response

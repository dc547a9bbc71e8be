"""What every insertion page shares: finding a record the user may see, and the form page."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from hub.services import Conflict
from insertion.audit import log_access
from insertion.choices import AccessAction
from insertion.forms import apply_errors
from insertion.models import Beneficiary


def person_for(request, pk: int) -> Beneficiary:
    """A record the user may see: never anonymised, never their own."""
    return get_object_or_404(Beneficiary.objects.visible_to(request.user), pk=pk)


def form_page(
    request,
    person: Beneficiary,
    form,
    title: str,
    save: Callable[[], object],
    success: str,
    intro: str = "",
):
    """Show ``form``; on a valid POST call ``save`` and go back to the person's page."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect(person)
    if request.method == "GET":
        log_access(
            request.user,
            AccessAction.VIEW,
            person,
            record=person.reference,
            detail=title,
            path=request.get_full_path(),
        )
    status = 400 if request.method == "POST" else 200
    context = {"person": person, "form": form, "title": title, "intro": intro}
    return render(request, "insertion/form.html", context, status=status)

"""Caseload, a person's page, identity forms and the right-of-access export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from insertion import caseload
from insertion.access import is_direction, records_required
from insertion.audit import log_access, log_many
from insertion.choices import AccessAction, Workshop
from insertion.exports import xlsx_response
from insertion.filters import CaseloadFilter
from insertion.followup import save_beneficiary
from insertion.forms import BeneficiaryForm, apply_errors
from insertion.models import Barrier, Beneficiary, Interview, PassIae
from insertion.person_export import person_tables
from insertion.views.common import person_for

PAGE_SIZE = 25


@require_GET
@records_required
def caseload_list(request):
    people = caseload.with_path_state(
        Beneficiary.objects.visible_to(request.user).select_related("counsellor", "exit")
    )
    filters = CaseloadFilter(request.GET, queryset=people, user=request.user)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page:
        person.workshop_label = (
            Workshop(person.current_workshop).label if person.current_workshop else ""
        )
    log_many(
        request.user,
        AccessAction.LIST,
        [person.pk for person in page],
        record=_("Liste des dossiers"),
        path=request.get_full_path(),
    )
    context = {
        "filters": filters,
        "page": page,
        "today": timezone.localdate(),
        "is_direction": is_direction(request.user),
    }
    return render(request, "insertion/caseload.html", context)


@require_GET
@records_required
def beneficiary_detail(request, pk):
    person = person_for(request, pk)
    person = (
        Beneficiary.objects.filter(pk=person.pk)
        .select_related("counsellor", "qpv", "user", "exit__reason")
        .prefetch_related(
            Prefetch("passes", PassIae.objects.prefetch_related("suspensions", "extensions")),
            "contracts__renewal",
            Prefetch("interviews", Interview.objects.select_related("counsellor")),
            Prefetch("barriers", Barrier.objects.prefetch_related("actions")),
            "trainings",
            "immersions",
        )
        .get()
    )
    log_access(
        request.user,
        AccessAction.VIEW,
        person,
        record=person.reference,
        path=request.get_full_path(),
    )
    context = {
        "person": person,
        "timeline": caseload.timeline(person),
        "renewable": caseload.next_renewable(person),
        "current_pass": next(iter(person.passes.all()), None),
        "exit": getattr(person, "exit", None),
        "today": timezone.localdate(),
    }
    return render(request, "insertion/beneficiary_detail.html", context)


def _identity_form(request, person, form, title):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_beneficiary(form.save(commit=False), request.user, form.changed_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Dossier enregistré."))
            return redirect(saved)
    status = 400 if request.method == "POST" else 200
    context = {"person": person, "form": form, "title": title}
    return render(request, "insertion/form.html", context, status=status)


@records_required
def beneficiary_create(request):
    form = BeneficiaryForm(request.POST or None, initial={"counsellor": request.user.pk})
    return _identity_form(request, None, form, _("Nouveau dossier"))


@records_required
def beneficiary_edit(request, pk):
    person = person_for(request, pk)
    if request.method == "GET":
        log_access(
            request.user,
            AccessAction.VIEW,
            person,
            record=person.reference,
            detail=_("Formulaire de modification"),
            path=request.get_full_path(),
        )
    form = BeneficiaryForm(request.POST or None, instance=person)
    return _identity_form(request, person, form, _("Identité et situation"))


@require_GET
@records_required
def beneficiary_export(request, pk):
    """Right of access (GDPR art. 15): everything the structure holds about one person."""
    person = person_for(request, pk)
    log_access(
        request.user,
        AccessAction.EXPORT,
        person,
        record=person.reference,
        detail=_("Export complet (droit d'accès)"),
        path=request.get_full_path(),
    )
    return xlsx_response(f"dossier-{person.pk}.xlsx", person_tables(person))

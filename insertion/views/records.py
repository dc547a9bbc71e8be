"""Forms that add to a person's path: PASS IAE, contracts, follow-up, exit."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from insertion import contracts, exits, followup, passes
from insertion.access import records_required
from insertion.choices import ContractKind
from insertion.forms import (
    BarrierActionForm,
    BarrierForm,
    BarrierMoveForm,
    ContractForm,
    ExitForm,
    ExtensionForm,
    FollowupForm,
    ImmersionForm,
    InterviewForm,
    PassForm,
    RenewalForm,
    SuspensionForm,
    TrainingForm,
)
from insertion.models import (
    Barrier,
    BarrierAction,
    Contract,
    Exit,
    Immersion,
    Interview,
    PassExtension,
    PassIae,
    PassSuspension,
    Training,
)
from insertion.views.common import form_page, person_for


def _visible(request, queryset, pk, path="beneficiary"):
    """An item of a record the user may see (404 otherwise)."""
    item = get_object_or_404(queryset.select_related(path), pk=pk)
    person = person_for(request, _follow(item, path).pk)
    return item, person


def _follow(item, path):
    for part in path.split("__"):
        item = getattr(item, part)
    return item


@records_required
def pass_create(request, pk):
    person = person_for(request, pk)
    form = PassForm(request.POST or None, instance=PassIae(beneficiary=person))
    return form_page(
        request,
        person,
        form,
        _("Nouveau PASS IAE"),
        lambda: passes.record_pass(form.instance, request.user),
        _("PASS IAE enregistré, valable deux ans."),
    )


@records_required
def pass_suspend(request, pk):
    pass_iae, person = _visible(request, PassIae.objects, pk)
    form = SuspensionForm(request.POST or None, instance=PassSuspension(pass_iae=pass_iae))
    return form_page(
        request,
        person,
        form,
        _("Suspendre le PASS IAE"),
        lambda: passes.suspend_pass(form.instance, request.user),
        _("Suspension enregistrée : la fin du PASS est repoussée d'autant."),
        intro=_("Une suspension dure au plus 36 mois et peut être rétroactive d'un an."),
    )


@records_required
def pass_extend(request, pk):
    pass_iae, person = _visible(request, PassIae.objects, pk)
    form = ExtensionForm(request.POST or None, instance=PassExtension(pass_iae=pass_iae))
    return form_page(
        request,
        person,
        form,
        _("Prolonger le PASS IAE"),
        lambda: passes.extend_pass(form.instance, form.cleaned_data["new_end_date"], request.user),
        _("Prolongation enregistrée."),
        intro=_(
            "Une prolongation se demande entre 12 mois avant et 6 mois après la fin du PASS, "
            "pour 365 jours au plus par demande."
        ),
    )


@records_required
def contract_create(request, pk):
    person = person_for(request, pk)
    contract = Contract(beneficiary=person, kind=ContractKind.INITIAL)
    form = ContractForm(request.POST or None, instance=contract)
    return form_page(
        request,
        person,
        form,
        _("Nouveau contrat (CDDI)"),
        lambda: contracts.record_contract(form.instance, request.user),
        _("Contrat enregistré."),
        intro=_("Un CDDI dure au moins 4 mois, de 20 à 35 heures par semaine."),
    )


@records_required
def contract_renew(request, pk):
    previous, person = _visible(request, Contract.objects, pk)
    form = RenewalForm(request.POST or None, instance=contracts.renewal_for(previous))
    return form_page(
        request,
        person,
        form,
        _("Renouveler le contrat"),
        lambda: contracts.record_contract(form.instance, request.user),
        _("Renouvellement enregistré."),
        intro=_(
            "Le renouvellement commence le lendemain du contrat précédent. Au-delà de 24 mois "
            "au total, indiquez le motif légal ; chaque avenant dure alors 12 mois au plus."
        ),
    )


@records_required
def interview_create(request, pk):
    person = person_for(request, pk)
    interview = Interview(beneficiary=person, counsellor=request.user)
    form = InterviewForm(
        request.POST or None, instance=interview, initial={"date": timezone.localdate()}
    )
    return form_page(
        request,
        person,
        form,
        _("Nouvel entretien"),
        lambda: followup.record_item(form.instance, request.user),
        _("Entretien enregistré."),
    )


@records_required
def barrier_create(request, pk):
    person = person_for(request, pk)
    form = BarrierForm(
        request.POST or None,
        instance=Barrier(beneficiary=person),
        initial={"identified_on": timezone.localdate()},
    )
    return form_page(
        request,
        person,
        form,
        _("Nouveau frein"),
        lambda: followup.record_item(form.instance, request.user),
        _("Frein enregistré."),
    )


@records_required
def barrier_action(request, pk):
    barrier, person = _visible(request, Barrier.objects, pk)
    form = BarrierActionForm(
        request.POST or None,
        instance=BarrierAction(barrier=barrier),
        initial={"date": timezone.localdate()},
    )
    return form_page(
        request,
        person,
        form,
        _("Action sur le frein « %s »") % barrier.get_category_display(),
        lambda: followup.add_barrier_action(form.instance, request.user),
        _("Action enregistrée."),
    )


@records_required
def barrier_move(request, pk):
    barrier, person = _visible(request, Barrier.objects, pk)
    form = BarrierMoveForm(
        request.POST or None, barrier=barrier, initial={"lifted_on": timezone.localdate()}
    )
    return form_page(
        request,
        person,
        form,
        _("Faire avancer le frein « %s »") % barrier.get_category_display(),
        lambda: followup.move_barrier(
            barrier, form.cleaned_data["status"], form.cleaned_data["lifted_on"], request.user
        ),
        _("Frein mis à jour."),
    )


@records_required
def training_create(request, pk):
    person = person_for(request, pk)
    form = TrainingForm(request.POST or None, instance=Training(beneficiary=person))
    return form_page(
        request,
        person,
        form,
        _("Nouvelle formation"),
        lambda: followup.record_item(form.instance, request.user),
        _("Formation enregistrée."),
    )


@records_required
def immersion_create(request, pk):
    person = person_for(request, pk)
    form = ImmersionForm(request.POST or None, instance=Immersion(beneficiary=person))
    return form_page(
        request,
        person,
        form,
        _("Nouvelle immersion (PMSMP)"),
        lambda: followup.record_item(form.instance, request.user),
        _("Immersion enregistrée."),
        intro=_("Une PMSMP dure au plus un mois."),
    )


@records_required
def exit_create(request, pk):
    person = person_for(request, pk)
    form = ExitForm(
        request.POST or None,
        instance=Exit(beneficiary=person),
        initial={"date": timezone.localdate()},
    )
    return form_page(
        request,
        person,
        form,
        _("Sortie du parcours"),
        lambda: exits.record_exit(form.instance, request.user, form.early_end()),
        _("Sortie enregistrée. Le contrat prend fin à cette date."),
    )


@records_required
def exit_followup(request, pk):
    exit_record, person = _visible(request, Exit.objects, pk)
    form = FollowupForm(request.POST or None, initial={"followup_on": timezone.localdate()})
    return form_page(
        request,
        person,
        form,
        _("Situation six mois après la sortie"),
        lambda: exits.record_followup(
            exit_record,
            form.cleaned_data["followup_on"],
            form.cleaned_data["followup_situation"],
            request.user,
        ),
        _("Suivi à six mois enregistré."),
        intro=_(
            "Le Fonds social européen+ demande la situation de chaque participant·e six mois "
            "après sa sortie."
        ),
    )

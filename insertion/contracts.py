"""CDDI rules and the hours they give.

Code du travail L5132-15-1 (CDDI in an atelier et chantier d'insertion):
- a CDDI lasts at least 4 months (except for a person under a sentence adjustment);
- it may be renewed up to 24 months in total;
- beyond 24 months, by amendments of at most 12 months each: for an employee aged 50 or more
  or with a recognised disability (RQTH) and particular difficulties, or with particularly
  serious difficulties, up to 60 months in total; or to finish a training under way at the end
  of the contract, until that training ends;
- weekly hours between 20 and 35; below 20 only for people in severe exclusion, with the
  reason recorded (décret 2015-1435).
Total durations add up the days of all the person's contracts: the cap is reached when the
days worked equal 24 (or 60) calendar months counted from the first day.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hub.services import Conflict, changed_by
from insertion.audit import log_access
from insertion.choices import AccessAction, ContractKind, DerogationGround
from insertion.dates import (
    ONE_DAY,
    age_on,
    inclusive_days,
    last_day_of_duration,
    long_date,
    month_end,
    months_between,
)
from insertion.models import Beneficiary, Contract, WorkedMonth

MIN_MONTHS = 4
STANDARD_MAX_MONTHS = 24
DEROGATION_MAX_MONTHS = 60
AMENDMENT_MAX_MONTHS = 12
MIN_WEEKLY_HOURS = Decimal(20)
MAX_WEEKLY_HOURS = Decimal(35)
SENIOR_AGE = 50
CENT = Decimal("0.01")


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def check_contract(contract: Contract) -> None:
    """Raise a ValidationError, by field, for every CDDI rule the contract breaks."""
    errors = _Errors()
    _check_hours(contract, errors)
    if contract.end_date < contract.start_date:
        errors.add("end_date", _("La fin du contrat doit suivre son début."))
        raise ValidationError(errors)
    others = list(contract.beneficiary.contracts.exclude(pk=contract.pk).order_by("start_date"))
    _check_overlap(contract, others, errors)
    if contract.kind == ContractKind.INITIAL:
        _check_minimum_duration(contract, errors)
    else:
        _check_renewal_follows(contract, errors)
    _check_total_duration(contract, others, errors)
    _check_pass(contract, errors)
    if errors:
        raise ValidationError(errors)


def _check_pass(contract: Contract, errors: _Errors) -> None:
    """A CDDI needs a valid PASS IAE over its whole period; end dates already include the
    suspensions and extensions. Consecutive PASS may cover it together."""
    passes = sorted(contract.beneficiary.passes.all(), key=lambda p: p.start_date)
    covered_until, day = None, contract.start_date
    for pass_iae in passes:
        if pass_iae.start_date <= day <= pass_iae.end_date:
            covered_until = pass_iae
            day = pass_iae.end_date + ONE_DAY
    if covered_until is None:
        later = next((p for p in passes if p.start_date > contract.start_date), None)
        if later is not None:
            message = _(
                "Le PASS IAE n° %(number)s n'est valable qu'à partir du %(start)s : le contrat "
                "ne peut commencer avant."
            ) % {"number": later.number, "start": long_date(later.start_date)}
        else:
            message = _(
                "Aucun PASS IAE valable le %(date)s : enregistrez d'abord le PASS IAE de la "
                "personne."
            ) % {"date": long_date(contract.start_date)}
        errors.add("start_date", message)
    elif covered_until.end_date < contract.end_date:
        errors.add(
            "end_date",
            _(
                "Le PASS IAE n° %(number)s prend fin le %(end)s (suspensions et prolongations "
                "comprises) : le contrat ne peut aller au-delà. Prolongez d'abord le PASS."
            )
            % {"number": covered_until.number, "end": long_date(covered_until.end_date)},
        )


def _check_hours(contract: Contract, errors: _Errors) -> None:
    hours = contract.weekly_hours
    if hours is None:
        return
    if hours <= 0:
        errors.add("weekly_hours", _("Indiquez un nombre d'heures par semaine positif."))
    elif hours > MAX_WEEKLY_HOURS:
        errors.add("weekly_hours", _("Un CDDI ne peut dépasser 35 heures par semaine."))
    elif hours < MIN_WEEKLY_HOURS and not contract.hours_justification.strip():
        errors.add(
            "hours_justification",
            _(
                "En dessous de 20 heures par semaine, indiquez la justification "
                "(personne en grande difficulté, décret 2015-1435)."
            ),
        )


def _check_overlap(contract: Contract, others: list[Contract], errors: _Errors) -> None:
    for other in others:
        if other.start_date <= contract.end_date and contract.start_date <= other.effective_end:
            errors.add(
                "start_date",
                _("Ce contrat chevauche le contrat du %(start)s au %(end)s.")
                % {"start": long_date(other.start_date), "end": long_date(other.effective_end)},
            )


def _check_minimum_duration(contract: Contract, errors: _Errors) -> None:
    if contract.sentence_adjustment:
        return
    earliest_end = last_day_of_duration(contract.start_date, MIN_MONTHS)
    if contract.end_date < earliest_end:
        errors.add(
            "end_date",
            _(
                "Un CDDI dure au moins 4 mois (article L5132-15-1 du Code du travail) : "
                "fin au plus tôt le %(date)s."
            )
            % {"date": long_date(earliest_end)},
        )


def _check_renewal_follows(contract: Contract, errors: _Errors) -> None:
    previous = contract.previous
    if previous is None:
        errors.add("previous", _("Choisissez le contrat à renouveler."))
        return
    if previous.beneficiary_id != contract.beneficiary_id:
        errors.add("previous", _("Ce contrat est celui d'une autre personne."))
    elif previous.ended_on:
        errors.add(
            "previous", _("Ce contrat a pris fin par anticipation : il ne peut être renouvelé.")
        )
    elif Contract.objects.filter(previous=previous).exclude(pk=contract.pk).exists():
        errors.add(
            "previous", _("Ce contrat a déjà été renouvelé : renouvelez le dernier avenant.")
        )
    elif contract.start_date != previous.end_date + ONE_DAY:
        errors.add(
            "start_date",
            _(
                "Un avenant de renouvellement commence le lendemain de la fin du contrat "
                "précédent, le %(date)s."
            )
            % {"date": long_date(previous.end_date + ONE_DAY)},
        )


def _check_total_duration(contract: Contract, others: list[Contract], errors: _Errors) -> None:
    days_before = sum(inclusive_days(c.start_date, c.effective_end) for c in others)
    # The day the person would have started had all their contracts followed each other.
    virtual_start = contract.start_date - timedelta(days=days_before)
    standard_cap = last_day_of_duration(virtual_start, STANDARD_MAX_MONTHS)
    if contract.end_date <= standard_cap:
        return
    if not contract.ground:
        errors.add(
            "ground",
            _(
                "Au-delà de 24 mois de CDDI au total (fin au plus tard le %(date)s), un "
                "renouvellement n'est possible que pour un motif légal : 50 ans ou plus, RQTH, "
                "difficultés particulièrement importantes, ou achever une formation."
            )
            % {"date": long_date(standard_cap)},
        )
        return
    if contract.kind != ContractKind.RENEWAL:
        errors.add(
            "end_date",
            _("Au-delà de 24 mois, le CDDI ne se prolonge que par avenant de renouvellement."),
        )
        return
    longest = last_day_of_duration(contract.start_date, AMENDMENT_MAX_MONTHS)
    if contract.end_date > longest:
        errors.add(
            "end_date",
            _(
                "Au-delà de 24 mois, chaque avenant dure au plus 12 mois : "
                "fin au plus tard le %(date)s."
            )
            % {"date": long_date(longest)},
        )
    if contract.ground == DerogationGround.TRAINING:
        _check_training_ground(contract, errors)
    else:
        _check_difficulty_ground(contract, virtual_start, errors)


def _check_training_ground(contract: Contract, errors: _Errors) -> None:
    training = contract.training
    if training is None or training.beneficiary_id != contract.beneficiary_id:
        errors.add(
            "training", _("Choisissez la formation en cours que l'avenant permet d'achever.")
        )
    elif not training.start_date < contract.start_date <= training.end_date:
        errors.add(
            "training",
            _("La formation doit être en cours à la fin du contrat précédent."),
        )
    elif contract.end_date > training.end_date:
        errors.add(
            "end_date",
            _(
                "Pour achever une formation, l'avenant prend fin au plus tard à la fin de la "
                "formation, le %(date)s."
            )
            % {"date": long_date(training.end_date)},
        )


def _check_difficulty_ground(contract: Contract, virtual_start: date, errors: _Errors) -> None:
    person = contract.beneficiary
    if contract.ground == DerogationGround.SENIOR and (
        person.birth_date is None or age_on(person.birth_date, contract.start_date) < SENIOR_AGE
    ):
        errors.add(
            "ground",
            _("Le motif « 50 ans ou plus » suppose 50 ans révolus au début de l'avenant."),
        )
    if contract.ground == DerogationGround.RQTH and not person.rqth:
        errors.add(
            "ground",
            _(
                "Le motif RQTH suppose une reconnaissance de travailleur handicapé, à indiquer "
                "dans la situation de la personne."
            ),
        )
    if not contract.ground_details.strip():
        errors.add(
            "ground_details",
            _(
                "Décrivez les difficultés constatées et la décision de prolonger (prescripteur, "
                "ou la structure pour une embauche directe)."
            ),
        )
    derogation_cap = last_day_of_duration(virtual_start, DEROGATION_MAX_MONTHS)
    if contract.end_date > derogation_cap:
        errors.add(
            "end_date",
            _(
                "Avec dérogation, un CDDI ne peut dépasser 60 mois au total : fin au plus tard "
                "le %(date)s."
            )
            % {"date": long_date(derogation_cap)},
        )


def record_contract(contract: Contract, by) -> Contract:
    """Save a new initial contract or renewal after checking every CDDI rule."""
    with transaction.atomic():
        # One writer at a time per person: rules read the person's other contracts.
        person = Beneficiary.objects.select_for_update().get(pk=contract.beneficiary_id)
        contract.beneficiary = person
        _refuse_closed_record(person, contract)
        if contract.kind == ContractKind.RENEWAL and contract.previous_id:
            contract.previous = Contract.objects.select_for_update().get(pk=contract.previous_id)
        check_contract(contract)
        changed_by(contract, by)
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError as error:
            raise Conflict(
                _("Ce contrat vient d'être modifié par quelqu'un d'autre : rechargez la page.")
            ) from error
        refresh_person_dates(person)
        refresh_worked_months(person)
        action = AccessAction.CREATE
        log_access(by, action, person, record=_("Contrat n° %(n)s") % {"n": contract.pk})
    return contract


def renewal_for(previous: Contract) -> Contract:
    """An unsaved amendment that renews ``previous`` from the next day, same post and hours."""
    return Contract(
        beneficiary=previous.beneficiary,
        kind=ContractKind.RENEWAL,
        previous=previous,
        workshop=previous.workshop,
        post=previous.post,
        start_date=previous.end_date + ONE_DAY,
        end_date=previous.end_date + ONE_DAY,
        weekly_hours=previous.weekly_hours,
        hours_justification=previous.hours_justification,
    )


def _refuse_closed_record(person: Beneficiary, contract: Contract) -> None:
    if person.anonymised_at:
        raise Conflict(_("Ce dossier est anonymisé : il ne peut plus être modifié."))
    exit_record = getattr(person, "exit", None)
    if exit_record is not None:
        raise ValidationError(
            {
                "start_date": _(
                    "Cette personne est sortie du parcours le %(date)s : pour une nouvelle "
                    "embauche, ouvrez un nouveau dossier."
                )
                % {"date": long_date(exit_record.date)}
            }
        )


def refresh_person_dates(person: Beneficiary) -> None:
    """Entry date = first contract's start; age at entry follows (both survive anonymisation)."""
    first = person.contracts.order_by("start_date").values_list("start_date", flat=True).first()
    person.entry_date = first
    person.age_at_entry = age_on(person.birth_date, first) if first and person.birth_date else None
    Beneficiary.objects.filter(pk=person.pk).update(
        entry_date=person.entry_date, age_at_entry=person.age_at_entry
    )


def contract_hours(contract: Contract, first_day: date, last_day: date) -> Decimal:
    """Contractual hours of ``contract`` between two days: weekly hours × weeks under contract."""
    start = max(contract.start_date, first_day)
    end = min(contract.effective_end, last_day)
    return contract.weekly_hours * inclusive_days(start, end) / 7


def monthly_hours(contracts: list[Contract]) -> dict[tuple[date, str], Decimal]:
    """Hours per (month, workshop) over all ``contracts``, rounded to the cent."""
    totals: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    for contract in contracts:
        for month in months_between(contract.start_date, contract.effective_end):
            totals[(month, contract.workshop)] += contract_hours(contract, month, month_end(month))
    return {key: value.quantize(CENT, ROUND_HALF_UP) for key, value in totals.items()}


def refresh_worked_months(person: Beneficiary) -> None:
    """Rebuild the person's monthly hours from their contracts (what the indicators read)."""
    if person.anonymised_at:
        return
    WorkedMonth.objects.filter(beneficiary=person).delete()
    WorkedMonth.objects.bulk_create(
        WorkedMonth(beneficiary=person, month=month, workshop=workshop, hours=hours)
        for (month, workshop), hours in sorted(monthly_hours(list(person.contracts.all())).items())
    )

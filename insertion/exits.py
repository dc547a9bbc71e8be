"""Recording an exit: the CDDI ends on the exit day, and the time worked is frozen.

Counted exits (ASP, for an ACI): a person who worked less than 3 months in total is left out of
the exit rates, like every « retrait des sorties constatées » exit (circulaire DGEFP 2008-21).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hub.services import Conflict
from insertion.audit import log_access
from insertion.choices import AccessAction
from insertion.contracts import refresh_worked_months
from insertion.dates import inclusive_days, long_date
from insertion.early_end import EarlyEnd, end_early, needs_early_end
from insertion.models import Beneficiary, Contract, Exit

COUNTED_AFTER_MONTHS = 3
ESF_FOLLOWUP_MONTHS = 6


def worked_at_least(contracts: list[Contract], months: int) -> bool:
    """True when the contracts add up to ``months`` calendar months or more."""
    if not contracts:
        return False
    days = sum(inclusive_days(c.start_date, c.effective_end) for c in contracts)
    last_day = max(c.effective_end for c in contracts)
    virtual_start = last_day - timedelta(days=days - 1)
    return last_day >= virtual_start + relativedelta(months=months) - timedelta(days=1)


def record_exit(exit_record: Exit, by, early_end: EarlyEnd | None = None) -> Exit:
    """End the person's path; worked time is frozen.

    An exit before the planned end of the contract (or of an amendment already signed) is an
    early end of the CDDI: ``early_end`` gives its ground, the contract stops on the exit day
    and the amendments after it fall.
    """
    with transaction.atomic():
        person = Beneficiary.objects.select_for_update().get(pk=exit_record.beneficiary_id)
        if person.anonymised_at:
            raise Conflict(_("Ce dossier est anonymisé : il ne peut plus être modifié."))
        if Exit.objects.filter(beneficiary=person).exists():
            raise Conflict(_("La sortie de cette personne est déjà enregistrée."))
        contracts = list(person.contracts.order_by("start_date"))
        _check_exit_date(exit_record, contracts)
        if needs_early_end(contracts, exit_record.date):
            if early_end is None:
                _refuse_without_ground(exit_record, contracts)
            end_early(person, exit_record.date, early_end, by)
            contracts = list(person.contracts.order_by("start_date"))
        exit_record.worked_days = sum(
            inclusive_days(c.start_date, c.effective_end) for c in contracts
        )
        exit_record.over_three_months = worked_at_least(contracts, COUNTED_AFTER_MONTHS)
        exit_record.full_clean()
        exit_record.save()
        refresh_worked_months(person)
        log_access(
            by, AccessAction.CREATE, person, record=_("Sortie"), detail=exit_record.reason.label
        )
    return exit_record


def _check_exit_date(exit_record: Exit, contracts: list[Contract]) -> None:
    if not contracts:
        raise ValidationError(
            {"date": _("Enregistrez d'abord le contrat : une sortie suit une embauche.")}
        )
    first = contracts[0].start_date
    if exit_record.date < first:
        raise ValidationError(
            {
                "date": _("La sortie ne peut précéder l'entrée, le %(date)s.")
                % {"date": long_date(first)}
            }
        )


def _refuse_without_ground(exit_record: Exit, contracts: list[Contract]) -> None:
    late = [c for c in contracts if c.start_date > exit_record.date]
    if late:
        message = _(
            "Le contrat du %(date)s commence après cette date de sortie : indiquez le motif de "
            "la fin anticipée, les avenants suivants tomberont."
        ) % {"date": long_date(late[0].start_date)}
    else:
        running = needs_early_end(contracts, exit_record.date)
        message = _(
            "Le contrat court jusqu'au %(date)s : une sortie avant cette date met fin au "
            "contrat par anticipation ; indiquez-en le motif."
        ) % {"date": long_date(running.effective_end)}
    raise ValidationError({"early_end_ground": message})


def record_followup(exit_record: Exit, on: date, situation: str, by) -> Exit:
    """Note the person's situation six months after exit (ESF+ participant data)."""
    with transaction.atomic():
        exit_record = Exit.objects.select_for_update().get(pk=exit_record.pk)
        if on < exit_record.date:
            raise ValidationError({"followup_on": _("Le suivi a lieu après la sortie.")})
        exit_record.followup_on = on
        exit_record.followup_situation = situation
        exit_record.full_clean()
        exit_record.save(update_fields=["followup_on", "followup_situation"])
        log_access(
            by,
            AccessAction.CHANGE,
            exit_record.beneficiary,
            record=_("Sortie"),
            detail=_("Suivi à 6 mois"),
        )
    return exit_record

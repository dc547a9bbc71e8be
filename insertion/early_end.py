"""Ending a CDDI before its term (rupture anticipée), and the renewal amendments that fall.

A CDDI is a CDD: it ends early only on the grounds of the Code du travail (insertion reference,
« Ending a CDDI before its term »):
- L1243-1: written agreement of both parties, serious misconduct, force majeure, unfitness
  declared by the occupational doctor;
- L1242-10: during the trial period (one day per week of contract, at most two weeks for a
  contract of six months or less, at most one month beyond);
- L1243-2: the employee is hired on a permanent contract (CDI);
- a suspension for a trial period with another employer that leads to hiring;
- to take a CDD of six months or more or a qualifying training: reported for CDDI by some
  practitioners only, so the reference marks it « to confirm with the DDETS »; it is offered,
  but recording it requires the DDETS's confirmation to be written down.
The date, the ground and who decided are recorded on the contract; renewal amendments starting
after that date fall (they are deleted, and the deletion is logged).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hub.services import changed_by
from insertion.audit import log_access
from insertion.choices import AccessAction, ContractKind, EarlyEndGround, EarlyEndInitiative
from insertion.dates import inclusive_days, last_day_of_duration, long_date
from insertion.models import Beneficiary, Contract

Ground = EarlyEndGround
Initiative = EarlyEndInitiative

INITIATIVES = {
    Ground.AGREEMENT: {Initiative.BOTH},
    Ground.MISCONDUCT: {Initiative.EMPLOYER},
    Ground.FORCE_MAJEURE: {Initiative.EMPLOYER, Initiative.EMPLOYEE},
    Ground.UNFITNESS: {Initiative.EMPLOYER},
    Ground.TRIAL_PERIOD: {Initiative.EMPLOYER, Initiative.EMPLOYEE},
    Ground.PERMANENT_HIRING: {Initiative.EMPLOYEE},
    Ground.HIRED_AFTER_TRIAL: {Initiative.EMPLOYEE},
    Ground.LONG_JOB_OR_TRAINING: {Initiative.EMPLOYEE},
}
TO_CONFIRM = {Ground.LONG_JOB_OR_TRAINING}
TRIAL_SHORT_CONTRACT_MONTHS = 6
TRIAL_SHORT_CAP_DAYS = 14


@dataclass(frozen=True)
class EarlyEnd:
    """Why a contract ends before its term, and who decided."""

    ground: str
    initiative: str
    details: str = ""


def trial_period_end(contract: Contract) -> date:
    """Last day of the trial period of an initial CDDI (Code du travail L1242-10)."""
    weeks = max(inclusive_days(contract.start_date, contract.end_date) // 7, 1)
    by_weeks = contract.start_date + timedelta(days=weeks - 1)
    if contract.end_date <= last_day_of_duration(contract.start_date, TRIAL_SHORT_CONTRACT_MONTHS):
        cap = contract.start_date + timedelta(days=TRIAL_SHORT_CAP_DAYS - 1)
    else:
        cap = last_day_of_duration(contract.start_date, 1)
    return min(by_weeks, cap)


def running_on(contracts: list[Contract], day: date) -> Contract | None:
    """The contract under which the person works on ``day``."""
    return next((c for c in contracts if c.start_date <= day <= c.effective_end), None)


def check_early_end(contract: Contract, on: date, early_end: EarlyEnd) -> None:
    """Raise a ValidationError, by field, when the early end breaks a rule."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    ground = early_end.ground
    if ground not in Ground.values:
        refuse("early_end_ground", _("Choisissez le motif de la fin anticipée."))
        raise ValidationError(errors)
    if early_end.initiative not in INITIATIVES[ground]:
        allowed = ", ".join(str(Initiative(value).label) for value in sorted(INITIATIVES[ground]))
        refuse(
            "early_end_initiative",
            _("Pour ce motif, la décision revient à : %(who)s.") % {"who": allowed},
        )
    if ground in TO_CONFIRM and not early_end.details.strip():
        refuse(
            "early_end_details",
            _(
                "Ce motif n'est pas prévu en toutes lettres pour le CDDI : notez la confirmation "
                "de la DDETS (date, interlocuteur·rice) avant d'y recourir."
            ),
        )
    if ground == Ground.TRIAL_PERIOD:
        if contract.kind != ContractKind.INITIAL:
            refuse(
                "early_end_ground",
                _("Un avenant de renouvellement n'a pas de période d'essai."),
            )
        elif on > (trial_end := trial_period_end(contract)):
            refuse(
                "early_end_ground",
                _("La période d'essai de ce contrat a pris fin le %(date)s.")
                % {"date": long_date(trial_end)},
            )
    if errors:
        raise ValidationError(errors)


def falling_amendments(contract: Contract) -> list[Contract]:
    """The renewal amendments that follow ``contract``, latest first."""
    chain, current = [], contract
    while (following := Contract.objects.filter(previous=current).first()) is not None:
        chain.append(following)
        current = following
    return list(reversed(chain))


def end_early(person: Beneficiary, on: date, early_end: EarlyEnd, by) -> Contract:
    """End the contract running on ``on`` that day, for ``early_end``; amendments after it fall.

    Call it inside a transaction holding the person's row lock.
    """
    contracts = list(person.contracts.order_by("start_date"))
    contract = running_on(contracts, on)
    if contract is None or contract.ended_on:
        raise ValidationError(
            {"date": _("Aucun contrat ne court le %(date)s.") % {"date": long_date(on)}}
        )
    check_early_end(contract, on, early_end)
    amendments = falling_amendments(contract)
    others = [c for c in contracts if c.start_date > on and c not in amendments]
    if others:
        raise ValidationError(
            {
                "date": _(
                    "Le contrat du %(date)s n'est pas un avenant de celui-ci : mettez-y fin à part."
                )
                % {"date": long_date(others[0].start_date)}
            }
        )
    for amendment in amendments:
        log_access(
            by,
            AccessAction.DELETE,
            person,
            record=_("Contrat n° %(n)s") % {"n": amendment.pk},
            detail=_("Avenant tombé avec la fin anticipée du %(date)s") % {"date": long_date(on)},
        )
        changed_by(amendment, by)
        amendment.delete()
    contract.ended_on = on
    contract.end_ground = early_end.ground
    contract.end_initiative = early_end.initiative
    contract.end_details = early_end.details.strip()
    changed_by(contract, by)
    contract.save(update_fields=["ended_on", "end_ground", "end_initiative", "end_details"])
    log_access(
        by,
        AccessAction.CHANGE,
        person,
        record=_("Contrat n° %(n)s") % {"n": contract.pk},
        detail=_("Fin anticipée : %(ground)s") % {"ground": Ground(early_end.ground).label},
    )
    return contract


def needs_early_end(contracts: list[Contract], exit_day: date) -> Contract | None:
    """The first contract that would still run after ``exit_day`` (None when none does)."""
    return next((c for c in contracts if c.effective_end > exit_day), None)

"""PASS IAE rules: 2-year validity, suspensions and extensions push the end date.

Source: the public code of « les emplois de l'inclusion » (the State's PASS IAE service), as
summarised in the insertion reference:
- a PASS is valid 2 years: from 1 March 2025 to 28 February 2027;
- a suspension lasts at most 36 months and may start up to 365 days in the past; its days
  (both ends included) are added to the end date;
- an extension is requested from 12 months before to 6 months after the end date, lasts at most
  365 days per request, and its days are added to the end date; cumulated caps per ground:
  RQTH 3 years, particular difficulties (ACI and AI only) 3 years, aged 50+ 5 years; to finish a
  training, until the training ends.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.services import Conflict
from insertion.audit import log_access
from insertion.choices import AccessAction, ExtensionReason
from insertion.dates import age_on, last_day_of_duration, long_date
from insertion.models import Beneficiary, PassExtension, PassIae, PassSuspension, Training

VALIDITY_MONTHS = 24
SUSPENSION_MAX_MONTHS = 36
SUSPENSION_RETROACTIVE_DAYS = 365
EXTENSION_MAX_DAYS = 365
EXTENSION_WINDOW_BEFORE_MONTHS = 12
EXTENSION_WINDOW_AFTER_MONTHS = 6
# Cumulated caps in days (a year counted as 365 days, as the service does).
EXTENSION_CAPS_DAYS = {
    ExtensionReason.RQTH: 3 * 365,
    ExtensionReason.DIFFICULTIES: 3 * 365,
    ExtensionReason.SENIOR: 5 * 365,
}
SENIOR_AGE = 50


def default_end_date(start: date) -> date:
    """End of a PASS started on ``start`` before any suspension or extension."""
    return last_day_of_duration(start, VALIDITY_MONTHS)


def compute_end_date(pass_iae: PassIae) -> date:
    """2-year end plus the days of every suspension and extension."""
    suspended = sum(s.days for s in pass_iae.suspensions.all())
    extended = pass_iae.extensions.aggregate(total=Sum("days"))["total"] or 0
    return default_end_date(pass_iae.start_date) + timedelta(days=suspended + extended)


def _lock_person(pk: int) -> Beneficiary:
    person = Beneficiary.objects.select_for_update().get(pk=pk)
    if person.anonymised_at:
        raise Conflict(_("Ce dossier est anonymisé : il ne peut plus être modifié."))
    return person


def record_pass(pass_iae: PassIae, by) -> PassIae:
    """Save a new PASS IAE, refused while another one of the person is still valid."""
    with transaction.atomic():
        person = _lock_person(pass_iae.beneficiary_id)
        current = person.passes.filter(end_date__gte=pass_iae.start_date).first()
        if current:
            raise ValidationError(
                {
                    "start_date": _("Cette personne a déjà un PASS IAE valable jusqu'au %(date)s.")
                    % {"date": long_date(current.end_date)}
                }
            )
        pass_iae.end_date = default_end_date(pass_iae.start_date)
        pass_iae.full_clean()
        pass_iae.save()
        log_access(by, AccessAction.CREATE, person, record=str(pass_iae))
    return pass_iae


def check_suspension(suspension: PassSuspension, today: date) -> None:
    """Raise a ValidationError when a suspension breaks the PASS IAE rules."""
    pass_iae = suspension.pass_iae
    errors: dict[str, list[str]] = {}
    if suspension.end_date < suspension.start_date:
        errors["end_date"] = [_("La fin de la suspension doit suivre son début.")]
        raise ValidationError(errors)
    if not pass_iae.start_date <= suspension.start_date <= pass_iae.end_date:
        errors.setdefault("start_date", []).append(
            _("La suspension commence pendant la validité du PASS, du %(start)s au %(end)s.")
            % {"start": long_date(pass_iae.start_date), "end": long_date(pass_iae.end_date)}
        )
    earliest = today - timedelta(days=SUSPENSION_RETROACTIVE_DAYS)
    if suspension.start_date < earliest:
        errors.setdefault("start_date", []).append(
            _("Une suspension est rétroactive d'un an au plus : début au plus tôt le %(date)s.")
            % {"date": long_date(earliest)}
        )
    latest_end = last_day_of_duration(suspension.start_date, SUSPENSION_MAX_MONTHS)
    if suspension.end_date > latest_end:
        errors.setdefault("end_date", []).append(
            _("Une suspension dure au plus 36 mois : fin au plus tard le %(date)s.")
            % {"date": long_date(latest_end)}
        )
    for other in pass_iae.suspensions.exclude(pk=suspension.pk):
        if other.start_date <= suspension.end_date and suspension.start_date <= other.end_date:
            errors.setdefault("start_date", []).append(
                _("Cette suspension chevauche celle du %(start)s au %(end)s.")
                % {"start": long_date(other.start_date), "end": long_date(other.end_date)}
            )
    if errors:
        raise ValidationError(errors)


def suspend_pass(suspension: PassSuspension, by, today: date | None = None) -> PassSuspension:
    """Record a suspension and push the PASS end date back by its days."""
    with transaction.atomic():
        person = _lock_person(suspension.pass_iae.beneficiary_id)
        suspension.pass_iae = PassIae.objects.select_for_update().get(pk=suspension.pass_iae_id)
        check_suspension(suspension, today or timezone.localdate())
        suspension.full_clean()
        suspension.save()
        _refresh_end_date(suspension.pass_iae)
        log_access(
            by,
            AccessAction.CHANGE,
            person,
            record=str(suspension.pass_iae),
            detail=_("Suspension de %(days)s jours") % {"days": suspension.days},
        )
    return suspension


def check_extension(extension: PassExtension, today: date) -> None:
    """Raise a ValidationError when an extension breaks the PASS IAE rules.

    The window is checked against the day the request was made, which cannot lie after
    ``today``: a date to come would let a late request pass for one made in time.
    """
    pass_iae = extension.pass_iae
    person = pass_iae.beneficiary
    new_end = pass_iae.end_date + timedelta(days=extension.days or 0)
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not extension.days or extension.days <= 0:
        refuse(
            "new_end_date",
            _("La nouvelle fin doit suivre la fin actuelle du PASS, le %(date)s.")
            % {"date": long_date(pass_iae.end_date)},
        )
        raise ValidationError(errors)
    if extension.days > EXTENSION_MAX_DAYS:
        refuse(
            "new_end_date",
            _("Une prolongation dure au plus 365 jours par demande : fin au plus tard le %(date)s.")
            % {"date": long_date(pass_iae.end_date + timedelta(days=EXTENSION_MAX_DAYS))},
        )
    window_start = pass_iae.end_date - relativedelta(months=EXTENSION_WINDOW_BEFORE_MONTHS)
    window_end = pass_iae.end_date + relativedelta(months=EXTENSION_WINDOW_AFTER_MONTHS)
    if extension.requested_on > today:
        refuse(
            "requested_on",
            _(
                "La demande ne peut être datée d'un jour à venir : indiquez le jour où elle a "
                "été faite, au plus tard aujourd'hui (%(date)s)."
            )
            % {"date": long_date(today)},
        )
    elif not window_start <= extension.requested_on <= window_end:
        refuse(
            "requested_on",
            _(
                "Une prolongation se demande entre 12 mois avant et 6 mois après la fin du PASS, "
                "soit du %(start)s au %(end)s."
            )
            % {"start": long_date(window_start), "end": long_date(window_end)},
        )
    reason = extension.reason
    if reason in EXTENSION_CAPS_DAYS:
        used = (
            pass_iae.extensions.filter(reason=reason)
            .exclude(pk=extension.pk)
            .aggregate(total=Sum("days"))["total"]
            or 0
        )
        cap = EXTENSION_CAPS_DAYS[reason]
        if used + extension.days > cap:
            refuse(
                "new_end_date",
                _(
                    "Les prolongations pour ce motif ne dépassent pas %(years)s ans au total : "
                    "il reste %(left)s jours."
                )
                % {"years": cap // 365, "left": max(cap - used, 0)},
            )
    if reason == ExtensionReason.SENIOR and (
        person.birth_date is None or age_on(person.birth_date, extension.requested_on) < SENIOR_AGE
    ):
        refuse("reason", _("Ce motif suppose que la personne ait 50 ans ou plus."))
    if reason == ExtensionReason.RQTH and not person.rqth:
        refuse(
            "reason", _("Ce motif suppose une RQTH, à indiquer dans la situation de la personne.")
        )
    if reason == ExtensionReason.DIFFICULTIES and not extension.details.strip():
        refuse("details", _("Décrivez les difficultés particulières qui justifient la demande."))
    if reason == ExtensionReason.TRAINING:
        _check_training_extension(extension, new_end, refuse)
    if errors:
        raise ValidationError(errors)


def _check_training_extension(extension: PassExtension, new_end: date, refuse) -> None:
    training: Training | None = extension.training
    if training is None or training.beneficiary_id != extension.pass_iae.beneficiary_id:
        refuse("training", _("Choisissez la formation à achever."))
    elif new_end > training.end_date:
        refuse(
            "new_end_date",
            _("La prolongation pour formation s'arrête à la fin de la formation, le %(date)s.")
            % {"date": long_date(training.end_date)},
        )


def extend_pass(
    extension: PassExtension, new_end_date: date, by, today: date | None = None
) -> PassExtension:
    """Record an extension up to ``new_end_date`` and move the PASS end date there."""
    with transaction.atomic():
        person = _lock_person(extension.pass_iae.beneficiary_id)
        extension.pass_iae = PassIae.objects.select_for_update().get(pk=extension.pass_iae_id)
        extension.days = max((new_end_date - extension.pass_iae.end_date).days, 0)
        check_extension(extension, today or timezone.localdate())
        extension.full_clean()
        extension.save()
        _refresh_end_date(extension.pass_iae)
        log_access(
            by,
            AccessAction.CHANGE,
            person,
            record=str(extension.pass_iae),
            detail=_("Prolongation de %(days)s jours") % {"days": extension.days},
        )
    return extension


def _refresh_end_date(pass_iae: PassIae) -> None:
    pass_iae.end_date = compute_end_date(pass_iae)
    PassIae.objects.filter(pk=pass_iae.pk).update(end_date=pass_iae.end_date)

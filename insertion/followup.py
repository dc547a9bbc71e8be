"""Recording the follow-up of a path: identity, interviews, barriers, trainings, immersions.

Simple rules live in each model's ``clean`` (so the admin applies them too); these functions add
locking, the access log and the state changes.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from hub.services import Conflict, other_fields, transition
from insertion.audit import log_access
from insertion.choices import AccessAction, BarrierStatus
from insertion.contracts import refresh_person_dates
from insertion.models import Barrier, BarrierAction, Beneficiary
from insertion.workflows import BARRIER

# The next statuses a barrier may take, as the form offers them (from the declared workflow).
BARRIER_NEXT = {status: set(BARRIER.targets(status)) for status in BarrierStatus.values}


def _lock_person(pk: int) -> Beneficiary:
    person = Beneficiary.objects.select_for_update().get(pk=pk)
    if person.anonymised_at:
        raise Conflict(_("Ce dossier est anonymisé : il ne peut plus être modifié."))
    return person


def save_beneficiary(person: Beneficiary, by, changed: list[str] | None = None) -> Beneficiary:
    """Create or update a person's identity and situation at entry."""
    creating = person.pk is None
    with transaction.atomic():
        if not creating:
            _lock_person(person.pk)
        person.full_clean()
        person.save()
        if not creating:
            refresh_person_dates(person)  # the birth date may have been corrected
        detail = ", ".join(changed or [])
        action = AccessAction.CREATE if creating else AccessAction.CHANGE
        log_access(by, action, person, record=person.reference, detail=detail)
    return person


def record_item(item: models.Model, by) -> models.Model:
    """Save a new interview, barrier, training or immersion of a person."""
    with transaction.atomic():
        person = _lock_person(item.beneficiary_id)
        item.full_clean()
        item.save()
        log_access(
            by, AccessAction.CREATE, person, record=f"{item._meta.verbose_name} n° {item.pk}"
        )
    return item


def move_barrier(barrier: Barrier, status: str, on: date | None, by) -> Barrier:
    """Move a barrier forward: identified → in progress → lifted (lifting needs a date)."""
    with transaction.atomic():
        person = _lock_person(barrier.beneficiary_id)
        barrier = Barrier.objects.select_for_update().get(pk=barrier.pk)
        if not BARRIER.allows(barrier.status, status):
            raise ValidationError(
                {
                    "status": _("Un frein « %(from)s » ne peut passer à « %(to)s ».")
                    % {"from": barrier.get_status_display(), "to": BarrierStatus(status).label}
                }
            )
        if status == BarrierStatus.LIFTED:
            if on is None:
                raise ValidationError(
                    {"lifted_on": _("Indiquez la date à laquelle le frein est levé.")}
                )
            barrier.lifted_on = on
        transition(
            barrier,
            status,
            by=by,
            source="insertion.move_barrier",
            fields=other_fields(barrier),
            clean=True,
        )
        log_access(
            by,
            AccessAction.CHANGE,
            person,
            record=_("Frein n° %(n)s") % {"n": barrier.pk},
            detail=barrier.get_status_display(),
        )
    return barrier


def add_barrier_action(action: BarrierAction, by) -> BarrierAction:
    """Record an action on a barrier; a barrier only identified is then « in progress »."""
    with transaction.atomic():
        person = _lock_person(action.barrier.beneficiary_id)
        barrier = Barrier.objects.select_for_update().get(pk=action.barrier_id)
        if barrier.status == BarrierStatus.LIFTED:
            raise ValidationError(_("Ce frein est levé : aucune action n'est plus à noter."))
        action.barrier = barrier
        action.full_clean()
        action.save()
        if barrier.status == BarrierStatus.IDENTIFIED:
            transition(
                barrier,
                BarrierStatus.IN_PROGRESS,
                by=by,
                why=_("Une action a été notée."),
                source="insertion.add_barrier_action",
            )
        log_access(
            by,
            AccessAction.CREATE,
            person,
            record=_("Action sur le frein n° %(n)s") % {"n": barrier.pk},
        )
    return action

"""Declared state machines: one table of allowed moves per model, one way to move, one history.

An app declares a ``Workflow`` for each model with a status (the allowed ``from -> to`` moves)
and registers it in its ``AppConfig.ready`` through ``hub.services.register_workflow``; the hub
imports no app. Every status change then goes through ``transition`` (one object, inside the
caller's transaction and row lock) or ``transition_many`` (a bulk UPDATE): a move absent from
the table is refused with ``TransitionRefused`` (a ``Conflict``: HTTP 409) before anything is
written, an allowed one saves the status with ``update_fields`` and records a
``hub.StatusChange`` (who, when, from, to, why, source) in the same transaction.

A made-up past (the demo's months of orders and rounds) is written by ``record_past``: rows
created in their first status, then moved in bulk along dated moves checked against the table.

``tests/hub/test_status_assignments.py`` fails on a status written anywhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import Any, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.exceptions import Conflict
from hub.field_history import changed_by
from hub.models import StatusChange

logger = logging.getLogger(__name__)

# Who makes a move: a user, or nobody in particular (a scheduled job, a provider's webhook).
Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None


class TransitionRefused(Conflict):
    """A move that the model's workflow does not allow: nothing was written."""


@dataclass(frozen=True)
class Workflow:
    """The allowed moves of one model's status field: ``{from: {to, …}, …}``."""

    model: str  # "app_label.ModelName"
    moves: Mapping[str, frozenset[str] | set[str] | tuple[str, ...]]
    field: str = "status"
    allowed: frozenset[tuple[str, str]] = dataclass_field(init=False)

    def __post_init__(self) -> None:
        pairs = frozenset(
            (str(source), str(target))
            for source, targets in self.moves.items()
            for target in targets
        )
        object.__setattr__(self, "allowed", pairs)

    def allows(self, source: str, target: str) -> bool:
        return (str(source), str(target)) in self.allowed

    def sources(self, target: str) -> list[str]:
        """The statuses from which ``target`` may be reached."""
        return sorted(source for source, to in self.allowed if to == str(target))

    def targets(self, source: str) -> list[str]:
        """The statuses reachable in one move from ``source``."""
        return sorted(to for origin, to in self.allowed if origin == str(source))

    def states(self) -> list[str]:
        return [str(value) for value in choices_of(self.model_class(), self.field)]

    def model_class(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model)


_workflows: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow) -> None:
    """Declare the allowed status moves of a model (called from an app's ``ready``)."""
    _workflows[workflow.model.lower()] = workflow


def workflows() -> list[Workflow]:
    """Every registered workflow, by model label."""
    return sorted(_workflows.values(), key=lambda workflow: workflow.model)


def workflow_for(model: type[models.Model] | models.Model) -> Workflow:
    """The workflow registered for a model (class or instance)."""
    label = model._meta.label_lower
    try:
        return _workflows[label]
    except KeyError:
        raise ImproperlyConfigured(f"No workflow registered for {label}.") from None


def choices_of(model: type[models.Model] | models.Model, name: str) -> dict[Any, Any]:
    """A field's choices, value -> label."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return dict(field.flatchoices)


def refusal(obj: models.Model, workflow: Workflow, source: str, target: str) -> TransitionRefused:
    """The error for a forbidden move, in French with the statuses' labels."""
    choices = choices_of(obj, workflow.field)
    return TransitionRefused(
        _("Impossible : « %(what)s » ne peut pas passer de « %(from)s » à « %(to)s ».")
        % {
            "what": obj._meta.verbose_name,
            "from": choices.get(source, source),
            "to": choices.get(target, target),
        }
    )


def set_initial_status(obj: models.Model, status: str) -> None:
    """Give an object not saved yet its first status (no history: being created is not a
    move). Raises ``ValueError`` on a saved object or an unknown status."""
    workflow = workflow_for(obj)
    if not obj._state.adding:
        raise ValueError(f"{obj._meta.label} {obj.pk} exists: move it with transition().")
    if str(status) not in workflow.states():
        raise ValueError(f"{status!r} is not a status of {obj._meta.label}.")
    setattr(obj, workflow.field, status)


def other_fields(obj: models.Model) -> list[str]:
    """Every column of ``obj`` but its primary key and its workflow's field: pass it as
    ``fields`` to ``transition`` when the caller changed many fields along with the status."""
    name = workflow_for(obj).field
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key and f.name != name]


def _auto_now_fields(model: type[models.Model] | models.Model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and getattr(f, "auto_now", False)
    ]


def transition(
    obj: models.Model,
    to: str,
    *,
    by: Actor = None,
    why: str = "",
    source: str = "",
    fields: Iterable[str] = (),
    at: Any = None,
    clean: bool = False,
) -> StatusChange:
    """Move ``obj`` to status ``to`` if its workflow allows it, or raise ``TransitionRefused``
    having written nothing. Saves the status (plus ``fields`` and ``auto_now`` fields) with
    ``update_fields`` and records who, when, from, to and why. With ``clean``, the moved object
    must pass ``full_clean()`` first (its ValidationError leaves the object as it was). Call it
    on a row the caller has locked (``select_for_update``) when others may move it at the same
    time."""
    workflow = workflow_for(obj)
    current = str(getattr(obj, workflow.field))
    target = str(to)
    if not workflow.allows(current, target):
        logger.info("Refused status move %s %s: %s -> %s", obj._meta.label, obj.pk, current, target)
        raise refusal(obj, workflow, current, target)
    setattr(obj, workflow.field, to)
    if clean:
        try:
            obj.full_clean()
        except ValidationError:
            setattr(obj, workflow.field, current)
            raise
    with transaction.atomic(savepoint=False):
        if _user(by) is not None:
            changed_by(obj, by)  # the author in the field history too, even outside a request
        update = [workflow.field, *fields, *_auto_now_fields(obj)]
        obj.save(update_fields=list(dict.fromkeys(update)))
        return StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            field=workflow.field,
            from_status=current,
            to_status=target,
            by=_user(by),
            at=at or timezone.now(),
            why=str(why)[:300],
            source=source[:80],
        )


def transition_many(
    queryset: models.QuerySet[Any],
    to: str,
    *,
    by: Actor = None,
    why: str = "",
    source: str = "",
    values: Mapping[str, Any] | None = None,
) -> int:
    """Move every row of ``queryset`` to ``to`` in bulk (with the extra column ``values``) and
    record one change per row. Refuses the whole batch, writing nothing, if one row may not
    make the move; a row moved meanwhile by someone else makes it a Conflict too (rolled back).
    Returns how many rows moved."""
    model = queryset.model
    workflow = workflow_for(model)
    target = str(to)
    rows = list(queryset.order_by("pk").values_list("pk", workflow.field))
    for pk, current in rows:
        if not workflow.allows(current, target):
            raise refusal(model(pk=pk), workflow, current, target)
    if not rows:
        return 0
    now = timezone.now()
    update = {workflow.field: to, **(values or {})}
    update.update({name: now for name in _auto_now_fields(model) if name not in update})
    content_type = ContentType.objects.get_for_model(model)
    with transaction.atomic():
        for current in sorted({current for _pk, current in rows}):
            pks = [pk for pk, status in rows if status == current]
            moved = model._default_manager.filter(pk__in=pks, **{workflow.field: current}).update(
                **update
            )
            if moved != len(pks):
                raise Conflict(_("Ces éléments viennent de changer : réessayez."))
        StatusChange.objects.bulk_create(
            StatusChange(
                content_type=content_type,
                object_id=pk,
                field=workflow.field,
                from_status=current,
                to_status=target,
                by=_user(by),
                at=now,
                why=str(why)[:300],
                source=source[:80],
            )
            for pk, current in rows
        )
    return len(rows)


@dataclass(frozen=True)
class PastMove:
    """One dated move of a row's past, for ``record_past``."""

    to: str
    at: datetime
    why: str = ""
    source: str = ""
    by: Actor = None


def record_past(paths: Iterable[tuple[models.Model, Sequence[PastMove]]]) -> int:
    """Move saved rows of one model along dated moves of the past, in bulk (the demo's invented
    months: no notification, no ``auto_now`` touched, the caller dates its rows). Each path is
    checked move by move from the row's stored status, its dates in order; one undeclared move
    refuses the whole batch having written nothing. Then one UPDATE per (first, last) status
    pair, one ``StatusChange`` per move at its date, and each object holds its last status.
    Returns how many moves were recorded."""
    paths = [(obj, list(moves)) for obj, moves in paths if moves]
    if not paths:
        return 0
    model = type(paths[0][0])
    if any(type(obj) is not model for obj, _moves in paths):
        raise ValueError("record_past moves rows of one model at a time.")
    workflow = workflow_for(model)
    manager = model._default_manager
    pks = [obj.pk for obj, _moves in paths]
    stored = dict(manager.filter(pk__in=pks).values_list("pk", workflow.field))
    changes: list[StatusChange] = []
    ends: dict[tuple[str, str], list[Any]] = {}
    for obj, moves in paths:
        if obj.pk not in stored:
            raise ValueError(f"{model._meta.label} {obj.pk} is not saved: create it first.")
        first = str(stored[obj.pk])
        changes += _past_changes(obj, workflow, first, moves)
        ends.setdefault((first, changes[-1].to_status), []).append(obj.pk)
    with transaction.atomic():
        for (first, last), group in ends.items():
            moved = manager.filter(pk__in=group, **{workflow.field: first}).update(
                **{workflow.field: last}
            )
            if moved != len(group):
                raise Conflict(_("Ces éléments viennent de changer : réessayez."))
        StatusChange.objects.bulk_create(changes, batch_size=500)
    for obj, moves in paths:
        setattr(obj, workflow.field, moves[-1].to)
    return len(changes)


def _past_changes(
    obj: models.Model, workflow: Workflow, current: str, moves: Sequence[PastMove]
) -> list[StatusChange]:
    """The history rows of one path, refused at its first undeclared or out-of-date move."""
    content_type = ContentType.objects.get_for_model(obj)
    changes: list[StatusChange] = []
    for move in moves:
        if not workflow.allows(current, move.to):
            raise refusal(obj, workflow, current, move.to)
        if changes and move.at < changes[-1].at:
            raise ValueError(f"{obj._meta.label} {obj.pk}: moves out of date order.")
        changes.append(
            StatusChange(
                content_type=content_type,
                object_id=obj.pk,
                field=workflow.field,
                from_status=current,
                to_status=str(move.to),
                by=_user(move.by),
                at=move.at,
                why=str(move.why)[:300],
                source=move.source[:80],
            )
        )
        current = str(move.to)
    return changes


def status_changes(obj: models.Model) -> models.QuerySet[StatusChange]:
    """The recorded moves of one object, oldest first."""
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("by")


def _user(by: Actor) -> Any:
    """Anonymous users and missing users are recorded as nobody."""
    if by is None or not getattr(by, "is_authenticated", False):
        return None
    return by

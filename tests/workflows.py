"""Walk a declared state machine: every allowed move is made and recorded, every other move
is refused with nothing written (neither the status nor a history row)."""

import pytest

from hub.models import StatusChange
from hub.services import TransitionRefused, status_changes, transition


def _put(obj, workflow, status, columns) -> None:
    """Place the object in ``status`` directly (test set-up, outside the workflow)."""
    type(obj).objects.filter(pk=obj.pk).update(**{workflow.field: status, **columns(status)})
    obj.refresh_from_db()


def walk_every_move(workflow, obj, user, columns_for=None, **columns) -> tuple[int, int]:
    """Make every allowed move and try every forbidden one from each state, on ``obj``
    (given ``columns`` first, e.g. what a constraint asks of some states, and
    ``columns_for(status)``, the columns that go with a status, set with each move); return
    the (allowed, refused) counts so the caller can check the table was walked."""
    if columns:
        type(obj).objects.filter(pk=obj.pk).update(**columns)
        obj.refresh_from_db()
    columns_for = columns_for or (lambda status: {})
    states = workflow.states()
    allowed = refused = 0
    for source in states:
        for target in states:
            _put(obj, workflow, source, columns_for)
            before = StatusChange.objects.count()
            moving = columns_for(target)
            for name, value in moving.items():
                setattr(obj, name, value)
            if workflow.allows(source, target):
                change = transition(
                    obj, target, by=user, why=f"{source} vers {target}", fields=list(moving)
                )
                obj.refresh_from_db()
                assert getattr(obj, workflow.field) == target
                recorded = status_changes(obj).last()
                assert recorded == change
                assert (recorded.from_status, recorded.to_status) == (source, target)
                assert recorded.by == user
                assert recorded.why == f"{source} vers {target}"
                assert StatusChange.objects.count() == before + 1
                allowed += 1
            else:
                with pytest.raises(TransitionRefused):
                    transition(obj, target, by=user, why="interdit")
                obj.refresh_from_db()
                assert getattr(obj, workflow.field) == source
                assert StatusChange.objects.count() == before
                refused += 1
    assert allowed == len(workflow.allowed)
    assert allowed + refused == len(states) ** 2
    return allowed, refused

"""Insertion's state machine: barriers (freins) only move forward."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hub.services import status_changes
from insertion.choices import BarrierStatus
from insertion.followup import move_barrier
from insertion.workflows import BARRIER
from tests.insertion.factories import BarrierFactory, CounsellorFactory
from tests.workflows import walk_every_move

pytestmark = pytest.mark.django_db


def test_a_barrier_makes_every_allowed_move_and_no_other():
    barrier = BarrierFactory()
    today = datetime.date.today()

    def lifted_on(status):
        return {"lifted_on": today if status == BarrierStatus.LIFTED else None}

    walked = walk_every_move(BARRIER, barrier, CounsellorFactory(), columns_for=lifted_on)
    assert walked == (3, 6)


def test_lifting_a_barrier_records_the_counsellor():
    counsellor = CounsellorFactory()
    barrier = BarrierFactory()
    move_barrier(barrier, BarrierStatus.LIFTED, datetime.date.today(), counsellor)
    [change] = status_changes(barrier)
    assert (change.from_status, change.to_status, change.by) == ("identified", "lifted", counsellor)
    assert change.why == ""  # no personal detail in the history


def test_a_lifted_barrier_without_a_date_is_not_moved():
    barrier = BarrierFactory()
    with pytest.raises(ValidationError):
        move_barrier(barrier, BarrierStatus.LIFTED, None, CounsellorFactory())
    barrier.refresh_from_db()
    assert barrier.status == BarrierStatus.IDENTIFIED
    assert not status_changes(barrier).exists()

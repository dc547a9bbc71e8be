"""Insertion's declared state machine: barriers (registered in ``InsertionConfig.ready``)."""

from hub.services import Workflow
from insertion.choices import BarrierStatus as B

# A barrier (frein) moves forward only: identified -> in progress -> lifted.
BARRIER = Workflow(
    "insertion.Barrier",
    {
        B.IDENTIFIED: {B.IN_PROGRESS, B.LIFTED},
        B.IN_PROGRESS: {B.LIFTED},
    },
)

WORKFLOWS = [BARRIER]

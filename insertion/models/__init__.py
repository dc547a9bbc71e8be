from insertion.models.audit import AccessLog
from insertion.models.contracts import Contract, WorkedMonth
from insertion.models.exits import Exit
from insertion.models.followup import Barrier, BarrierAction, Immersion, Interview, Training
from insertion.models.pass_iae import PassExtension, PassIae, PassSuspension
from insertion.models.people import Beneficiary
from insertion.models.reference import ExitReason, PriorityNeighbourhood

__all__ = [
    "AccessLog",
    "Barrier",
    "BarrierAction",
    "Beneficiary",
    "Contract",
    "Exit",
    "ExitReason",
    "Immersion",
    "Interview",
    "PassExtension",
    "PassIae",
    "PassSuspension",
    "PriorityNeighbourhood",
    "Training",
    "WorkedMonth",
]

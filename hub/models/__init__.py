"""The hub's models: accounts and structures (core), and the events agenda (events)."""

from hub.models.core import (
    Heartbeat,
    IdempotencyRecord,
    OutgoingEmail,
    Structure,
    StructureKind,
    StructureQuerySet,
    User,
    UserManager,
)
from hub.models.events import (
    ACTIVE_STATUSES,
    Audience,
    Event,
    EventKind,
    EventQuerySet,
    EventSeries,
    EventStatus,
    Recurrence,
    Registration,
    RegistrationStatus,
    StructureOrganiser,
)

__all__ = [
    "ACTIVE_STATUSES",
    "Audience",
    "Event",
    "EventKind",
    "EventQuerySet",
    "EventSeries",
    "EventStatus",
    "Heartbeat",
    "IdempotencyRecord",
    "OutgoingEmail",
    "Recurrence",
    "Registration",
    "RegistrationStatus",
    "Structure",
    "StructureKind",
    "StructureOrganiser",
    "StructureQuerySet",
    "User",
    "UserManager",
]

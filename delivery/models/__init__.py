"""Delivery's models: the zone and slots sold at checkout, the fleet, deliveries and rounds."""

from delivery.models.deliveries import (
    Delivery,
    DeliveryEvent,
    DeliveryStatus,
    EventKind,
    EventSource,
    FailureReason,
    Pickup,
    PickupStatus,
)
from delivery.models.fleet import BikeStatus, CargoBike, Courier, CourierShift
from delivery.models.live import LiveEvent
from delivery.models.notices import NoticeKind, ShopNotice
from delivery.models.proposals import PlanProposal, ProposalKind, ProposalStatus
from delivery.models.push import PushSubscription
from delivery.models.rounds import Round, RoundStatus, Stop, StopKind, StopState
from delivery.models.zone import (
    DeliverySlot,
    DeliverySlotQuerySet,
    DeliveryZone,
    FeeRule,
    FulfilmentMode,
    KnownPosition,
    PositionSource,
    RelayPoint,
    RelayPointHours,
    SlotTemplate,
    Weekday,
    default_zone,
    slot_bounds,
)

__all__ = [
    "PushSubscription",
    "LiveEvent",
    "BikeStatus",
    "CargoBike",
    "Courier",
    "CourierShift",
    "Delivery",
    "DeliveryEvent",
    "DeliverySlot",
    "DeliverySlotQuerySet",
    "DeliveryStatus",
    "DeliveryZone",
    "EventKind",
    "EventSource",
    "FailureReason",
    "FeeRule",
    "FulfilmentMode",
    "KnownPosition",
    "NoticeKind",
    "Pickup",
    "PickupStatus",
    "PlanProposal",
    "PositionSource",
    "ProposalKind",
    "ProposalStatus",
    "RelayPoint",
    "RelayPointHours",
    "Round",
    "RoundStatus",
    "ShopNotice",
    "SlotTemplate",
    "Stop",
    "StopKind",
    "StopState",
    "Weekday",
    "default_zone",
    "slot_bounds",
]

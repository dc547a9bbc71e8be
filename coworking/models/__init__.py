from coworking.models.atelier8 import (
    Application,
    ApplicationStatus,
    ApplicationStatusChange,
    OccupancyAgreement,
)
from coworking.models.bookings import Booking, BookingSource, BookingStatus
from coworking.models.passes import PassOffer, PassPurchase, PurchaseStatus
from coworking.models.people import (
    Coworker,
    Pass,
    PassKind,
    ProofCategory,
    ProofStatus,
    RateTier,
    SolidarityProof,
)
from coworking.models.spaces import (
    BookingMode,
    Closure,
    OpeningHours,
    Rate,
    Resource,
    ResourceKind,
    Space,
    SpaceKind,
    Weekday,
)
from coworking.models.studios import LeaseDocument, StudioLease, StudioRequest

__all__ = [
    "PassOffer",
    "PassPurchase",
    "PurchaseStatus",
    "Application",
    "ApplicationStatus",
    "ApplicationStatusChange",
    "Booking",
    "BookingMode",
    "BookingSource",
    "BookingStatus",
    "Closure",
    "Coworker",
    "LeaseDocument",
    "OccupancyAgreement",
    "OpeningHours",
    "Pass",
    "PassKind",
    "ProofCategory",
    "ProofStatus",
    "Rate",
    "RateTier",
    "Resource",
    "ResourceKind",
    "SolidarityProof",
    "Space",
    "SpaceKind",
    "StudioLease",
    "StudioRequest",
    "Weekday",
]

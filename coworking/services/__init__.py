"""What the coworking app offers to its views, API, tasks and to the hub (room booker)."""

from coworking.services.atelier8 import (
    accept_application,
    renew_agreement,
    review_application,
    submit_application,
    withdraw_application,
)
from coworking.services.booking import (
    SeriesResult,
    book,
    book_weekly,
    cancel_booking,
    cancellation_deadline,
    move_booking,
)
from coworking.services.events import book_event_room, cancel_event_room, event_rooms
from coworking.services.paid_bookings import online_payment_offered, payable_amount
from coworking.services.paid_bookings import payment_page as booking_payment_page
from coworking.services.payment_check import (
    PAYMENT_FOLLOWED,
    PaymentCheck,
    PaymentState,
    payment_check,
    payment_followed,
    payments_being_confirmed,
)
from coworking.services.people import decide_proof, submit_proof
from coworking.services.pricing import (
    coworker_for,
    credits_left,
    may_book,
    payment_mode,
    price_of,
    price_options,
    tier_of,
)
from coworking.services.schedule import (
    DayPlan,
    Slot,
    SpaceCalendar,
    availability,
    end_choices,
    week_plan,
)
from coworking.services.studios import (
    HoursLine,
    StudioState,
    leases_of,
    opening_hours_lines,
    request_studio,
    studio_board,
    studios,
)

__all__ = [
    "PAYMENT_FOLLOWED",
    "PaymentCheck",
    "PaymentState",
    "payment_check",
    "payment_followed",
    "payments_being_confirmed",
    "booking_payment_page",
    "online_payment_offered",
    "payable_amount",
    "DayPlan",
    "HoursLine",
    "StudioState",
    "SeriesResult",
    "Slot",
    "SpaceCalendar",
    "accept_application",
    "availability",
    "book",
    "book_event_room",
    "book_weekly",
    "cancel_booking",
    "cancel_event_room",
    "cancellation_deadline",
    "coworker_for",
    "credits_left",
    "decide_proof",
    "end_choices",
    "event_rooms",
    "leases_of",
    "opening_hours_lines",
    "request_studio",
    "studio_board",
    "studios",
    "may_book",
    "move_booking",
    "price_of",
    "payment_mode",
    "price_options",
    "renew_agreement",
    "review_application",
    "submit_application",
    "submit_proof",
    "tier_of",
    "week_plan",
    "withdraw_application",
]

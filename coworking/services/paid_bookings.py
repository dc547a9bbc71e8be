"""Bookings paid online: a priced booking the person chooses to pay by card is *held* (its place
taken) while they are on the payment page, confirmed once charged, and released if not paid in
time. Bookings paid on site (the monthly statement) work as before.

Locks: the booking's row, then the payment (the hub's order), on every path: booking,
cancelling, the return page, the webhook and the job releasing expired holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.models import Booking, BookingStatus
from hub import services as hub

PURPOSE = "coworking.booking"
PART = "booking"


def online_payment_offered() -> bool:
    return hub.online_payment_available()


def payable_amount(price: Decimal) -> bool:
    """Whether a price is enough to be paid online (the provider's minimum charge)."""
    return hub.to_cents(price) >= hub.MINIMUM_CENTS


def payable_online(booking: Booking) -> bool:
    """Whether this booking can be paid online (provider configured, price above its minimum)."""
    return online_payment_offered() and payable_amount(booking.price)


def prepare_hold(booking: Booking, now: datetime) -> None:
    """A new booking (not saved yet) to be paid online starts held, for the payment page's
    time."""
    hub.set_initial_status(booking, BookingStatus.HELD)
    booking.hold_until = now + timedelta(minutes=settings.PAYMENTS_CHECKOUT_MINUTES)


def hold(booking: Booking) -> None:
    """Record the payment to make for a held booking (inside the booking's transaction,
    resource locked)."""
    label = _("%(resource)s, %(when)s") % {
        "resource": booking.resource.name,
        "when": f"{timezone.localtime(booking.start):%d/%m/%Y %H:%M}",
    }
    hub.create_payment(
        hub.PaymentRequest(
            purpose=PURPOSE,
            reference=str(booking.reference),
            description=label,
            email=booking.user.email,
            parts=[hub.PartRequest(key=PART, label=label, amount=hub.to_cents(booking.price))],
            payer=booking.user,
        )
    )


def payment_page(booking: Booking) -> str:
    """The payment page of a held booking (Conflict when it cannot open)."""
    return hub.checkout_url(PURPOSE, str(booking.reference))


def release(booking: Booking, reason: str, *, by: hub.Actor = None) -> None:
    """A held booking ends unpaid: its place is freed and its payment released (booking
    locked)."""
    booking.cancelled_at = timezone.now()
    booking.hold_until = None
    booking.amount_due = Decimal("0.00")
    hub.transition(
        booking,
        BookingStatus.CANCELLED,
        by=by,
        why=reason,
        source="coworking.paid_bookings.release",
        fields=["cancelled_at", "hold_until", "amount_due"],
    )
    hub.drop_part(PURPOSE, str(booking.reference), PART, reason)


def refund(booking: Booking, cents: int, reason: str) -> None:
    """Give back ``cents`` of a booking paid online (cancelled; booking locked), or what is
    left of it if staff refunded part of it already."""
    reference = str(booking.reference)
    summary = hub.payment_summary(PURPOSE, reference)
    left = summary.captured - sum(line.amount for line in summary.refunds)
    if min(cents, left) > 0:
        hub.refund_payment(PURPOSE, reference, reason, part_key=PART, amount=min(cents, left))


def release_expired_holds(now: datetime | None = None) -> int:
    """Scheduled: bookings held past their time and still unpaid give their place back."""
    now = now or timezone.now()
    expired = Booking.objects.filter(status=BookingStatus.HELD, hold_until__lte=now)
    released = 0
    for pk in expired.values_list("pk", flat=True).order_by("pk"):
        with transaction.atomic():
            booking = Booking.objects.select_for_update(of=("self",)).get(pk=pk)
            if booking.status == BookingStatus.HELD and booking.hold_until <= now:
                release(booking, _("Réservation non payée à temps."))
                released += 1
    return released


# --- payment handler -------------------------------------------------------------------------


def _locked(reference: str) -> Booking:
    return Booking.objects.select_for_update(of=("self",)).get(reference=reference)


def lock(reference: str) -> None:
    _locked(reference)


def authorised(payment) -> None:
    """Nothing to wait for: the booking is charged at once."""
    hub.decide_part(PURPOSE, payment.reference, PART, True)


def settled(payment) -> None:
    """Charged: the booking is confirmed (once). Released (authorisation lapsed): freed."""
    booking = _locked(payment.reference)
    if booking.status != BookingStatus.HELD:
        return
    if payment.captured:
        booking.paid_online = True
        booking.hold_until = None
        hub.transition(
            booking,
            BookingStatus.CONFIRMED,
            why=_("Payée en ligne."),
            source="coworking.paid_bookings.settled",
            fields=["paid_online", "hold_until"],
        )
    else:
        release(booking, _("Paiement non abouti."))


def failed(payment) -> None:
    """Not paid (payment page abandoned or expired): the place is freed."""
    booking = _locked(payment.reference)
    if booking.status == BookingStatus.HELD:
        release(booking, _("Paiement non abouti."))


def refunded(payment, refund) -> None:
    """The refund follows a cancellation the person made, and is shown with their bookings."""


def next_url(payment) -> str:
    return reverse("coworking:my_bookings")


HANDLER = hub.PaymentHandler(
    purpose=PURPOSE,
    lock=lock,
    authorised=authorised,
    failed=failed,
    settled=settled,
    refunded=refunded,
    next_url=next_url,
)

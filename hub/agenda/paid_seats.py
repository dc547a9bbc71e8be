"""Paid events with online payment: a seat is held while the person pays (a short hold at
registration, a longer one when promoted from the waiting list), confirmed once charged, and
released — to the next person waiting — if not paid in time. Free events, and paid events when
online payment is not configured, work as before (paid on site)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.agenda.emails import notify
from hub.models import Event, EventStatus, Registration, RegistrationStatus
from hub.payments import services as payments
from hub.payments.amounts import to_cents
from hub.registry import PaymentHandler
from hub.workflow import transition

PURPOSE = "hub.registration"
SEAT = "seat"


def paid_online(event: Event) -> bool:
    """Whether seats of this event are paid online at registration."""
    return to_cents(event.price) >= payments.MINIMUM_CENTS and payments.online_payment_available()


def hold(registration: Registration, event: Event, until: datetime) -> None:
    """Hold the registration's seats until ``until`` and record the payment to make (event
    locked)."""
    registration.hold_until = until
    transition(
        registration,
        RegistrationStatus.HELD,
        why=_("Place retenue le temps du paiement en ligne."),
        source="agenda.paid_seats.hold",
        fields=["hold_until"],
    )
    label = _("%(title)s — %(seats)s place(s)") % {
        "title": event.title,
        "seats": registration.seats,
    }
    payments.create_payment(
        payments.PaymentRequest(
            purpose=PURPOSE,
            reference=str(registration.pk),
            description=label,
            email=registration.email,
            parts=[
                payments.PartRequest(
                    key=SEAT, label=label, amount=to_cents(event.price) * registration.seats
                )
            ],
            payer=registration.user,
        )
    )


def promoted_hold_end() -> datetime:
    return timezone.now() + timedelta(hours=settings.EVENT_PROMOTED_HOLD_HOURS)


def checkout_hold_end() -> datetime:
    return timezone.now() + timedelta(minutes=settings.PAYMENTS_CHECKOUT_MINUTES)


def payment_page(registration: Registration) -> str:
    """The payment page for a held seat (Conflict when it cannot open)."""
    return payments.checkout_url(PURPOSE, str(registration.pk))


def give_up(registration: Registration, reason: str) -> None:
    """The registration ends: its payment is released if not charged, refunded if it was."""
    payments.drop_part(PURPOSE, str(registration.pk), SEAT, reason)


def release_hold(registration: Registration, event: Event) -> list[Registration]:
    """An unpaid hold ends: the seats go to the waiting list (event locked)."""
    from hub.agenda.registrations import notify_promoted, promote_waiting

    registration.cancelled_at = timezone.now()
    registration.hold_until = None
    transition(
        registration,
        RegistrationStatus.CANCELLED,
        why=_("Place non payée à temps."),
        source="agenda.paid_seats.release_hold",
        fields=["cancelled_at", "hold_until"],
    )
    event.confirmed_seats -= registration.seats
    event.save(update_fields=["confirmed_seats"])
    give_up(registration, _("Place non payée à temps."))
    if event.status == EventStatus.CANCELLED:
        return []  # the participants were told of the cancellation
    notify(registration, "registration_hold_released")
    promoted = promote_waiting(event)
    notify_promoted(promoted)
    return promoted


def release_expired_holds(now: datetime | None = None) -> int:
    """Scheduled: seats held past their time and still unpaid go to the next people."""
    from hub.agenda.registrations import lock_event

    now = now or timezone.now()
    expired = Registration.objects.filter(status=RegistrationStatus.HELD, hold_until__lte=now)
    released = 0
    for registration_id, event_id in expired.values_list("pk", "event_id").order_by("pk"):
        with transaction.atomic():
            event = lock_event(event_id)
            registration = Registration.objects.get(pk=registration_id)
            if registration.status == RegistrationStatus.HELD and registration.hold_until <= now:
                release_hold(registration, event)
                released += 1
    return released


# --- payment handler -------------------------------------------------------------------------


def _registration(payment) -> Registration:
    return Registration.objects.select_related("event").get(pk=int(payment.reference))


def lock(reference: str) -> None:
    from hub.agenda.registrations import lock_event

    event_id = Registration.objects.filter(pk=int(reference)).values_list("event_id", flat=True)
    lock_event(event_id.get())


def authorised(payment) -> None:
    """The seat is charged at once: nothing else to wait for."""
    payments.decide_part(PURPOSE, payment.reference, SEAT, True)


def settled(payment) -> None:
    registration = _registration(payment)
    if registration.status != RegistrationStatus.HELD:
        return
    if payment.captured:
        registration.confirmed_at = timezone.now()
        registration.hold_until = None
        transition(
            registration,
            RegistrationStatus.CONFIRMED,
            why=_("Payée en ligne."),
            source="agenda.paid_seats.settled",
            fields=["confirmed_at", "hold_until"],
        )
        notify(registration, "registration_confirmed")
    else:
        release_hold(registration, registration.event)


def failed(payment) -> None:
    """Not paid (payment page abandoned or expired): the seat goes to the next person."""
    registration = _registration(payment)
    if registration.status == RegistrationStatus.HELD:
        release_hold(registration, registration.event)


def refunded(payment, refund) -> None:
    """The refund is told by the cancellation e-mail already sent."""


def next_url(payment) -> str:
    return _registration(payment).get_absolute_url()


HANDLER = PaymentHandler(
    purpose=PURPOSE,
    lock=lock,
    authorised=authorised,
    failed=failed,
    settled=settled,
    refunded=refunded,
    next_url=next_url,
)

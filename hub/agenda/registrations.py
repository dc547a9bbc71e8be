"""Registrations: seats, the waiting list and automatic promotion, all under the event's lock.

Every change to who holds a seat locks the event row first (``select_for_update``), so two
people can never take the last seat and nobody jumps the queue. On SQLite, where
``select_for_update`` does nothing, the project's ``transaction_mode = IMMEDIATE`` takes the
database write lock when the transaction starts, which serialises these blocks just the same.

The queue rule: the waiting list is kept in arrival order and, whenever seats are free, each
waiting registration that fits in what is left gets a seat, in that order (a group of four
waits while a single person behind it may take the last seat). A newcomer joins the end of
the queue, then the rule runs: so nobody who arrives later gets a seat that someone earlier
could have taken.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.agenda import paid_seats
from hub.agenda.emails import notify
from hub.exceptions import Conflict
from hub.formatting import french_date
from hub.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from hub.workflow import Actor, transition


def max_seats_per_registration() -> int:
    """How many seats one person may ask for at once."""
    return settings.EVENT_MAX_SEATS_PER_REGISTRATION


def lock_event(event_id: int) -> Event:
    """Fetch the event and lock its row until the end of the current transaction."""
    return Event.objects.select_for_update().get(pk=event_id)


def _check_seats(seats, event: Event) -> int:
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        raise ValidationError({"seats": _("Indiquez un nombre de places.")}) from None
    limit = min(max_seats_per_registration(), event.capacity)
    if not 1 <= seats <= limit:
        raise ValidationError(
            {"seats": _("Vous pouvez réserver de 1 à %(limit)s places.") % {"limit": limit}}
        )
    return seats


def _check_open(event: Event) -> None:
    state = event.registration_state()
    if state == "open":
        return
    if state == "cancelled":
        raise Conflict(_("Cet événement est annulé."))
    if state == "not_yet":
        opens = french_date(timezone.localtime(event.registration_opens_at), "DATETIME_FORMAT")
        raise Conflict(_("Les inscriptions ouvrent le %(date)s.") % {"date": opens})
    raise Conflict(_("Les inscriptions sont closes."))


def _identity(user, name: str, email: str) -> tuple[str, str]:
    if user is not None:
        return (user.get_full_name() or user.email), user.email
    name, email = (name or "").strip(), (email or "").strip().lower()
    errors = {}
    if not name:
        errors["name"] = _("Indiquez votre nom.")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Indiquez une adresse e-mail valide.")
    if errors:
        raise ValidationError(errors)
    return name[:150], email


def register(event: Event, *, seats=1, user=None, name: str = "", email: str = "") -> Registration:
    """Register a signed-in person (seat or waiting list at once) or a visitor (to confirm by
    e-mail first)."""
    name, email = _identity(user, name, email)
    with transaction.atomic():
        event = lock_event(event.pk)
        seats = _check_seats(seats, event)
        _check_open(event)
        if user is None and paid_seats.paid_online(event):
            raise Conflict(_("Connectez-vous pour réserver et payer votre place en ligne."))
        if event.registrations.filter(email=email, status__in=ACTIVE_STATUSES).exists():
            raise Conflict(_("Cette adresse est déjà inscrite à cet événement."), field="email")
        registration = Registration(event=event, user=user, name=name, email=email, seats=seats)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise Conflict(
                _("Cette adresse est déjà inscrite à cet événement."), field="email"
            ) from None
        if user is None:
            notify(registration, "registration_confirm_email")
            return registration
        _enqueue_and_notify(event, registration)
    return registration


def confirm_visitor(registration: Registration) -> Registration:
    """The visitor clicked the link of the confirmation e-mail: join the queue now."""
    with transaction.atomic():
        event = lock_event(registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status != RegistrationStatus.PENDING:
            return registration
        _check_open(event)
        _enqueue_and_notify(event, registration)
    return registration


def _enqueue_and_notify(event: Event, registration: Registration) -> None:
    registration.queued_at = timezone.now()
    transition(
        registration,
        RegistrationStatus.WAITING,
        by=registration.user,
        why=_("Inscription enregistrée."),
        source="agenda.register",
        fields=["queued_at"],
    )
    promoted = promote_waiting(event)
    if registration in promoted:
        registration.refresh_from_db()
        promoted.remove(registration)
        if registration.status == RegistrationStatus.HELD:
            # Paid online: held while the person is on the payment page, told once paid.
            registration.hold_until = paid_seats.checkout_hold_end()
            registration.save(update_fields=["hold_until"])
        else:
            notify(registration, "registration_confirmed")
    else:
        notify(registration, "registration_waiting")
    notify_promoted(promoted)


def promote_waiting(event: Event) -> list[Registration]:
    """Give free seats to the waiting registrations that fit, in queue order (event locked)."""
    free = event.capacity - event.confirmed_seats
    promoted = []
    if free <= 0:
        return promoted
    queue = event.registrations.filter(status=RegistrationStatus.WAITING).order_by(
        "queued_at", "pk"
    )
    now = timezone.now()
    paid = paid_seats.paid_online(event)
    for registration in queue:
        if registration.seats > free:
            continue
        if paid:
            paid_seats.hold(registration, event, paid_seats.promoted_hold_end())
        else:
            registration.confirmed_at = now
            transition(
                registration,
                RegistrationStatus.CONFIRMED,
                why=_("Place attribuée dans l'ordre de la liste d'attente."),
                source="agenda.promote_waiting",
                fields=["confirmed_at"],
            )
        free -= registration.seats
        promoted.append(registration)
        if free == 0:
            break
    event.confirmed_seats = event.capacity - free
    event.save(update_fields=["confirmed_seats"])
    return promoted


def notify_promoted(promoted: list[Registration]) -> None:
    """Tell the people who got a seat (or, for a paid event, a seat held for them to pay)."""
    for registration in promoted:
        if registration.status == RegistrationStatus.HELD:
            notify(registration, "registration_promoted_pay")
        else:
            notify(registration, "registration_promoted")


def cancel_registration(registration: Registration, *, by: Actor = None) -> list[Registration]:
    """Cancel a registration; its seats go to the waiting list. Returns who was promoted."""
    with transaction.atomic():
        event = lock_event(registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            raise Conflict(_("Cette inscription est déjà annulée."))
        if timezone.now() >= event.start:
            raise Conflict(_("L'événement a commencé : l'inscription ne peut plus être annulée."))
        held_a_seat = registration.status in SEAT_STATUSES
        registration.cancelled_at = timezone.now()
        registration.hold_until = None
        transition(
            registration,
            RegistrationStatus.CANCELLED,
            by=by,
            why=_("Inscription annulée."),
            source="agenda.cancel_registration",
            fields=["cancelled_at", "hold_until"],
        )
        paid_seats.give_up(registration, _("Inscription annulée."))
        promoted = []
        if held_a_seat:
            event.confirmed_seats -= registration.seats
            event.save(update_fields=["confirmed_seats"])
            if event.status == EventStatus.PUBLISHED:
                promoted = promote_waiting(event)
        notify(registration, "registration_cancelled")
        notify_promoted(promoted)
    return promoted


def set_attendance(registration: Registration, attended: bool | None) -> Registration:
    """Record whether a confirmed participant came (None: not recorded)."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise Conflict(_("Seules les inscriptions confirmées se pointent."))
    Registration.objects.filter(pk=registration.pk).update(attended=attended)
    registration.attended = attended
    return registration


def registration_for(pk: int, token: str) -> Registration | None:
    """The registration whose e-mail link is (pk, token); None if the pair does not match."""
    registration = Registration.objects.select_related("event", "event__structure").filter(pk=pk)
    registration = registration.first()
    if registration is None or not secrets.compare_digest(registration.token, token or ""):
        return None
    return registration

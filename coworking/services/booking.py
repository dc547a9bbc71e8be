"""Booking, moving and cancelling, with no double booking under concurrency.

Every write takes a row lock on the resource first (``SELECT … FOR UPDATE`` on PostgreSQL), so
the check "fewer than N bookings overlap" and the insert happen one transaction at a time per
resource. On SQLite the same code is safe because write transactions start with
``BEGIN IMMEDIATE`` and are therefore serialised. On PostgreSQL an exclusion constraint also
refuses overlapping bookings of single-capacity resources, whatever wrote them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.models import (
    Booking,
    BookingMode,
    BookingSource,
    BookingStatus,
    Resource,
)
from coworking.services import paid_bookings
from coworking.services.pricing import apply_price, current_agreement, late_share
from coworking.services.schedule import at, local, peak_occupancy, validate_times
from hub.services import (
    Actor,
    Conflict,
    atomic_with_lock_timeout,
    french_date,
    to_cents,
    transition,
)


@dataclass
class SeriesResult:
    made: list[Booking] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)


def lock_resource(resource: Resource | int) -> Resource:
    """Take the resource's row lock for the rest of the transaction."""
    pk = resource if isinstance(resource, int) else resource.pk
    return (
        Resource.objects.select_for_update(of=("self",))
        .select_related("space")
        .prefetch_related("rates")
        .get(pk=pk)
    )


def check_access(user, resource: Resource, start: datetime) -> None:
    """Refuse resources that are rented by lease or lent to Atelier 8 agreement holders only."""
    if not resource.is_active or resource.booking_mode == BookingMode.LEASE:
        raise ValidationError({"resource": _("Cette ressource ne se réserve pas en ligne.")})
    if resource.booking_mode == BookingMode.AGREEMENT and not current_agreement(
        user, resource, timezone.localdate(start)
    ):
        raise ValidationError(
            {
                "resource": _(
                    "Cette ressource est réservée aux titulaires d'une convention Atelier 8 "
                    "en cours à cette date."
                )
            }
        )


def ensure_capacity(
    resource: Resource, start: datetime, end: datetime, exclude: int | None = None
) -> None:
    """Raise Conflict when [start, end) would exceed the resource's capacity."""
    taken = Booking.objects.taking_place().filter(resource=resource).overlapping(start, end)
    if exclude:
        taken = taken.exclude(pk=exclude)
    used = peak_occupancy(taken.values_list("start", "end"), start, end)
    if used >= resource.capacity:
        if resource.is_exclusive:
            raise Conflict(
                _("Ce créneau est déjà réservé. Choisissez une autre heure."), field="start"
            )
        raise Conflict(_("Plus aucune place libre sur ce créneau."), field="start")


def ensure_one_place_per_person(
    user, resource: Resource, start: datetime, end: datetime, exclude: int | None = None
) -> None:
    """Raise Conflict when ``user`` already holds a place of ``resource`` during [start, end):
    one person takes one desk of a pool, however many are free."""
    held = (
        Booking.objects.taking_place().filter(resource=resource, user=user).overlapping(start, end)
    )
    if exclude:
        held = held.exclude(pk=exclude)
    clash = held.order_by("start").first()
    if clash is not None:
        raise Conflict(
            _("Vous avez déjà une place ici de %(start)s à %(end)s.")
            % {"start": f"{local(clash.start):%H:%M}", "end": f"{local(clash.end):%H:%M}"},
            field="start",
        )


def _save(booking: Booking) -> Booking:
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        # Only reachable if something bypassed the lock: an exclusion constraint said no.
        raise Conflict(_("Ce créneau vient d'être réservé.")) from error
    return booking


def _create(
    user,
    resource: Resource,
    start: datetime,
    end: datetime,
    now: datetime,
    series=None,
    pay_online: bool = False,
) -> Booking:
    check_access(user, resource, start)
    validate_times(resource, start, end, now)
    ensure_one_place_per_person(user, resource, start, end)
    ensure_capacity(resource, start, end)
    booking = Booking(
        resource=resource,
        user=user,
        start=start,
        end=end,
        series=series,
        exclusive=resource.is_exclusive,
    )
    apply_price(booking, now)
    if pay_online and paid_bookings.payable_online(booking):
        paid_bookings.prepare_hold(booking, now)
    return _save(booking)


def book(
    user,
    resource: Resource | int,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    pay_online: bool = False,
) -> Booking:
    """Book a resource for a person; ValidationError on bad times, Conflict when full. With
    ``pay_online``, a priced booking is held while the person pays (``paid_bookings``)."""
    now = now or timezone.now()
    with atomic_with_lock_timeout():
        locked = lock_resource(resource)
        booking = _create(user, locked, start, end, now, pay_online=pay_online)
        if booking.status == BookingStatus.HELD:
            paid_bookings.hold(booking)
        return booking


def weekly_occurrences(
    start: datetime, end: datetime, until: date
) -> list[tuple[datetime, datetime]]:
    """The same wall-clock hours every week from ``start`` until ``until`` (inclusive)."""
    first, begins, ends = local(start).date(), local(start).time(), local(end).time()
    if until < first:
        raise ValidationError(
            {"until": _("La date de fin de répétition précède la première date.")}
        )
    count = (until - first).days // 7 + 1
    if count > settings.COWORKING_MAX_WEEKLY_REPEATS:
        raise ValidationError(
            {
                "until": _("Au plus %(count)s semaines à la fois.")
                % {"count": settings.COWORKING_MAX_WEEKLY_REPEATS}
            }
        )
    days = [first + timedelta(weeks=week) for week in range(count)]
    return [(at(day, begins), at(day, ends)) for day in days]


def book_weekly(
    user,
    resource: Resource | int,
    start: datetime,
    end: datetime,
    until: date,
    all_or_nothing: bool,
    now: datetime | None = None,
) -> SeriesResult:
    """Book the same hours every week; clashes are skipped, or nothing is booked."""
    now = now or timezone.now()
    occurrences = weekly_occurrences(start, end, until)
    result = SeriesResult()
    series = uuid.uuid4()
    with atomic_with_lock_timeout():
        locked = lock_resource(resource)
        for begins, ends in occurrences:
            try:
                with transaction.atomic():
                    result.made.append(_create(user, locked, begins, ends, now, series=series))
            except (ValidationError, Conflict) as error:
                result.skipped.append((local(begins).date(), _reason(error)))
        if result.skipped and all_or_nothing:
            days = ", ".join(french_date(day, "j F Y") for day, _reason_text in result.skipped)
            transaction.set_rollback(True)
            raise Conflict(
                _("Rien n'a été réservé : ces dates ne sont pas disponibles : %(days)s.")
                % {"days": days}
            )
    return result


def _reason(error: ValidationError | Conflict) -> str:
    if isinstance(error, Conflict):
        return error.message
    return " ".join(error.messages)


def cancellation_deadline(booking: Booking) -> datetime:
    return booking.start - timedelta(hours=booking.resource.space.free_cancellation_hours)


def cancel_booking(booking: Booking, now: datetime | None = None, *, by: Actor = None) -> Booking:
    """Cancel; free before the space's delay, kept and charged by its rule after it."""
    now = now or timezone.now()
    with atomic_with_lock_timeout():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("resource__space")
            .get(pk=booking.pk)
        )
        if booking.status == BookingStatus.HELD:
            paid_bookings.release(booking, _("Réservation annulée avant le paiement."), by=by)
            return booking
        if not booking.is_active:
            raise Conflict(_("Cette réservation est déjà annulée."))
        if booking.start <= now:
            raise Conflict(_("Cette réservation a déjà commencé : elle ne peut plus être annulée."))
        booking.cancelled_at = now
        if booking.source == BookingSource.ONLINE and now > cancellation_deadline(booking):
            status = BookingStatus.LATE_CANCELLED
            booking.amount_due = late_share(
                booking.price, booking.resource.space.late_cancellation_percent
            )
            why = _("Annulée après le délai d'annulation gratuite.")
        else:
            status = BookingStatus.CANCELLED
            booking.amount_due = Decimal("0.00")
            why = _("Annulée.")
        transition(
            booking,
            status,
            by=by,
            why=why,
            source="coworking.cancel_booking",
            fields=["cancelled_at", "amount_due"],
        )
        if booking.paid_online:
            # What is no longer owed goes back to the card.
            paid_bookings.refund(
                booking, to_cents(booking.price - booking.amount_due), _("Réservation annulée.")
            )
    return booking


def move_booking(
    booking: Booking,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    *,
    by: Actor = None,
) -> Booking:
    """Move a booking to other hours; allowed until the free cancellation delay."""
    now = now or timezone.now()
    with atomic_with_lock_timeout():
        locked = lock_resource(booking.resource_id)
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        booking.resource = locked
        if booking.status == BookingStatus.HELD:
            raise Conflict(
                _("Cette réservation attend son paiement : payez-la ou annulez-la d'abord.")
            )
        if not booking.is_active:
            raise Conflict(_("Cette réservation est annulée : elle ne peut plus être déplacée."))
        if booking.paid_online:
            raise Conflict(
                _(
                    "Une réservation payée en ligne ne se déplace pas : annulez-la (remboursée "
                    "selon le délai d'annulation) et réservez un autre créneau."
                )
            )
        if now > cancellation_deadline(booking):
            raise Conflict(
                _(
                    "Il est trop tard pour déplacer cette réservation "
                    "(au plus tard %(hours)s h avant le début)."
                )
                % {"hours": locked.space.free_cancellation_hours}
            )
        # The old booking gives back its pass credit before the new one is priced.
        booking.cancelled_at = now
        booking.amount_due = Decimal("0.00")
        transition(
            booking,
            BookingStatus.CANCELLED,
            by=by,
            why=_("Déplacée vers d'autres horaires."),
            source="coworking.move_booking",
            fields=["cancelled_at", "amount_due"],
        )
        return _create(booking.user, locked, start, end, now, series=booking.series)

"""Rooms lent to the hub's events through ``hub.services.register_room_booker``."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coworking.models import Booking, BookingSource, BookingStatus, Resource
from coworking.services.booking import _save, ensure_capacity, lock_resource
from hub.services import Conflict, transition_many


def event_rooms() -> list[tuple[str, str]]:
    """(key, label) of the rooms events can book."""
    rooms = Resource.objects.filter(event_room=True, is_active=True).select_related("space")
    return [(str(room.pk), f"{room.name} — {room.space.name}") for room in rooms]


def book_event_room(key: str, start: datetime, end: datetime, title: str, user) -> str:
    """Hold a room for an event (free, any hour); the reference, or Conflict when taken."""
    room = Resource.objects.filter(event_room=True, is_active=True, pk=_pk(key)).first()
    if room is None:
        raise Conflict(_("Cette salle n'est plus proposée pour les événements."))
    if end <= start:
        raise Conflict(_("L'heure de fin doit suivre l'heure de début."))
    if start < timezone.now():
        raise Conflict(_("On ne peut pas réserver une salle dans le passé."))
    with transaction.atomic():
        room = lock_resource(room)
        try:
            ensure_capacity(room, start, end)
        except Conflict:
            raise Conflict(
                _("%(room)s est déjà réservée sur ce créneau.") % {"room": room.name}
            ) from None
        booking = Booking(
            resource=room,
            user=user,
            title=title[:200],
            start=start,
            end=end,
            source=BookingSource.EVENT,
            exclusive=room.is_exclusive,
        )
        _save(booking)
    return str(booking.reference)


def cancel_event_room(reference: str) -> None:
    """Free a room held for an event; an unknown or already freed reference does nothing."""
    try:
        reference_uuid = uuid.UUID(str(reference))
    except ValueError:
        return
    transition_many(
        Booking.objects.filter(
            reference=reference_uuid, source=BookingSource.EVENT, status=BookingStatus.CONFIRMED
        ),
        BookingStatus.CANCELLED,
        why=_("Salle libérée par l'événement."),
        source="coworking.cancel_event_room",
        values={"cancelled_at": timezone.now()},
    )


def _pk(key: str) -> int:
    return int(key) if str(key).isdigit() else 0

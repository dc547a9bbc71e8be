"""After a failed drop-off: dispatch plans a new attempt (maybe at a relay point) or gives up
and the parcels go back to the shops. The shop hears of it through a notice (``shop_notices``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import (
    Delivery,
    DeliverySlot,
    DeliveryStatus,
    EventKind,
    EventSource,
    NoticeKind,
    RelayPoint,
)
from delivery.services import live
from delivery.services.deliveries import record_event, relay_address
from delivery.services.shop_notices import notify_shop
from delivery.services.zone import (
    relay_point_closed_message,
    relay_point_open_for,
    slot_label,
)
from hub.services import Conflict, other_fields, transition


def replannable_slots(delivery: Delivery | None = None, now=None):
    """Slots a failed delivery can move to: open, not started yet, with room left, nearest
    first — never the slot it just failed in."""
    now = now or timezone.now()
    slots = DeliverySlot.objects.filter(is_active=True, start__gt=now, reserved__lt=F("capacity"))
    if delivery is not None:
        slots = slots.exclude(pk=delivery.slot_id)
    return slots.order_by("start", "pk")


def _lock_failed(delivery_id) -> Delivery:
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None:
        raise ValidationError({"delivery": _("Livraison introuvable.")})
    if delivery.status != DeliveryStatus.FAILED:
        raise Conflict(
            _(
                "La livraison %(number)s est « %(status)s » : seule une livraison en échec se "
                "reprogramme ou se rapporte aux commerces."
            )
            % {"number": delivery.order_number, "status": delivery.get_status_display()}
        )
    return delivery


def _take_place(slot_id) -> DeliverySlot:
    """One place in a later slot, under a row lock (dispatch may book past the cut-off)."""
    slot = DeliverySlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None or not slot.is_active or slot.start <= timezone.now():
        raise ValidationError({"slot": _("Choisissez un créneau à venir de la liste.")})
    if slot.reserved >= slot.capacity:
        raise Conflict(
            _("Le créneau du %(slot)s est complet : choisissez-en un autre.")
            % {"slot": slot_label(slot)},
            field="slot",
        )
    DeliverySlot.objects.filter(pk=slot.pk).update(reserved=F("reserved") + 1)
    return slot


def replan_delivery(delivery_id, slot_id, actor, relay_point_id=None) -> Delivery:
    """A new attempt in a later slot, at the same address or at a relay point."""
    with transaction.atomic():
        delivery = _lock_failed(delivery_id)
        point = None
        if relay_point_id:
            point = RelayPoint.objects.filter(pk=relay_point_id, is_active=True).first()
            if point is None:
                raise ValidationError({"relay_point": _("Choisissez un point relais actif.")})
        slot = _take_place(slot_id)
        going_to = point or delivery.relay_point
        if going_to is not None and not relay_point_open_for(going_to, slot):
            raise ValidationError({"slot": relay_point_closed_message(going_to, slot.pk)})
        if point is not None:
            delivery.relay_point = point
            delivery.address = relay_address(point)
            delivery.latitude, delivery.longitude = point.latitude, point.longitude
        delivery.slot = slot
        delivery.round = None
        delivery.failure_reason, delivery.failure_note = "", ""
        where = _(" au point relais %(name)s") % {"name": point.name} if point else ""
        why = _("Nouvelle tentative le %(slot)s%(where)s.") % {
            "slot": slot_label(slot),
            "where": where,
        }
        transition(
            delivery,
            DeliveryStatus.READY,
            by=actor,
            why=why,
            source="delivery.replan_delivery",
            fields=other_fields(delivery),
        )
        record_event(delivery, EventKind.REPLANNED, why, EventSource.BOARD, actor)
        notify_shop(
            delivery,
            NoticeKind.REPLANNED,
            slot_id=slot.pk,
            relay_point_id=point.pk if point else None,
        )
        live.board_news(live.LiveKind.FAILURE, slot.date, delivery=delivery.pk)
    return delivery


def return_to_shops(delivery_id, actor, reason: str = "") -> Delivery:
    """Give up: the parcels go back to the shops, the order will not be delivered."""
    reason = (reason or "").strip()
    if len(reason) > 250:
        raise ValidationError({"reason": _("Le motif tient en 250 caractères au plus.")})
    with transaction.atomic():
        delivery = _lock_failed(delivery_id)
        reason = reason or delivery.get_failure_reason_display()
        delivery.round = None
        why = _("Colis rapportés aux commerces : %(reason)s") % {"reason": reason}
        transition(
            delivery,
            DeliveryStatus.RETURNED,
            by=actor,
            why=why,
            source="delivery.return_to_shops",
            fields=other_fields(delivery),
        )
        record_event(delivery, EventKind.RETURNED, why, EventSource.BOARD, actor)
        notify_shop(delivery, NoticeKind.RETURNED, reason=reason)
        live.board_news(live.LiveKind.FAILURE, None, delivery=delivery.pk)
    return delivery

"""What other apps may call in delivery: zone checks, relay points, slots and fees.

Slot reservation must run inside the caller's ``transaction.atomic()``: the slot row is locked
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with immediate transactions)
and a database constraint refuses any overbooking that would slip through.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from delivery.geocoding import (
    AddressNotFound,
    GeocodeResult,
    GeocoderUnavailable,
    Precision,
    fold_address,
    get_geocoder,
)
from delivery.models import (
    DeliverySlot,
    DeliveryZone,
    FeeRule,
    FulfilmentMode,
    KnownPosition,
    RelayPoint,
    SlotTemplate,
    default_zone,
    slot_bounds,
)
from hub.services import Conflict, french_date

__all__ = [
    "AddressCheck",
    "FulfilmentMode",
    "active_relay_points",
    "bookable_slots",
    "check_address",
    "current_zone",
    "delivery_fee",
    "distance_km",
    "fee_table",
    "generate_slots",
    "get_relay_point",
    "release_slot",
    "reserve_slot",
    "slot_label",
    "slots_on",
    "suggest_addresses",
]

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class AddressCheck:
    """The answer to « do you deliver here? »; ``message`` explains a refusal in French,
    ``suggestions`` are the addresses the text most likely meant (« Vouliez-vous dire … ? »)."""

    deliverable: bool
    label: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    distance_km: Decimal | None = None
    message: str = ""
    approximate: bool = False
    precision: str = ""
    suggestions: tuple[str, ...] = ()
    out_of_zone: bool = False


def current_zone() -> DeliveryZone:
    """The delivery zone set by staff, or the default one from the settings."""
    return DeliveryZone.objects.order_by("pk").first() or default_zone()


def distance_km(latitude: Decimal, longitude: Decimal, zone: DeliveryZone | None = None) -> Decimal:
    """Great-circle distance from the zone's centre, in km with two decimals."""
    zone = zone or current_zone()
    lat1, lon1 = (
        math.radians(float(zone.center_latitude)),
        math.radians(float(zone.center_longitude)),
    )
    lat2, lon2 = math.radians(float(latitude)), math.radians(float(longitude))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
    return Decimal(str(km)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _fallback_hint() -> str:
    return _("Choisissez plutôt un point relais ou le retrait en boutique.")


def check_address(address: str) -> AddressCheck:
    """Geocode ``address`` (positions set by staff first) and say whether it lies in the zone."""
    address = (address or "").strip()
    if len(fold_address(address)) < 5:
        return AddressCheck(False, message=_("Indiquez une adresse complète (numéro, rue, ville)."))
    known = KnownPosition.objects.filter(address_key=fold_address(address)).first()
    if known:
        return _in_zone(GeocodeResult(known.label, known.latitude, known.longitude, known.source))
    try:
        return _in_zone(_geocode(address))
    except AddressNotFound as error:
        return _not_found(error.suggestions)
    except GeocoderUnavailable:
        return AddressCheck(
            False,
            message=_(
                "Le service de recherche d'adresses ne répond pas ; réessayez dans un instant. "
            )
            + _fallback_hint(),
        )


def _geocode(address: str) -> GeocodeResult:
    """The geocoder's answer, reused from the cache when the same address was just checked."""
    key = "delivery:geocode:" + hashlib.sha256(fold_address(address).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = get_geocoder().geocode(address)
        cache.set(key, found, settings.DELIVERY_GEOCODE_CACHE_SECONDS)
    return found


def suggest_addresses(text: str, limit: int = 5) -> list[AddressCheck]:
    """Addresses that look like what is being typed, each saying whether we deliver there."""
    if len(fold_address(text)) < 3:
        return []
    try:
        found = get_geocoder().suggest(text.strip()[:200], limit)
    except GeocoderUnavailable:
        return []
    return [_in_zone(result) for result in found]


def _not_found(suggestions: tuple[str, ...]) -> AddressCheck:
    message = _("Nous ne trouvons pas cette adresse. ")
    if suggestions:
        message += _("Vouliez-vous dire « %(address)s » ? ") % {"address": suggestions[0]}
    else:
        message += _("Vérifiez-la. ")
    return AddressCheck(False, message=message + _fallback_hint(), suggestions=suggestions)


def _in_zone(found: GeocodeResult) -> AddressCheck:
    """Whether a placed address lies in the zone; a commune alone is too vague to deliver."""
    zone = current_zone()
    distance = distance_km(found.latitude, found.longitude, zone)
    place = {
        "label": found.label,
        "latitude": found.latitude,
        "longitude": found.longitude,
        "distance_km": distance,
        "approximate": found.approximate,
        "precision": found.precision,
    }
    if distance > zone.radius_km:
        message = _(
            "Hors zone (%(distance)s km du centre-ville) : nos vélos-cargos livrent jusqu'à "
            "%(radius)s km. "
        ) % {
            "distance": formats.number_format(distance, 1),
            "radius": formats.number_format(zone.radius_km.normalize()),
        }
        return AddressCheck(False, message=message + _fallback_hint(), out_of_zone=True, **place)
    if found.precision == Precision.MUNICIPALITY:
        message = _("Précisez le numéro et la rue : « %(label)s » ne suffit pas au coursier.") % {
            "label": found.label
        }
        return AddressCheck(False, message=message, **place)
    return AddressCheck(True, **place)


def active_relay_points() -> QuerySet[RelayPoint]:
    """Relay points open to shoppers, by name."""
    return RelayPoint.objects.filter(is_active=True).order_by("name")


def get_relay_point(relay_point_id) -> RelayPoint:
    """An active relay point, or a French ValidationError on the ``relay_point`` field."""
    point = active_relay_points().filter(pk=_as_int(relay_point_id)).first()
    if point is None:
        raise ValidationError({"relay_point": _("Choisissez un point relais de la liste.")})
    return point


def bookable_slots(
    day: date | None = None, now: datetime | None = None, relay_point: RelayPoint | None = None
) -> QuerySet[DeliverySlot]:
    """Slots still open to orders (room left, cut-off not passed), optionally on one day and
    inside a relay point's opening hours."""
    slots = DeliverySlot.objects.bookable(now)
    if day is not None:
        slots = slots.filter(date=day)
    if relay_point is not None:
        slots = within_opening_hours(slots, relay_point)
    return slots.order_by("start")


def within_opening_hours(slots: QuerySet[DeliverySlot], point: RelayPoint):
    """The slots whose whole window the relay point is open (a point without hours: all)."""
    periods = list(point.hours.all())
    if not periods:
        return slots
    fitting = [slot.pk for slot in slots if _fits(slot, periods)]
    return slots.filter(pk__in=fitting)


def relay_point_open_for(point: RelayPoint, slot: DeliverySlot) -> bool:
    """Whether the relay point is open for the whole of the slot's window."""
    periods = list(point.hours.all())
    return not periods or _fits(slot, periods)


def _fits(slot: DeliverySlot, periods) -> bool:
    start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
    return any(
        period.weekday == start.weekday()
        and period.opens <= start.time()
        and end.time() <= period.closes
        and end.date() == start.date()
        for period in periods
    )


def relay_point_closed_message(point: RelayPoint, slot_id) -> str:
    """Why the relay point cannot take a delivery in that slot (it is closed then); "" when
    it can, or when the slot is unknown (the slot check says so)."""
    slot = DeliverySlot.objects.filter(pk=_as_int(slot_id)).first()
    if slot is None or relay_point_open_for(point, slot):
        return ""
    return _(
        "Le point relais « %(name)s » est fermé au créneau du %(slot)s (%(hours)s) : "
        "choisissez un autre créneau ou un autre point relais."
    ) % {"name": point.name, "slot": slot_label(slot), "hours": point.opening_hours}


def slots_on(day: date) -> QuerySet[DeliverySlot]:
    """Every active slot of a day, past or closed ones included (boards, history), by start."""
    return DeliverySlot.objects.filter(date=day, is_active=True).order_by("start")


def slot_label(slot: DeliverySlot) -> str:
    """« mardi 3 mars, 10 h 00 – 12 h 00 » in French."""
    start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
    day = french_date(start, "l j F")
    return f"{day}, {start:%H} h {start:%M} – {end:%H} h {end:%M}"


def reserve_slot(slot_id, now: datetime | None = None) -> DeliverySlot:
    """Take one place in a slot under a row lock; raise Conflict when full or closed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_slot must run inside transaction.atomic()")
    now = now or timezone.now()
    slot = DeliverySlot.objects.select_for_update().filter(pk=_as_int(slot_id)).first()
    if slot is None or not slot.is_active:
        raise ValidationError({"slot": _("Choisissez un créneau de livraison de la liste.")})
    if slot.cutoff <= now:
        raise Conflict(
            _("Le créneau du %(slot)s n'est plus ouvert aux commandes.")
            % {"slot": slot_label(slot)},
            field="slot",
        )
    if slot.reserved >= slot.capacity:
        raise Conflict(
            _("Le créneau du %(slot)s est complet : choisissez-en un autre.")
            % {"slot": slot_label(slot)},
            field="slot",
        )
    DeliverySlot.objects.filter(pk=slot.pk).update(reserved=F("reserved") + 1)
    slot.reserved += 1
    return slot


def release_slot(slot_id) -> None:
    """Give back one place in a slot (cancelled or released order), under a row lock."""
    with transaction.atomic():
        slot = DeliverySlot.objects.select_for_update().filter(pk=slot_id).first()
        if slot is not None and slot.reserved > 0:
            DeliverySlot.objects.filter(pk=slot.pk).update(reserved=F("reserved") - 1)


def generate_slots(days: int | None = None, today: date | None = None) -> int:
    """Create the missing slots of active templates for the coming days; return how many."""
    days = days or settings.DELIVERY_SLOT_DAYS_AHEAD
    today = today or timezone.localdate()
    templates = list(SlotTemplate.objects.filter(is_active=True))
    existing = set(
        DeliverySlot.objects.filter(
            date__gte=today, date__lt=today + timedelta(days=days), template__isnull=False
        ).values_list("template_id", "date")
    )
    missing = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        for template in templates:
            if template.weekday != day.weekday() or (template.pk, day) in existing:
                continue
            start, end, cutoff = slot_bounds(template, day)
            missing.append(
                DeliverySlot(
                    template=template,
                    date=day,
                    start=start,
                    end=end,
                    cutoff=cutoff,
                    capacity=template.capacity,
                )
            )
    DeliverySlot.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def delivery_fee(mode: str, items_total: Decimal) -> Decimal:
    """The fee for ``mode`` given the basket total (staff rules, else the settings' defaults)."""
    rule = FeeRule.objects.filter(mode=mode).first()
    if rule is None:
        fee = Decimal(settings.DELIVERY_DEFAULT_FEES.get(mode, "0"))
        free_above = None
    else:
        fee, free_above = rule.fee, rule.free_above
    if free_above is not None and items_total >= free_above:
        return Decimal("0.00")
    return fee.quantize(Decimal("0.01"))


def fee_table() -> list[tuple[str, str, Decimal, Decimal | None]]:
    """Each mode with its label, fee and free-above amount, for display before checkout."""
    rules = {rule.mode: rule for rule in FeeRule.objects.all()}
    table = []
    for mode, label in FulfilmentMode.choices:
        rule = rules.get(mode)
        if rule:
            table.append((mode, label, rule.fee, rule.free_above))
        else:
            table.append(
                (mode, label, Decimal(settings.DELIVERY_DEFAULT_FEES.get(mode, "0")), None)
            )
    return table


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

"""Demo data of delivery: the zone, two relay points, Tuesday–Saturday slots (the coming days
and the past weeks), fee rules, three cargo bikes and three couriers (the shop's demo then
places a day of orders to dispatch, and its history the past orders that ``demo_history``
rides)."""

from datetime import time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from delivery.models import (
    CargoBike,
    Courier,
    CourierShift,
    DeliveryZone,
    FeeRule,
    RelayPoint,
    RelayPointHours,
    SlotTemplate,
    Weekday,
)
from delivery.services import generate_slots
from hub.services import demo_history_days, demo_user

RELAY_POINTS = [
    (
        "Le Comptoir de l'Îlot",
        "Centre commercial Cœur de Vie, 62100 Calais",
        "Du mardi au samedi, 10 h – 19 h",
        "50.951500",
        "1.856000",
        "Au rez-de-chaussée du centre commercial, à l'accueil de la boutique.",
    ),
    (
        "Pôle Anima",
        "Pôle Anima, 62100 Calais",
        "Du lundi au vendredi, 9 h – 18 h",
        "50.953600",
        "1.859200",
        "À l'accueil du pôle, dans l'ancienne école d'art.",
    ),
]
# The same opening hours as rows: only slots inside them are offered for the point.
RELAY_HOURS = {
    "Le Comptoir de l'Îlot": (
        [Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY],
        time(10),
        time(19),
    ),
    "Pôle Anima": (
        [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY],
        time(9),
        time(18),
    ),
}
WINDOWS = [(time(10), time(12)), (time(14), time(16)), (time(17), time(19))]
DAYS = [Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY]
BIKES = [
    ("Le Goéland", "100", True),
    ("La Mouette", "80", True),
    ("Le Cormoran", "60", False),
]
# The first courier's account is also linked to an insertion record by the insertion demo.
COURIERS = [
    ("coursier@demo.anima-calais.fr", "Mehdi", "Ait-Ali", "06 70 11 22 33"),
    ("coursiere.lea@demo.anima-calais.fr", "Léa", "Fournier", "06 70 44 55 66"),
    ("coursier.yanis@demo.anima-calais.fr", "Yanis", "Boulanger", "06 70 77 88 99"),
]
SHIFTS = [(time(9), time(13)), (time(13, 30), time(19, 30))]
FEES = [
    ("home", "4.90", "40.00"),
    ("work", "4.90", "40.00"),
    ("relay", "2.50", "25.00"),
    ("collect", "0.00", None),
]


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    if not DeliveryZone.objects.exists():
        DeliveryZone.objects.create(
            name="Calais centre",
            center_latitude=Decimal("50.951300"),
            center_longitude=Decimal("1.858700"),
            radius_km=Decimal("3"),
        )
    for name, address, hours, lat, lon, instructions in RELAY_POINTS:
        point, _created = RelayPoint.objects.get_or_create(
            name=name,
            defaults={
                "address": address,
                "opening_hours": hours,
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "instructions": instructions,
            },
        )
        if not point.hours.exists():
            days, opens, closes = RELAY_HOURS[name]
            RelayPointHours.objects.bulk_create(
                RelayPointHours(relay_point=point, weekday=day, opens=opens, closes=closes)
                for day in days
            )
    for day in DAYS:
        for start, end in WINDOWS:
            SlotTemplate.objects.get_or_create(
                weekday=day,
                start_time=start,
                end_time=end,
                defaults={"capacity": 8, "cutoff_hours": 2},
            )
    for mode, fee, free_above in FEES:
        FeeRule.objects.get_or_create(
            mode=mode,
            defaults={
                "fee": Decimal(fee),
                "free_above": Decimal(free_above) if free_above else None,
            },
        )
    generate_slots()
    # The past weeks' slots, for the shop's and dispatch's demo history.
    days = demo_history_days()
    generate_slots(days, timezone.localdate() - timedelta(days=days))
    _fleet()
    return []


def _fleet() -> None:
    for name, payload, electric in BIKES:
        CargoBike.objects.get_or_create(
            name=name, defaults={"payload_kg": Decimal(payload), "electric": electric}
        )
    for email, first_name, last_name, phone in COURIERS:
        user = demo_user(email, first_name, last_name, phone=phone)
        courier, created = Courier.objects.get_or_create(user=user, defaults={"phone": phone})
        if created:
            CourierShift.objects.bulk_create(
                CourierShift(courier=courier, weekday=day, start_time=start, end_time=end)
                for day in DAYS
                for start, end in SHIFTS
            )

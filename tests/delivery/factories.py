from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from delivery.models import (
    CargoBike,
    Courier,
    CourierShift,
    DeliverySlot,
    RelayPoint,
    Round,
    SlotTemplate,
)
from tests.hub.factories import UserFactory


class RelayPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelayPoint

    name = factory.Sequence(lambda n: f"Point relais {n}")
    address = "Centre commercial Cœur de Vie, 62100 Calais"
    opening_hours = "Du mardi au samedi, 10 h – 19 h"
    latitude = Decimal("50.951500")
    longitude = Decimal("1.856000")


class SlotTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlotTemplate

    weekday = 1
    start_time = time(10)
    end_time = time(12)
    capacity = 8
    cutoff_hours = 2


class DeliverySlotFactory(factory.django.DjangoModelFactory):
    """A slot opening tomorrow morning (or ``days`` ahead), cut-off two hours before."""

    class Meta:
        model = DeliverySlot

    class Params:
        days = 1

    start = factory.LazyAttribute(
        lambda o: (
            timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
            + timedelta(days=o.days)
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    cutoff = factory.LazyAttribute(lambda o: o.start - timedelta(hours=2))
    date = factory.LazyAttribute(lambda o: timezone.localtime(o.start).date())
    capacity = 8
    reserved = 0


class CargoBikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CargoBike

    name = factory.Sequence(lambda n: f"Vélo {n}")
    payload_kg = Decimal("80")


class CourierFactory(factory.django.DjangoModelFactory):
    """An active courier working every day from 7:00 to 21:00 (``shifts=False``: none)."""

    class Meta:
        model = Courier
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    phone = "06 11 22 33 44"

    @factory.post_generation
    def shifts(self, create, extracted, **kwargs):
        if create and extracted is not False:
            CourierShift.objects.bulk_create(
                CourierShift(courier=self, weekday=day, start_time=time(7), end_time=time(21))
                for day in range(7)
            )


SHOPS = [
    ("Boulangerie du Beffroi", "12 Boulevard Jacquard, 62100 Calais", "50.952800", "1.855500"),
    ("Boucherie Lafayette", "30 Boulevard Lafayette, 62100 Calais", "50.949600", "1.862900"),
    ("Épicerie Mollien", "18 Rue Mollien, 62100 Calais", "50.950100", "1.856800"),
]
HOMES = [
    ("44 Boulevard Gambetta, 62100 Calais", "50.946500", "1.852000"),
    ("5 Place d'Armes, 62100 Calais", "50.958300", "1.850700"),
    ("2 Rue Royale, 62100 Calais", "50.957600", "1.852600"),
]


def make_delivery(
    slot=None, shops: int = 2, ready: bool = True, payment_due="0", weight=3000, number=None
):
    """A delivery created the way checkout does, its pickups ready unless ``ready=False``."""
    from delivery import services

    slot = slot or DeliverySlotFactory()
    make_delivery.count = getattr(make_delivery, "count", 0) + 1
    n = make_delivery.count
    address, lat, lon = HOMES[n % len(HOMES)]
    delivery = services.create_delivery(
        services.DeliveryRequest(
            order_number=number or f"T{n:07d}",
            slot_id=slot.pk,
            contact_name="Camille Durand",
            contact_phone="06 12 34 56 78",
            contact_email=f"client{n}@exemple.fr",
            pickups=[
                services.PickupRequest(
                    shop_id=100 + i,
                    shop_name=SHOPS[i][0],
                    address=SHOPS[i][1],
                    latitude=Decimal(SHOPS[i][2]),
                    longitude=Decimal(SHOPS[i][3]),
                    phone="03 21 00 00 00",
                    items=["2 × Pain de campagne", "1 × Tarte au sucre"],
                    weight_grams=weight,
                )
                for i in range(shops)
            ],
            address=address,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            instructions="Sonner deux fois",
            payment_due=Decimal(payment_due),
            payment_method="Carte bancaire à la livraison ou au retrait",
            # These shoppers ticked « Me prévenir par SMS » (opt-in, off by default).
            news_by_sms=True,
        )
    )
    if ready:
        for i in range(shops):
            services.pickup_ready(delivery.order_number, 100 + i)
        # Ready when the shops said so, and at the latest an hour before the slot: a slot of
        # today plans alike whatever the hour the tests run at.
        latest = min(timezone.now(), slot.start - timedelta(hours=1))
        delivery.pickups.filter(ready_at__gt=latest).update(ready_at=latest)
    delivery.refresh_from_db()
    return delivery


class RoundFactory(factory.django.DjangoModelFactory):
    """A round in preparation from 9:00 to 13:00 tomorrow (or ``days`` ahead: 0 for today)."""

    class Meta:
        model = Round

    class Params:
        days = 1

    courier = factory.SubFactory(CourierFactory)
    bike = factory.SubFactory(CargoBikeFactory)
    start = factory.LazyAttribute(
        lambda o: (
            timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
            + timedelta(days=o.days)
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=4))
    date = factory.LazyAttribute(lambda o: timezone.localtime(o.start).date())


def published_round(courier=None, deliveries=(), slot=None, days=1):
    """A round holding ``deliveries`` in the order given, published to its courier."""
    from delivery import services

    round_ = RoundFactory(courier=courier or CourierFactory(), slot=slot, days=days)
    services.add_deliveries(round_.pk, [d.pk for d in deliveries], None)
    services.publish_round(round_.pk, None)
    round_.refresh_from_db()
    return round_

from datetime import time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from delivery.models import DeliverySlot, RelayPoint, SlotTemplate


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

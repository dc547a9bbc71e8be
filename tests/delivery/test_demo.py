"""Demo data for dispatch: three bikes, three couriers, a day of deliveries ready to plan (the
past weeks' deliveries, already ridden, are tested with the demo's history)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from delivery import demo, demo_history
from delivery.models import CargoBike, Courier, Delivery, DeliveryStatus
from hub.services import DEMO_PASSWORD
from insertion.models import Beneficiary
from shop.models import Order
from tests.delivery.factories import DeliverySlotFactory, make_delivery

pytestmark = pytest.mark.django_db

COURIER = "coursier@demo.anima-calais.fr"


def test_seed_demo_gives_dispatch_a_fleet_and_a_day_to_plan_once(client):
    call_command("seed_demo")
    counts = (CargoBike.objects.count(), Courier.objects.count(), Delivery.objects.count())
    call_command("seed_demo")

    assert (CargoBike.objects.count(), Courier.objects.count(), Delivery.objects.count()) == counts
    assert counts[:2] == (3, 3)
    today = timezone.localdate()
    deliveries = Delivery.objects.select_related("slot").filter(slot__date__gte=today)
    to_deliver = Order.objects.exclude(fulfilment="collect").filter(slot__date__gte=today)
    assert deliveries.count() == to_deliver.count() >= 6
    assert {d.status for d in deliveries} == {DeliveryStatus.READY}
    assert len({d.slot.date for d in deliveries}) == 1
    assert len({d.slot_id for d in deliveries}) == 3
    assert Beneficiary.objects.filter(user__email=COURIER).exists()


def test_the_demo_courier_signs_in_and_never_sees_the_insertion_record(client):
    call_command("seed_demo")
    assert client.login(email=COURIER, password=DEMO_PASSWORD)

    page = client.get("/coursier/")
    assert page.status_code == 200
    assert "insertion" not in page.content.decode().lower()
    assert client.get("/insertion/").status_code == 403

    assert client.login(email="dispatch@demo.anima-calais.fr", password=DEMO_PASSWORD)
    upcoming = Delivery.objects.filter(slot__date__gte=timezone.localdate())
    day = upcoming.select_related("slot").first().slot.date
    board = client.get("/livraisons/regulation/", {"date": day.isoformat()}).content.decode()
    assert "Répartir et optimiser le créneau" in board


def test_a_past_delivery_whose_shops_never_said_ready_is_not_ridden():
    """A demo left running: yesterday's orders of the day that no shop prepared stay where they
    were (a courier never picks up a parcel not ready); the ready ones are ridden."""
    demo.seed()
    slot = DeliverySlotFactory(days=-2)
    ready, waiting = make_delivery(slot=slot), make_delivery(slot=slot, ready=False)
    Delivery.objects.update(contact_email="client@demo.anima-calais.fr")

    demo_history.seed()

    ready.refresh_from_db()
    waiting.refresh_from_db()
    assert ready.status in (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
    assert ready.round is not None
    assert (waiting.status, waiting.round) == (DeliveryStatus.AWAITING, None)
    assert slot.end < timezone.now() - timedelta(days=1)

"""Slots generated ahead from weekly templates; reserved under lock, never past capacity."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from delivery import services
from delivery.models import DeliverySlot, FeeRule
from delivery.tasks import generate_delivery_slots
from hub.exceptions import Conflict
from tests.delivery.factories import DeliverySlotFactory, SlotTemplateFactory

pytestmark = pytest.mark.django_db


def test_generation_keeps_the_next_fourteen_days_and_is_idempotent():
    for weekday in range(1, 6):
        for start in (10, 14, 17):
            SlotTemplateFactory(weekday=weekday, start_time=time(start), end_time=time(start + 2))
    monday = date(2026, 3, 2)

    created = services.generate_slots(today=monday)
    again = services.generate_slots(today=monday)

    assert created == 2 * 5 * 3 and again == 0
    first = DeliverySlot.objects.order_by("start").first()
    assert timezone.localtime(first.start).strftime("%a %H:%M") == "Tue 10:00"
    assert first.cutoff == first.start - timedelta(hours=2)
    assert first.capacity == 8


def test_inactive_templates_make_no_slot():
    SlotTemplateFactory(is_active=False)
    assert services.generate_slots(today=date(2026, 3, 2)) == 0


def test_the_beat_task_runs_the_generation():
    SlotTemplateFactory(weekday=timezone.localdate().weekday())
    assert generate_delivery_slots() >= 1


def test_reserving_takes_a_place_and_a_full_slot_is_refused():
    slot = DeliverySlotFactory(capacity=2)
    with transaction.atomic():
        services.reserve_slot(slot.pk)
        services.reserve_slot(slot.pk)
    with pytest.raises(Conflict, match="complet"), transaction.atomic():
        services.reserve_slot(slot.pk)
    slot.refresh_from_db()
    assert slot.reserved == 2
    assert not services.bookable_slots().filter(pk=slot.pk).exists()


def test_a_slot_past_its_cut_off_is_refused():
    slot = DeliverySlotFactory()
    with pytest.raises(Conflict, match="plus ouvert"), transaction.atomic():
        services.reserve_slot(slot.pk, now=slot.cutoff)


def test_unknown_or_closed_slots_are_bad_input():
    closed = DeliverySlotFactory(is_active=False)
    for slot_id in (closed.pk, 999999, "abc"):
        with pytest.raises(ValidationError), transaction.atomic():
            services.reserve_slot(slot_id)


@pytest.mark.django_db(transaction=True)
def test_reserving_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError):
        services.reserve_slot(DeliverySlotFactory().pk)


def test_releasing_gives_a_place_back_and_never_below_zero():
    slot = DeliverySlotFactory(reserved=1)
    services.release_slot(slot.pk)
    services.release_slot(slot.pk)
    slot.refresh_from_db()
    assert slot.reserved == 0


def test_fees_follow_staff_rules_with_a_free_threshold():
    FeeRule.objects.create(mode="home", fee=Decimal("4.90"), free_above=Decimal("40"))
    assert services.delivery_fee("home", Decimal("39.99")) == Decimal("4.90")
    assert services.delivery_fee("home", Decimal("40.00")) == Decimal("0.00")
    assert services.delivery_fee("relay", Decimal("10")) == Decimal("2.50")  # settings default
    assert services.delivery_fee("collect", Decimal("10")) == Decimal("0.00")
    table = {mode: fee for mode, _label, fee, _free in services.fee_table()}
    assert table["home"] == Decimal("4.90")


def test_slot_labels_are_french():
    slot = DeliverySlotFactory()
    label = services.slot_label(slot)
    assert "10 h 00 – 12 h 00" in label

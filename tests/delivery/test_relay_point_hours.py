"""Relay points are offered only in slots they are open for, and never reminded on a closed day."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from delivery import services
from delivery.models import Delivery, EventKind, RelayPointHours, StopKind, Weekday
from delivery.notifications import remind_tomorrow
from hub.models import OutgoingEmail
from tests.delivery.factories import (
    DeliverySlotFactory,
    RelayPointFactory,
    make_delivery,
    published_round,
)

pytestmark = pytest.mark.django_db

WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]


def next_day(weekday: int):
    """The first date from tomorrow on that falls on ``weekday``."""
    day = timezone.localdate() + timedelta(days=1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def slot_on(day, start: int, end: int):
    begins = timezone.make_aware(timezone.datetime.combine(day, time(start)))
    return DeliverySlotFactory(
        start=begins,
        end=begins + timedelta(hours=end - start),
        cutoff=begins - timedelta(hours=2),
        date=day,
    )


@pytest.fixture
def pole():
    """Pôle Anima: open Monday to Friday, 9 h – 18 h."""
    point = RelayPointFactory(name="Pôle Anima", opening_hours="Du lundi au vendredi, 9 h – 18 h")
    RelayPointHours.objects.bulk_create(
        RelayPointHours(relay_point=point, weekday=day, opens=time(9), closes=time(18))
        for day in WEEKDAYS
    )
    return point


@pytest.fixture
def slots():
    return {
        "tuesday morning": slot_on(next_day(Weekday.TUESDAY), 10, 12),
        "tuesday evening": slot_on(next_day(Weekday.TUESDAY), 17, 19),
        "saturday morning": slot_on(next_day(Weekday.SATURDAY), 10, 12),
    }


def test_only_slots_inside_the_opening_hours_are_offered_for_a_relay_point(pole, slots):
    offered = list(services.bookable_slots(relay_point=pole))

    assert offered == [slots["tuesday morning"]]
    assert len(services.bookable_slots()) == 3


def test_a_relay_point_without_recorded_hours_takes_every_slot(slots):
    assert len(services.bookable_slots(relay_point=RelayPointFactory())) == 3


def test_the_slots_api_filters_by_relay_point(pole, slots):
    body = APIClient().get(f"/api/v1/slots/?relay_point={pole.pk}").json()

    results = body["results"] if isinstance(body, dict) else body
    assert [slot["id"] for slot in results] == [slots["tuesday morning"].pk]


def test_the_closed_message_names_the_point_and_its_hours(pole, slots):
    message = services.relay_point_closed_message(pole, slots["saturday morning"].pk)

    assert "Pôle Anima" in message and "Du lundi au vendredi" in message
    assert services.relay_point_closed_message(pole, slots["tuesday morning"].pk) == ""


def test_the_reminder_never_repeats_a_closed_day_slot(pole, slots):
    saturday = slots["saturday morning"]
    at_pole = make_delivery(saturday)
    Delivery.objects.filter(pk=at_pole.pk).update(relay_point=pole)
    at_home = make_delivery(saturday)

    sent = remind_tomorrow(today=saturday.date - timedelta(days=1))
    remind_tomorrow(today=saturday.date - timedelta(days=1))

    assert sent == 1
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [at_home.contact_email]
    assert at_pole.events.filter(kind=EventKind.REMINDER_HELD).count() == 1


def test_a_failed_delivery_cannot_be_replanned_to_a_relay_point_when_it_is_closed(pole, slots):
    failed = make_delivery(shops=1)
    round_ = published_round(deliveries=[failed])
    for stop in round_.stops.order_by("sequence"):
        if stop.kind == StopKind.PICKUP:
            services.record_pickup(round_.courier.user, stop.pk)
        else:
            services.record_failure(round_.courier.user, stop.pk, "absent")

    with pytest.raises(ValidationError) as refused:
        services.replan_delivery(failed.pk, slots["saturday morning"].pk, None, pole.pk)

    assert "fermé" in refused.value.message_dict["slot"][0]
    services.replan_delivery(failed.pk, slots["tuesday morning"].pk, None, pole.pk)
    failed.refresh_from_db()
    assert failed.relay_point == pole

"""French dates on screen: weekdays and months in lower case (only a sentence starts with a
capital), as a reader sees them at 360 px."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.hub.event_factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_agenda_writes_months_in_lower_case(phone):
    day = timezone.localdate() + timedelta(days=10)
    EventFactory(title="Café de l'ESS", start=timezone.make_aware(datetime.combine(day, time(9))))

    phone.goto(phone.base_url + "/agenda/")

    shown = phone.locator(".event-date").first.inner_text()
    weekday, number, month = shown.split(" · ")[0].split(" ")
    assert weekday[0].isupper() and weekday[1:].islower()  # the line starts a sentence
    assert number == ("1er" if day.day == 1 else str(day.day))
    assert month.islower(), shown
    assert re.fullmatch(r"[a-zéû]+", month)

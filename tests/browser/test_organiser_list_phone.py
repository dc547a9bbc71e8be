"""The organiser's event list on a 360 px phone: upcoming events first, every figure visible."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import horizontal_overflow
from tests.browser.test_coworking_booking import signed_in
from tests.hub.event_factories import EventFactory, OrganiserFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_upcoming_events_come_first_and_the_waiting_list_is_visible(browser, live_server):
    organiser = OrganiserFactory(structure__name="Centre Européen de Séjour de Calais")
    now = timezone.now()
    EventFactory(
        title="Déjeuner des créateurs et créatrices d'entreprise du Calaisis (édition d'octobre)",
        structure=organiser.structure,
        start=now - timedelta(days=20),
    )
    upcoming = EventFactory(
        title="Atelier numérique : créer sa boutique en ligne",
        structure=organiser.structure,
        start=now + timedelta(days=3),
        capacity=2,
    )
    RegistrationFactory(event=upcoming, seats=2)
    RegistrationFactory(event=upcoming, status="waiting", seats=3)
    phone = signed_in(browser, live_server, organiser.user)

    phone.goto(phone.base_url + "/agenda/organisation/")

    assert horizontal_overflow(phone) == 0
    text = phone.locator("main").inner_text()
    assert text.index("Atelier numérique") < text.index("Déjeuner des créateurs")
    width = phone.viewport_size["width"]
    for shown in (phone.get_by_text("En attente", exact=True).first, phone.get_by_text("2 / 2")):
        box = shown.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    phone.context.close()

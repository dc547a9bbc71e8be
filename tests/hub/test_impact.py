"""/impact/: aggregates from every registered source, per period and month, charts, export."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hub.impact import Period, period_from
from hub.registry import ImpactSource, Indicator, registry
from hub.roles import Role
from tests.conftest import isolated_caches
from tests.hub.event_factories import EventFactory, RegistrationFactory
from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def insertion_source():
    """A source as the insertion app would register it, with a staff-only figure."""

    def indicators(first, last):
        return [
            Indicator("jobs", "Emplois en insertion", 42, description="Salarié·es en CDDI."),
            Indicator(
                "exits_other",
                "Sorties « autre »",
                2,
                description="Petits effectifs.",
                public=False,
            ),
        ]

    source = ImpactSource(name="Insertion", indicators=indicators, order=40)
    registry.impact.append(source)
    yield source
    registry.impact.remove(source)


def held_event(days_ago: int, capacity=10, seats=(3,)):
    start = timezone.now() - timedelta(days=days_ago)
    event = EventFactory(start=start, capacity=capacity)
    for count in seats:
        RegistrationFactory(event=event, seats=count)
    return event


def test_the_public_sees_public_figures_with_what_they_count_and_over_which_period(
    client, insertion_source
):
    held_event(3, seats=(2, 3))
    RegistrationFactory(event=held_event(4, seats=()), seats=4, attended=False)

    html = client.get(reverse("hub:impact")).content.decode()

    assert "Emplois en insertion" in html
    assert "Sorties « autre »" not in html
    assert "Agenda du pôle" in html
    assert "Événements organisés" in html
    assert "sans les absences pointées" in html
    assert "Période : du " in html
    assert "<svg" in html and 'class="chart-bar"' in html
    assert "style=" not in html
    assert reverse("hub:impact_csv") not in html


def test_staff_also_see_staff_only_figures_and_the_export(client, insertion_source):
    client.force_login(StaffFactory(roles=[Role.ANIMATION]))

    html = client.get(reverse("hub:impact")).content.decode()

    assert "Sorties « autre »" in html
    assert reverse("hub:impact_csv") in html


def test_the_csv_export_is_for_staff_and_has_one_row_per_month(client, insertion_source):
    assert client.get(reverse("hub:impact_csv")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("hub:impact_csv")).status_code == 403

    client.force_login(StaffFactory(roles=[Role.DIRECTION]))
    body = client.get(reverse("hub:impact_csv")).content.decode("utf-8-sig")

    lines = [line for line in body.splitlines() if line.startswith("Insertion;Emplois")]
    assert len(lines) == 1 + 12
    assert "Sorties « autre »" in body


def test_event_figures_count_held_events_and_present_participants():
    from hub.agenda.figures import impact_indicators

    held_event(3, capacity=10, seats=(2, 3))
    absent = held_event(5, capacity=10, seats=(1,))
    RegistrationFactory(event=absent, seats=4, attended=False)
    EventFactory(start=timezone.now() - timedelta(days=2), status="cancelled")
    EventFactory(start=timezone.now() + timedelta(days=2))  # not held yet

    today = timezone.localdate()
    figures = {i.key: i.value for i in impact_indicators(today - timedelta(days=30), today)}

    assert figures == {
        "events_held": 2,
        "event_participants": 6,
        "event_fill_rate": Decimal(30),
    }


def test_periods_are_the_last_twelve_months_or_a_calendar_year():
    today = date(2026, 3, 15)

    default = period_from(None, today)
    year = period_from("2025", today)

    assert (default.first, default.last) == (date(2025, 4, 1), today)
    assert len(default.months()) == 12
    assert (year.first, year.last) == (date(2025, 1, 1), date(2025, 12, 31))
    assert period_from("1999", today).key == "12-mois"
    assert Period("x", date(2026, 1, 20), date(2026, 2, 10), "").months() == [
        (date(2026, 1, 20), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 10)),
    ]


def test_an_absent_app_adds_nothing(client):
    html = client.get(reverse("hub:impact")).content.decode()
    assert "Insertion" not in html


def impact_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("hub:impact"), {"periode": "12-mois"}).status_code == 200
    return len(queries)


def test_the_impact_page_runs_a_constant_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    # The cost depends on which apps register figures, so the small data set sets the budget.
    held_event(1, seats=(1, 2))
    budget = impact_page_queries(client)
    for days in range(2, 40):
        held_event(days, seats=(1, 2))
    settings.CACHES = isolated_caches(settings.CACHES)  # cold cache: the figures are recomputed

    with django_assert_max_num_queries(budget):
        assert client.get(reverse("hub:impact"), {"periode": "12-mois"}).status_code == 200


def test_a_visitor_gets_the_figures_in_their_language_whatever_was_cached(client):
    held_event(3, seats=(2,))
    english = Client()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english.get(reverse("hub:impact"))

    html = client.get(reverse("hub:impact")).content.decode()

    assert "Événements organisés" in html
    assert "Events held" not in html

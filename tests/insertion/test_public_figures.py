"""Figures about people on /impact/: 12-month or yearly totals, small counts withheld with
whatever would give them away; exits by category month by month for cip and direction only."""

from datetime import date

import pytest
from django.urls import reverse

from hub.impact import collect, period_choices, period_from
from hub.roles import Role
from insertion.indicators import publishable
from tests.hub.factories import StaffFactory
from tests.insertion.factories import ContractFactory, ExitFactory, reason

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 15)  # the 12 months to date run from 1 November 2025


def left(day, code):
    """Someone who worked six months and left on ``day`` for ``code``."""
    contract = ContractFactory(start_date=date(day.year - 1, 12, 1), end_date=day)
    return ExitFactory(beneficiary=contract.beneficiary, date=day, reason=reason(code))


@pytest.fixture
def exits():
    """One exit without a positive outcome in November 2025, six to a CDI in 2026."""
    left(date(2025, 11, 20), "chomage")
    for month in range(3, 9):
        left(date(2026, month, 10), "cdi")


def published(staff=False, roles=frozenset()) -> dict[str, dict]:
    """What a visitor reads of the insertion figures, for every period the page offers."""
    result = {}
    for key, _label in period_choices(TODAY):
        sources = collect(period_from(key, TODAY), staff=staff, roles=roles)
        figures = [f for s in sources for f in s.figures if f.key.startswith("insertion_")]
        result[key] = {f.key: f for f in figures}
    return result


def value(figures, key):
    return figures[key].value


def test_the_small_counts_cannot_be_recomputed_from_the_published_ones(exits):
    seen = published()
    rolling, this_year = seen["12-mois"], seen["2026"]

    assert value(rolling, "insertion_exits") == 7
    attempts = {
        # The one exit without a positive outcome in the 12 months: total minus dynamic.
        "others in 12 months": lambda: (
            value(rolling, "insertion_exits") - value(rolling, "insertion_exits_dynamic")
        ),
        # November–December 2025: the 12 months minus the year to date.
        "exits of two months": lambda: (
            value(rolling, "insertion_exits") - value(this_year, "insertion_exits")
        ),
        "dynamic exits of two months": lambda: (
            value(rolling, "insertion_exits_dynamic") - value(this_year, "insertion_exits_dynamic")
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(TypeError):
            attempt()
            pytest.fail(f"recomputed: {name}")


def test_figures_about_people_are_never_published_month_by_month(exits):
    for figures in published().values():
        for figure in figures.values():
            assert figure.months == []


def test_a_year_under_way_is_not_a_12_month_total_and_is_withheld(exits):
    this_year = published()["2026"]

    assert {key: figure.value for key, figure in this_year.items()} == {
        "insertion_people": None,
        "insertion_exits": None,
        "insertion_exits_dynamic": None,
    }


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ((3, 8, 5), (None, 8, None)),  # 8 - 5 = 3 others: the 5 would give them away
        ((12, 12, 6), (12, 12, 6)),
        ((12, 4, 0), (12, None, None)),
        ((40, 11, 4), (40, 11, None)),
    ],
)
def test_counts_under_5_are_withheld_with_their_complement(counts, shown):
    public = publishable(*counts)

    assert (public.people, public.exits, public.dynamic) == shown


def test_the_public_page_says_what_is_withheld_and_shows_no_monthly_table(client, exits):
    html = client.get(reverse("hub:impact")).content.decode()

    assert "Sorties de parcours" in html
    assert "Non publié" in html
    assert "Sorties : Autre sortie" not in html


def test_exits_by_category_month_by_month_only_for_cip_and_direction(client, exits):
    def export(user):
        client.force_login(user)
        return client.get(reverse("hub:impact_csv")).content.decode("utf-8-sig")

    for role in (Role.DISPATCH, Role.ANIMATION, Role.MODERATION, Role.COWORKING):
        assert "Sorties : Emploi durable" not in export(StaffFactory(roles=[role]))
    for role in (Role.CIP, Role.DIRECTION):
        body = export(StaffFactory(roles=[role]))
        lines = [line for line in body.splitlines() if "Sorties : Emploi durable" in line]
        assert len(lines) == 1 + 12


def test_cip_and_direction_see_the_categories_on_the_page(client, exits):
    client.force_login(StaffFactory(roles=[Role.ANIMATION]))
    animation = client.get(reverse("hub:impact")).content.decode()
    client.force_login(StaffFactory(roles=[Role.CIP]))
    cip = client.get(reverse("hub:impact")).content.decode()

    assert "Sorties : Emploi durable" not in animation
    assert "Sorties : Emploi durable" in cip

"""The insertion panel on /pilotage/: counsellors see their caseload, direction the workshop."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insertion.dashboard import counsellor_lines
from tests.insertion.factories import ContractFactory, CounsellorFactory, PassFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(cip, settings):
    """One person of ``cip``: contract ending in 20 days, PASS ending in 50, never interviewed."""
    settings.INSERTION_INTERVIEW_EVERY_WEEKS = 4
    today = timezone.localdate()
    contract = ContractFactory(
        beneficiary__counsellor=cip,
        start_date=today - timedelta(days=200),
        end_date=today + timedelta(days=20),
    )
    PassFactory(
        beneficiary=contract.beneficiary,
        start_date=today - timedelta(days=680),
        end_date=today + timedelta(days=50),
    )
    return contract.beneficiary


def counts(user) -> dict[str, int]:
    return {str(line.label): line.count for line in counsellor_lines(user)}


def test_direction_sees_what_is_due_across_every_caseload(due, direction):
    figures = counts(direction)

    assert figures["Contrats finissant sous 30 jours"] == 1
    assert figures["PASS IAE expirant sous 90 jours"] == 1
    assert figures["Entretiens en retard (plus de 4 semaines)"] == 1
    links = [line.url for line in counsellor_lines(direction)]
    assert all("mine" not in url for url in links)


def test_a_counsellor_sees_their_own_caseload_only(due, cip):
    other = CounsellorFactory()

    assert counts(cip)["Contrats finissant sous 30 jours"] == 1
    assert counts(other)["Contrats finissant sous 30 jours"] == 0
    assert all("mine=1" in line.url for line in counsellor_lines(other))


def test_the_direction_dashboard_page_shows_the_counts(client, due, direction):
    client.force_login(direction)

    page = client.get(reverse("hub:dashboard")).content.decode()

    assert "Suivi insertion : à faire" in page
    assert 'Contrats finissant sous 30 jours</a> <span class="dashboard-count">(1)</span>' in page

"""Funder indicators on a hand-worked example, their exports and the public aggregates."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from insertion.choices import BarrierStatus, EducationLevel, Sex
from insertion.exits import record_exit
from insertion.indicators import Period, impact_indicators, report
from insertion.models import Exit
from tests.insertion.factories import (
    BarrierFactory,
    BeneficiaryFactory,
    ContractFactory,
    ImmersionFactory,
    TrainingFactory,
    early_end,
    qpv,
    reason,
)

pytestmark = pytest.mark.django_db
YEAR_2025 = Period(date(2025, 1, 1), date(2025, 12, 1))


def left(code, start, exit_day, by, **person):
    contract = ContractFactory(
        beneficiary=BeneficiaryFactory(**person), start_date=start, end_date=date(2026, 12, 31)
    )
    return record_exit(
        Exit(beneficiary=contract.beneficiary, date=exit_day, reason=reason(code)),
        by,
        early_end(),
    )


@pytest.fixture
def exits_2025(cip):
    """Hand-worked example: 8 exits in 2025, one in 2026.

    counted = 8 - 1 « retrait » (retirement) - 1 after 2 months = 6
    dynamic = 2 durable + 1 transition + 1 positive = 4  -> 4 / 6 = 66.7 %
    durable = 2 -> 2 / 6 = 33.3 %
    """
    left("cdi", date(2025, 1, 1), date(2025, 6, 30), cip, last_name="Durable")
    left("creation-entreprise", date(2024, 6, 1), date(2025, 3, 15), cip)
    left("cdd-moins-6-mois", date(2025, 1, 1), date(2025, 5, 31), cip)
    left("formation-qualifiante", date(2025, 2, 1), date(2025, 9, 30), cip)
    left("chomage", date(2025, 1, 1), date(2025, 7, 31), cip)
    left("sans-nouvelles", date(2025, 3, 1), date(2025, 10, 31), cip)
    left("retraite", date(2025, 1, 1), date(2025, 8, 31), cip)
    left("cdi", date(2025, 9, 1), date(2025, 10, 31), cip)  # 2 months worked: not counted
    left("cdi", date(2025, 6, 1), date(2026, 1, 15), cip)  # outside the period


def test_the_exit_rates_follow_the_hand_worked_example(exits_2025):
    exits = report(YEAR_2025).exits

    assert exits.total == 8
    assert exits.withdrawn == 1
    assert exits.short == 1
    assert exits.counted == 6
    assert exits.dynamic == 4
    assert exits.dynamic_rate == Decimal("66.7")
    assert exits.durable_rate == Decimal("33.3")


def test_exits_are_listed_by_category_and_reason(exits_2025):
    table = next(t for t in report(YEAR_2025).tables if t.key == "sorties")

    assert ["Emploi durable", "CDI (aidé ou non)", 2, 1] in table.rows
    assert ["Retrait des sorties constatées", "Départ à la retraite", 1, 1] in table.rows


def test_rates_are_empty_without_counted_exits():
    exits = report(YEAR_2025).exits
    assert exits.counted == 0
    assert exits.dynamic_rate is None


def test_hours_and_full_time_equivalents():
    ContractFactory(
        start_date=date(2025, 1, 1), end_date=date(2025, 4, 30), weekly_hours=Decimal(35)
    )
    january = report(Period(date(2025, 1, 1), date(2025, 1, 1)))

    assert january.people == 1
    assert january.hours == Decimal("155.00")  # 35 h × 31 days / 7
    assert january.fte == Decimal("1.00")
    assert report(YEAR_2025).fte == Decimal("0.33")  # 4 months of 12
    assert report(YEAR_2025).hours.as_tuple().exponent == -2  # to the cent, on every database


def test_people_entries_and_profile():
    ContractFactory(
        beneficiary=BeneficiaryFactory(
            sex=Sex.MALE,
            birth_date=date(1972, 1, 1),
            qpv=qpv(),
            rqth=True,
            education_level=EducationLevel.LEVEL_3,
        ),
        start_date=date(2025, 3, 1),
        end_date=date(2025, 8, 31),
    )
    ContractFactory(
        beneficiary=BeneficiaryFactory(sex=Sex.FEMALE, birth_date=date(2003, 1, 1)),
        start_date=date(2024, 3, 1),
        end_date=date(2025, 2, 28),
    )

    result = report(YEAR_2025)

    assert result.people == 2
    assert result.entries == 1
    assert result.qpv_share == Decimal("50.0")
    profile = {row[0]: row[1] for row in next(t for t in result.tables if t.key == "profil").rows}
    assert profile["Hommes"] == 1
    assert profile["50 ans ou plus à l'entrée"] == 1
    assert profile["Moins de 26 ans à l'entrée"] == 1
    assert profile["Travailleur·ses handicapé·es (RQTH)"] == 1


def test_barriers_trainings_and_immersions_of_the_period():
    BarrierFactory(identified_on=date(2025, 2, 1))
    BarrierFactory(
        identified_on=date(2024, 11, 1), status=BarrierStatus.LIFTED, lifted_on=date(2025, 3, 1)
    )
    TrainingFactory(qualifying=True, hours=Decimal(35))
    TrainingFactory(
        qualifying=False, hours=Decimal(7), start_date=date(2025, 5, 1), end_date=date(2025, 5, 1)
    )
    ImmersionFactory()

    tables = {t.key: t for t in report(YEAR_2025).tables}

    assert ["Mobilité", 1, 1] in tables["freins"].rows
    trainings = {row[0]: row[1] for row in tables["formations"].rows}
    assert trainings["Formations commencées"] == 2
    assert trainings["dont qualifiantes"] == 1
    assert trainings["Heures de formation"] == Decimal(42)
    assert trainings["Immersions (PMSMP)"] == 1


def test_the_page_shows_the_period_figures(client, direction, exits_2025):
    client.force_login(direction)

    page = client.get(
        reverse("insertion:indicators"), {"first_month": "2025-01", "last_month": "2025-12"}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "66,7" in html
    assert "Départ à la retraite" in html


def test_a_reversed_period_is_refused_with_a_message(client, direction):
    client.force_login(direction)

    page = client.get(
        reverse("insertion:indicators"), {"first_month": "2025-12", "last_month": "2025-01"}
    )

    assert "Le dernier mois suit le premier." in page.content.decode()


def test_csv_exports_open_in_french_excel(client, direction, exits_2025):
    client.force_login(direction)

    response = client.get(
        reverse("insertion:indicators_export", args=["csv"]),
        {"first_month": "2025-01", "last_month": "2025-12", "table": "synthese"},
    )

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffIndicateur;Valeur\r\n")
    assert "Taux de sorties dynamiques (%);66,7\r\n" in text
    assert "Sorties comptabilisées;6\r\n" in text
    assert 'filename="indicateurs-synthese_2025-01_2025-12.csv"' in response["Content-Disposition"]


def test_the_excel_export_has_one_sheet_per_table(client, direction, exits_2025):
    client.force_login(direction)

    response = client.get(
        reverse("insertion:indicators_export", args=["xlsx"]),
        {"first_month": "2025-01", "last_month": "2025-12"},
    )

    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == [
        "Synthèse",
        "Heures par atelier",
        "Sorties par catégorie et motif",
        "Freins identifiés et levés",
        "Formations et immersions",
        "Profil des personnes salariées",
    ]
    summary = {row[0]: row[1] for row in workbook["Synthèse"].iter_rows(values_only=True)}
    assert summary["Taux de sorties dynamiques (%)"] == 66.7


def test_the_esf_participant_list(client, direction, exits_2025):
    client.force_login(direction)

    response = client.get(
        reverse("insertion:participants_export", args=["csv"]),
        {"first_month": "2025-01", "last_month": "2025-12"},
    )

    lines = response.content.decode("utf-8").lstrip("\ufeff").splitlines()
    header = lines[0].split(";")
    assert header[:4] == ["N° de dossier", "Nom", "Prénom", "Genre"]
    assert "Tranche d'âge (FSE+)" in header
    assert len(lines) == 1 + 9  # everyone under contract in 2025, including who left in 2026
    durable = next(line.split(";") for line in lines if ";Durable;" in line)
    row = dict(zip(header, durable, strict=True))
    assert row["Tranche d'âge (FSE+)"] == "30 à 54 ans"  # ESF+ 2021–2027 bands
    assert row["CITE (FSE+)"] == "CITE 0 à 2"
    assert row["Chômage de longue durée"] == "oui"
    assert row["Catégorie de sortie"] == "Emploi durable"
    assert row["Date de sortie"] == "30/06/2025"


def test_the_impact_page_gets_aggregates_only(exits_2025):
    indicators = impact_indicators(date(2025, 1, 1), date(2025, 12, 31))

    values = {indicator.key: indicator.value for indicator in indicators}
    assert values["insertion_people"] == 9
    assert values["insertion_exits_durable"] == 3
    assert values["insertion_exits_withdrawn"] == 1
    assert not any("Durable" in str(indicator) for indicator in indicators)


def test_the_public_sees_exit_totals_and_only_staff_the_categories(exits_2025):
    indicators = impact_indicators(date(2025, 1, 1), date(2025, 12, 31))

    public = {i.key: i.value for i in indicators if i.public}
    # 4 dynamic exits (under 5) are withheld; so are the 4 others they would give away.
    assert public == {"insertion_people": 9, "insertion_exits": 8, "insertion_exits_dynamic": None}
    staff_only = {i.key for i in indicators if not i.public}
    assert "insertion_exits_withdrawn" in staff_only


def test_the_indicator_page_costs_the_same_queries_at_two_sizes(
    client, direction, cip, django_assert_max_num_queries
):
    client.force_login(direction)
    params = {"first_month": "2025-01", "last_month": "2025-12"}
    left("cdi", date(2025, 1, 1), date(2025, 6, 30), cip)
    BarrierFactory(identified_on=date(2025, 2, 1))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("insertion:indicators"), params)
    for month in range(1, 11):
        left("chomage", date(2025, month, 1), date(2025, month + 2, 28), cip)
        BarrierFactory(identified_on=date(2025, month, 2))
        TrainingFactory()
        ImmersionFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("insertion:indicators"), params)

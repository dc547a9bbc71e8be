"""ESF+ 2021–2027 participant data (Regulation (EU) 2021/1057, Annex I): bands, gender, results."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from insertion.choices import Declared, EducationLevel, LabourStatus, Sex
from insertion.exits import record_followup
from insertion.indicators import Period
from insertion.participants import esf_age_band, indicator_table, participants
from tests.insertion.factories import ContractFactory, ExitFactory, reason

pytestmark = pytest.mark.django_db
YEAR_2025 = Period(date(2025, 1, 1), date(2025, 12, 1))


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (17, "Moins de 18 ans"),
        (18, "18 à 29 ans"),
        (29, "18 à 29 ans"),
        (30, "30 à 54 ans"),
        (54, "30 à 54 ans"),
        (55, "55 ans et plus"),
    ],
)
def test_the_age_bands_are_those_of_2021_2027(age, band):
    assert esf_age_band(age) == band


def hired(birth_date, sex, **person):
    return ContractFactory(
        beneficiary__birth_date=birth_date,
        beneficiary__sex=sex,
        start_date=date(2025, 1, 6),
        end_date=date(2025, 7, 5),
        **{f"beneficiary__{key}": value for key, value in person.items()},
    ).beneficiary


@pytest.fixture
def cohort():
    """Four participants in 2025: two women, a man, a non-binary person."""
    young = hired(
        date(2001, 3, 1),
        Sex.FEMALE,
        unemployment_months=8,
        education_level=EducationLevel.INFRA_3,
    )  # 23 at entry, unemployed 8 months: long-term under 25
    senior = hired(
        date(1968, 2, 1), Sex.FEMALE, education_level=EducationLevel.LEVEL_6, homeless=True
    )  # 56 at entry
    man = hired(
        date(1990, 5, 17),
        Sex.MALE,
        labour_status=LabourStatus.INACTIVE,
        education_level=EducationLevel.LEVEL_4,
        rural_area=True,
    )
    other = hired(
        date(2000, 9, 9),
        Sex.NON_BINARY,
        third_country_national=Declared.YES,
        minority=Declared.DECLINED,
        rqth=True,
    )
    ExitFactory(
        beneficiary=young, date=date(2025, 7, 5), reason=reason("cdi"), result_employed=True
    )
    ExitFactory(
        beneficiary=other,
        date=date(2025, 7, 5),
        reason=reason("formation-qualifiante"),
        result_training=True,
        result_qualification=True,
    )
    return {"young": young, "senior": senior, "man": man, "other": other}


def summary(people):
    table = indicator_table(list(participants(YEAR_2025)), YEAR_2025)
    assert table.headers == ["Indicateur", "Femmes", "Hommes", "Personnes non binaires", "Total"]
    return {row[0]: row[1:] for row in table.rows}


def test_the_common_indicators_are_broken_down_by_gender(cohort, cip):
    record_followup(cohort["young"].exit, date(2026, 1, 10), "employed", cip)

    rows = summary(cohort)

    assert rows["Nombre total de participant·es"] == [2, 1, 1, 4]
    assert rows["Chômeur·ses, y compris de longue durée"] == [2, 0, 1, 3]
    assert rows["Chômeur·ses de longue durée"] == [2, 0, 1, 3]  # 14 months by default
    assert rows["Personnes inactives"] == [0, 1, 0, 1]
    assert rows["Jeunes de 18 à 29 ans"] == [1, 0, 1, 2]
    assert rows["Participant·es de 55 ans et plus"] == [1, 0, 0, 1]
    assert rows["Enfants de moins de 18 ans"] == [0, 0, 0, 0]
    assert rows["Niveau CITE 0 à 2"] == [1, 0, 1, 2]
    assert rows["Niveau CITE 3 à 4"] == [0, 1, 0, 1]
    assert rows["Niveau CITE 5 à 8"] == [1, 0, 0, 1]
    assert rows["Participant·es handicapé·es"] == [0, 0, 1, 1]
    assert rows["Ressortissant·es de pays tiers"] == [0, 0, 1, 1]
    assert rows["Minorités (dont communautés marginalisées)"] == [0, 0, 0, 0]  # declined
    assert rows["Sans domicile ou exclu·es du logement"] == [1, 0, 0, 1]
    assert rows["Participant·es des zones rurales"] == [0, 1, 0, 1]
    assert rows["À la sortie : exerçant un emploi, y compris indépendant"] == [1, 0, 0, 1]
    assert rows["À la sortie : suivant des études ou une formation"] == [0, 0, 1, 1]
    assert rows["À la sortie : obtenant une qualification"] == [0, 0, 1, 1]
    assert rows["À la sortie : en recherche d'emploi"] == [0, 0, 0, 0]
    # From the six-month check recorded by the counsellor.
    assert rows["Six mois après la sortie : exerçant un emploi, y compris indépendant"] == [
        1,
        0,
        0,
        1,
    ]


def test_the_export_gives_one_row_per_participant_and_the_indicator_table(
    client, direction, cohort, cip
):
    record_followup(cohort["young"].exit, date(2026, 1, 10), "employed", cip)
    client.force_login(direction)
    params = {"first_month": "2025-01", "last_month": "2025-12"}

    workbook = load_workbook(
        BytesIO(client.get(reverse("insertion:participants_export", args=["xlsx"]), params).content)
    )
    rows = list(
        client.get(reverse("insertion:participants_export", args=["csv"]), params)
        .content.decode("utf-8")
        .lstrip("\ufeff")
        .splitlines()
    )
    indicators = (
        client.get(
            reverse("insertion:participants_export", args=["csv"]),
            {**params, "table": "indicateurs"},
        )
        .content.decode("utf-8")
        .lstrip("\ufeff")
        .splitlines()
    )

    assert workbook.sheetnames == ["Participant·es FSE+", "Indicateurs communs FSE+"]
    assert workbook["Participant·es FSE+"].max_row == 1 + 4
    header = rows[0].split(";")
    assert len(rows) == 1 + 4
    young = dict(zip(header, rows[1].split(";"), strict=True))
    assert young["Genre"] == "Femme"
    assert young["Tranche d'âge (FSE+)"] == "18 à 29 ans"
    assert young["En emploi à la sortie"] == "oui"
    assert young["En emploi six mois après la sortie"] == "oui"
    other = dict(zip(header, rows[4].split(";"), strict=True))
    assert other["Genre"] == "Non binaire"
    assert other["Minorité"] == "Ne souhaite pas répondre"
    assert other["Origine étrangère"] == "Non renseigné"
    assert indicators[0] == "Indicateur;Femmes;Hommes;Personnes non binaires;Total"
    assert "Nombre total de participant·es;2;1;1;4" in indicators


def test_the_exit_form_records_the_result_at_exit(client, cip):
    person = ContractFactory(
        beneficiary__counsellor=cip, start_date=date(2025, 1, 6), end_date=date(2025, 7, 5)
    ).beneficiary
    client.force_login(cip)

    response = client.post(
        reverse("insertion:exit_create", args=[person.pk]),
        {
            "date": "2025-07-05",
            "reason": reason("formation-qualifiante").pk,
            "result_training": "on",
        },
    )

    assert response.status_code == 302
    person.exit.refresh_from_db()
    assert (person.exit.result_training, person.exit.result_employed) == (True, False)

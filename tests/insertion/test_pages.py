"""The counsellor's pages: caseload, a person's page, and the forms that record a path."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from insertion.choices import BarrierStatus, Workshop
from insertion.models import Barrier, Beneficiary, Contract, Exit, PassIae
from insertion.passes import default_end_date
from tests.insertion.factories import (
    BarrierFactory,
    BeneficiaryFactory,
    ContractFactory,
    InterviewFactory,
    PassFactory,
    qpv,
    reason,
)

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "last_name": "Benhamou",
    "first_name": "Yasmine",
    "birth_date": "1996-04-12",
    "sex": "f",
    "phone": "06 01 02 03 04",
    "address": "3 rue des Prairies",
    "postal_code": "62100",
    "city": "Calais",
    "prescriber": "france_travail",
    "labour_status": "unemployed",
    "france_travail_registered": "on",
    "unemployment_months": "18",
    "rsa": "on",
    "education_level": "3",
}


def test_a_counsellor_opens_a_record(client, cip):
    client.force_login(cip)

    response = client.post(reverse("insertion:beneficiary_create"), {**NEW_PERSON, "qpv": qpv().pk})

    person = Beneficiary.objects.get(last_name="Benhamou")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.qpv.name == "Beau-Marais"
    assert person.rsa
    page = client.get(person.get_absolute_url()).content.decode()
    assert "BENHAMOU Yasmine" in page
    assert "Beau-Marais" in page


def test_a_record_can_be_linked_to_an_existing_account_only(client, cip):
    client.force_login(cip)

    response = client.post(
        reverse("insertion:beneficiary_create"), {**NEW_PERSON, "account_email": "inconnu@x.fr"}
    )

    assert response.status_code == 400
    assert "Aucun compte" in response.content.decode()
    assert not Beneficiary.objects.exists()


def test_pass_and_contract_are_recorded_from_the_person_page(client, cip):
    person = BeneficiaryFactory()
    client.force_login(cip)

    client.post(
        reverse("insertion:pass_create", args=[person.pk]),
        {"number": "999992500001", "start_date": "2025-02-03"},
    )
    response = client.post(
        reverse("insertion:contract_create", args=[person.pk]),
        {
            "workshop": Workshop.RESTAURANT,
            "post": "Commis de cuisine",
            "start_date": "2025-02-03",
            "end_date": "2025-08-02",
            "weekly_hours": "26",
        },
    )

    assert response.status_code == 302
    assert PassIae.objects.get(beneficiary=person).end_date == date(2027, 2, 2)
    assert Contract.objects.get(beneficiary=person).workshop == Workshop.RESTAURANT
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Restaurant Les Petites Mains" in page
    assert "2 février 2027" in page


def test_a_refused_contract_shows_the_rule_and_saves_nothing(client, cip):
    person = BeneficiaryFactory()
    client.force_login(cip)

    response = client.post(
        reverse("insertion:contract_create", args=[person.pk]),
        {
            "workshop": Workshop.SHOP,
            "post": "Vendeur·se",
            "start_date": "2025-02-03",
            "end_date": "2025-04-30",
            "weekly_hours": "26",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "au moins 4 mois" in html
    assert "2 juin 2025" in html
    assert 'role="alert"' in html
    assert not Contract.objects.exists()


def test_the_renewal_form_starts_the_day_after_the_contract(client, cip, record):
    client.force_login(cip)

    page = client.get(reverse("insertion:contract_renew", args=[record["contract"].pk]))

    assert page.context["form"].initial["start_date"] == date(2025, 7, 6)
    response = client.post(
        reverse("insertion:contract_renew", args=[record["contract"].pk]),
        {
            "workshop": Workshop.MULTIMEDIA,
            "post": "Agent·e de production multimédia",
            "start_date": "2025-07-06",
            "end_date": "2026-01-05",
            "weekly_hours": "30",
        },
    )
    assert response.status_code == 302
    assert record["contract"].renewal.weekly_hours == 30


def test_follow_up_forms_record_interview_barrier_action_and_lifting(client, cip, record):
    person, barrier = record["person"], record["barrier"]
    client.force_login(cip)

    client.post(
        reverse("insertion:interview_create", args=[person.pk]),
        {"date": "2025-03-03", "kind": "individual", "summary": "Projet : cuisine collective."},
    )
    client.post(
        reverse("insertion:barrier_action", args=[barrier.pk]),
        {
            "date": "2025-03-04",
            "description": "Scooter solidaire",
            "support": "partner",
            "partner": "Plateforme mobilité",
        },
    )
    client.post(
        reverse("insertion:barrier_move", args=[barrier.pk]),
        {"status": "lifted", "lifted_on": "2025-04-01"},
    )

    barrier.refresh_from_db()
    assert person.interviews.get().counsellor == cip
    assert barrier.status == BarrierStatus.LIFTED
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Projet : cuisine collective." in page
    assert "Frein levé : Mobilité" in page


def test_training_immersion_and_exit_with_its_six_month_check(client, cip, record):
    person = record["person"]
    client.force_login(cip)

    client.post(
        reverse("insertion:training_create", args=[person.pk]),
        {
            "title": "HACCP",
            "provider": "CCI Littoral",
            "start_date": "2025-03-10",
            "end_date": "2025-03-12",
            "hours": "14",
            "qualifying": "",
        },
    )
    immersion = client.post(
        reverse("insertion:immersion_create", args=[person.pk]),
        {
            "host": "Brasserie du Théâtre",
            "start_date": "2025-04-01",
            "end_date": "2025-05-15",
            "goal": "confirm",
        },
    )
    assert immersion.status_code == 400
    assert "au plus un mois" in immersion.content.decode()
    client.post(
        reverse("insertion:exit_create", args=[person.pk]),
        {
            "date": "2025-05-31",
            "reason": reason("cdi").pk,
            "destination": "Brasserie du Théâtre",
            "early_end_ground": "permanent_hiring",
            "early_end_initiative": "employee",
        },
    )
    exit_record = Exit.objects.get(beneficiary=person)
    client.post(
        reverse("insertion:exit_followup", args=[exit_record.pk]),
        {"followup_on": "2025-12-01", "followup_situation": "employed"},
    )

    exit_record.refresh_from_db()
    assert person.trainings.count() == 1
    assert exit_record.followup_situation == "employed"
    record["contract"].refresh_from_db()
    assert record["contract"].ended_on == date(2025, 5, 31)


def test_the_caseload_filters(client, cip):
    today = timezone.localdate()
    ending = ContractFactory(
        beneficiary__last_name="Bientotfini",
        beneficiary__counsellor=cip,
        workshop=Workshop.COURIER,
        start_date=today - timedelta(days=150),
        end_date=today + timedelta(days=20),
    )
    InterviewFactory(beneficiary=ending.beneficiary, date=today)
    quiet = ContractFactory(
        beneficiary__last_name="Sansnouvelles",
        workshop=Workshop.DECO,
        start_date=today - timedelta(days=100),
        end_date=today + timedelta(days=200),
    )
    PassFactory(
        beneficiary=quiet.beneficiary, number="999990000777", start_date=today - timedelta(days=700)
    )
    BarrierFactory(beneficiary=quiet.beneficiary, identified_on=today - timedelta(days=10))
    client.force_login(cip)

    def names(**params):
        html = client.get(reverse("insertion:caseload"), params).content.decode()
        return {name for name in ("BIENTOTFINI", "SANSNOUVELLES") if name in html}

    assert names() == {"BIENTOTFINI", "SANSNOUVELLES"}
    assert names(workshop=Workshop.COURIER) == {"BIENTOTFINI"}
    assert names(contract_ending="30") == {"BIENTOTFINI"}
    assert names(pass_expiring="90") == {"SANSNOUVELLES"}
    assert names(no_interview="4") == {"SANSNOUVELLES"}
    assert names(barriers="open") == {"SANSNOUVELLES"}
    assert names(mine="1") == {"BIENTOTFINI"}
    assert names(q="999990000777") == {"SANSNOUVELLES"}
    assert names(q="bientot") == {"BIENTOTFINI"}


def make_people(count):
    for _ in range(count):
        contract = ContractFactory()
        PassFactory(beneficiary=contract.beneficiary)
        BarrierFactory(beneficiary=contract.beneficiary)
        InterviewFactory(beneficiary=contract.beneficiary)


def test_the_caseload_costs_the_same_queries_for_3_or_30_people(
    client, cip, django_assert_max_num_queries
):
    client.force_login(cip)
    make_people(3)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("insertion:caseload"))
    make_people(27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("insertion:caseload"))
    assert response.context["page"].paginator.count == 30


def test_the_full_export_holds_every_part_of_the_record(client, cip, record):
    client.force_login(cip)

    response = client.get(reverse("insertion:beneficiary_export", args=[record["person"].pk]))

    workbook = load_workbook(BytesIO(response.content))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert {"Identité et situation", "PASS IAE", "Contrats", "Freins", "Accès au dossier"} <= set(
        workbook.sheetnames
    )
    identity = {
        row[0]: row[1] for row in workbook["Identité et situation"].iter_rows(values_only=True)
    }
    assert identity["nom"] == "Lefort"
    assert workbook["PASS IAE"].max_row == 2
    assert (
        Barrier.objects.filter(beneficiary=record["person"]).count()
        == workbook["Freins"].max_row - 1
    )


def test_suspending_and_extending_the_pass_from_its_forms(client, cip):
    today = timezone.localdate()
    pass_iae = PassFactory(start_date=today - timedelta(days=100))
    ten_days_later = default_end_date(pass_iae.start_date) + timedelta(days=10)
    client.force_login(cip)

    response = client.post(
        reverse("insertion:pass_suspend", args=[pass_iae.pk]),
        {
            "start_date": (today - timedelta(days=30)).isoformat(),
            "end_date": (today - timedelta(days=21)).isoformat(),
            "reason": "contract_suspended",
        },
    )
    assert response.status_code == 302
    pass_iae.refresh_from_db()
    assert pass_iae.end_date == ten_days_later

    refused = client.post(
        reverse("insertion:pass_extend", args=[pass_iae.pk]),
        {
            "requested_on": today.isoformat(),
            "new_end_date": (ten_days_later + timedelta(days=400)).isoformat(),
            "reason": "rqth",
        },
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "365 jours" in html
    assert "RQTH" in html
    pass_iae.refresh_from_db()
    assert pass_iae.end_date == ten_days_later


def test_renewing_beyond_24_months_asks_for_the_legal_ground(client, cip):
    contract = ContractFactory(start_date=date(2024, 1, 1), end_date=date(2025, 9, 30))
    client.force_login(cip)

    response = client.post(
        reverse("insertion:contract_renew", args=[contract.pk]),
        {
            "workshop": Workshop.DECO,
            "post": "Agent·e déco",
            "start_date": "2025-10-01",
            "end_date": "2026-03-31",
            "weekly_hours": "26",
        },
    )

    assert response.status_code == 400
    assert "motif légal" in response.content.decode()
    assert "31 décembre 2025" in response.content.decode()

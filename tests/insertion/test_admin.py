"""The admin for counsellors and direction: reference lists, read-only records, CSV export."""

import pytest
from django.urls import reverse
from django.utils import timezone

from insertion.indicators import Period, report
from insertion.models import AccessLog, Beneficiary, ExitReason, PriorityNeighbourhood
from tests.hub.factories import StaffFactory, UserFactory
from tests.insertion.factories import BeneficiaryFactory, ExitFactory

pytestmark = pytest.mark.django_db


def test_direction_edits_the_asp_exit_reasons_and_the_indicators_follow(client, direction, record):
    exit_record = record["exit"]
    period = Period(exit_record.date.replace(day=1), exit_record.date.replace(day=1))
    assert report(period).exits.by_category == {"durable": 1}
    client.force_login(direction)
    cdi = ExitReason.objects.get(code="cdi")

    response = client.post(
        reverse("admin:insertion_exitreason_change", args=[cdi.pk]),
        {"code": "cdi", "label": cdi.label, "category": "transition", "order": 10, "active": "on"},
    )

    assert response.status_code == 302
    assert report(period).exits.by_category == {"transition": 1}


def test_counsellors_read_the_exit_reasons_but_do_not_change_them(client, cip):
    client.force_login(cip)

    assert client.get(reverse("admin:insertion_exitreason_changelist")).status_code == 200
    assert client.get(reverse("admin:insertion_exitreason_add")).status_code == 403


def test_counsellors_add_a_priority_neighbourhood(client, cip):
    client.force_login(cip)

    client.post(
        reverse("admin:insertion_priorityneighbourhood_add"),
        {"name": "Saint-Pierre", "city": "Calais", "code": "", "active": "on"},
    )

    assert PriorityNeighbourhood.objects.filter(name="Saint-Pierre").exists()


def test_contracts_are_read_only_in_the_admin(client, cip, record):
    client.force_login(cip)
    url = reverse("admin:insertion_contract_change", args=[record["contract"].pk])

    page = client.get(url)

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"post": "Autre"}).status_code == 403


def test_an_anonymised_record_is_read_only_in_the_admin(client, cip):
    person = BeneficiaryFactory()
    Beneficiary.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
    client.force_login(cip)

    page = client.get(reverse("admin:insertion_beneficiary_change", args=[person.pk]))

    assert 'name="_save"' not in page.content.decode()


def test_the_csv_export_action_holds_the_selected_records_and_is_logged(client, cip, record):
    client.force_login(cip)
    person = record["person"]

    response = client.post(
        reverse("admin:insertion_beneficiary_changelist"),
        {"action": "export_csv", "_selected_action": [person.pk]},
    )

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, row = text.lstrip("\ufeff").splitlines()[:2]
    assert header.split(";")[:3] == ["ID", "prénom", "nom"]
    assert ";Inès;Lefort;" in row
    assert AccessLog.objects.filter(beneficiary=person, action="export", user=cip).exists()


def test_a_staff_account_cannot_be_linked_to_a_record(client, cip):
    person = BeneficiaryFactory()
    client.force_login(cip)
    edit = client.get(reverse("insertion:beneficiary_edit", args=[person.pk])).context["form"]
    data = {k: v for k, v in edit.initial.items() if v not in (None, False)}

    response = client.post(
        reverse("insertion:beneficiary_edit", args=[person.pk]),
        {**data, "birth_date": "1990-05-17", "account_email": StaffFactory().email},
    )

    assert response.status_code == 400
    assert "Un compte de l&#x27;équipe" in response.content.decode()
    linked = UserFactory()
    response = client.post(
        reverse("insertion:beneficiary_edit", args=[person.pk]),
        {**data, "birth_date": "1990-05-17", "account_email": linked.email},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == linked


def test_an_exit_reason_in_use_cannot_disappear(client, direction):
    ExitFactory()
    client.force_login(direction)

    assert client.get(reverse("admin:insertion_exitreason_delete", args=[1])).status_code == 403

"""Every display, change and export of a person's record is logged; direction reads the log."""

import pytest
from django.urls import reverse

from insertion.models import AccessLog
from tests.hub.factories import StaffFactory
from tests.insertion.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def entries(**filters):
    return list(AccessLog.objects.filter(**filters).values_list("action", flat=True))


def test_displaying_a_record_is_logged_with_who_when_and_where(client, cip, record):
    person = record["person"]
    client.force_login(cip)

    client.get(reverse("insertion:beneficiary", args=[person.pk]))

    entry = AccessLog.objects.get(beneficiary=person, action="view")
    assert entry.user == cip
    assert entry.user_email == cip.email
    assert entry.path == f"/insertion/{person.pk}/"
    assert entry.at is not None
    assert "Inès" not in entry.record  # the log names records by number only


def test_opening_a_form_about_a_person_is_logged(client, cip, record):
    client.force_login(cip)

    client.get(reverse("insertion:contract_renew", args=[record["contract"].pk]))

    entry = AccessLog.objects.get(beneficiary=record["person"], action="view")
    assert entry.detail == "Renouveler le contrat"


def test_the_caseload_logs_one_line_per_person_shown(client, cip, record):
    BeneficiaryFactory.create_batch(3)
    client.force_login(cip)

    client.get(reverse("insertion:caseload"))

    shown = AccessLog.objects.filter(action="list", user=cip)
    assert shown.count() == 4  # the person who left is not in the default list
    assert record["exit"].beneficiary_id not in set(shown.values_list("beneficiary", flat=True))


def test_a_change_is_logged_with_the_fields_changed(client, cip, record):
    person = record["person"]
    client.force_login(cip)
    form = client.get(reverse("insertion:beneficiary_edit", args=[person.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(phone="07 56 00 00 01", birth_date="1990-05-17")  # an allocated mobile range
    data = {key: value for key, value in data.items() if value is not False}

    response = client.post(reverse("insertion:beneficiary_edit", args=[person.pk]), data)

    assert response.status_code == 302
    change = AccessLog.objects.get(beneficiary=person, action="change")
    assert "phone" in change.detail


def test_the_full_export_of_a_record_is_logged(client, cip, record):
    client.force_login(cip)

    client.get(reverse("insertion:beneficiary_export", args=[record["person"].pk]))

    assert entries(beneficiary=record["person"], action="export") == ["export"]


def test_the_participant_export_logs_every_person_in_it(client, direction, record):
    client.force_login(direction)

    client.get(
        reverse("insertion:participants_export", args=["csv"]),
        {"first_month": "2024-01", "last_month": "2025-12"},
    )

    logged = set(AccessLog.objects.filter(action="export").values_list("beneficiary", flat=True))
    assert logged == {record["person"].pk, record["exit"].beneficiary_id}


def test_superusers_are_logged_too(client, record):
    boss = StaffFactory(is_superuser=True)
    client.force_login(boss)

    client.get(reverse("insertion:beneficiary", args=[record["person"].pk]))
    client.get(reverse("admin:insertion_beneficiary_change", args=[record["person"].pk]))

    assert entries(user=boss) == ["view", "view"]


def test_admin_displays_and_lists_are_logged(client, cip, record):
    client.force_login(cip)

    client.get(reverse("admin:insertion_beneficiary_changelist"))
    client.get(reverse("admin:insertion_contract_change", args=[record["contract"].pk]))

    assert entries(user=cip, action="list")
    assert entries(user=cip, action="view", beneficiary=record["person"]) == ["view"]


def test_admin_changes_are_logged(client, cip, record):
    interview_url = reverse("admin:insertion_interview_add")
    client.force_login(cip)

    response = client.post(
        interview_url,
        {
            "beneficiary": record["person"].pk,
            "date": "2025-02-03",
            "kind": "individual",
            "summary": "Point d'étape",
            "next_steps": "",
        },
    )

    assert response.status_code == 302
    assert entries(user=cip, action="create", beneficiary=record["person"]) == ["create"]


def test_direction_reads_the_log_on_a_staff_page(client, cip, direction, record):
    client.force_login(cip)
    client.get(reverse("insertion:beneficiary", args=[record["person"].pk]))
    client.force_login(direction)

    page = client.get(reverse("insertion:access_log"), {"dossier": record["person"].pk})

    html = page.content.decode()
    assert page.status_code == 200
    assert cip.email in html
    assert "Consultation" in html


def test_the_log_is_read_only_in_the_admin(client, direction, cip, record):
    client.force_login(cip)
    client.get(reverse("insertion:beneficiary", args=[record["person"].pk]))
    entry = AccessLog.objects.first()
    client.force_login(direction)

    assert client.get(reverse("admin:insertion_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:insertion_accesslog_add")).status_code == 403
    change = client.post(reverse("admin:insertion_accesslog_change", args=[entry.pk]), {})
    assert change.status_code == 403
    delete = client.post(
        reverse("admin:insertion_accesslog_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AccessLog.objects.filter(pk=entry.pk).exists()

"""The field history of CDDI contracts: who changed what, without the person's free texts,
shown in the admin only to whom may see the record (and logged), deleted at anonymisation."""

from datetime import date

import pytest
from django.urls import reverse

from hub.services import Role
from insertion.choices import EarlyEndGround
from insertion.exits import record_exit
from insertion.models import AccessLog, Beneficiary, Contract, Exit
from insertion.models.contracts import CONTRACT_UNTRACKED_FIELDS
from insertion.retention import anonymise
from tests.hub.factories import StaffFactory
from tests.insertion.factories import ContractFactory, early_end, reason

pytestmark = pytest.mark.django_db
SECRET = "Hospitalisation en psychiatrie, suivi SPIP"


@pytest.fixture
def ended(cip):
    """A CDDI ended early by the counsellor, the details holding sensitive facts."""
    contract = ContractFactory(
        start_date=date(2025, 1, 6),
        end_date=date(2025, 12, 31),
        post="Agent·e de tri",
        weekly_hours=20,
    )
    person = contract.beneficiary
    leaving = Exit(
        beneficiary=person, date=date(2025, 5, 15), reason=reason("cdi"), destination="Opale"
    )
    record_exit(leaving, cip, early_end("agreement", "both", SECRET))
    contract.refresh_from_db()
    return contract


def history_url(contract, *version):
    if version:
        return reverse("admin:insertion_contract_simple_history", args=[contract.pk, *version])
    return reverse("admin:insertion_contract_history", args=[contract.pk])


def test_a_change_is_recorded_with_who_when_and_which_fields(ended, cip):
    latest, created = ended.history.all()[:2]

    assert latest.history_user == cip
    assert latest.history_type == "~"
    changes = latest.diff_against(created)
    assert {"ended_on", "end_ground", "end_initiative"} <= set(changes.changed_fields)
    assert latest.ended_on == date(2025, 5, 15)
    assert created.ended_on is None


def test_the_free_texts_about_the_person_are_not_copied_into_the_history(ended):
    stored = {field.name for field in Contract.history.model._meta.fields}

    assert stored.isdisjoint(CONTRACT_UNTRACKED_FIELDS)
    assert ended.end_details == SECRET  # the record itself keeps it
    rows = list(Contract.history.filter(id=ended.pk).values())
    assert rows and SECRET not in repr(rows) and "Agent·e de tri" not in repr(rows)


def test_anonymisation_deletes_the_contract_history(ended):
    other = ContractFactory()

    anonymise(ended.beneficiary)

    assert not Contract.history.filter(beneficiary_id=ended.beneficiary_id).exists()
    assert Contract.history.filter(id=other.pk).exists()
    assert Beneficiary.objects.get(pk=ended.beneficiary_id).anonymised_at


def test_counsellors_see_the_history_in_the_admin_and_each_view_is_logged(client, ended, cip):
    client.force_login(cip)

    page = client.get(history_url(ended))
    version = client.get(history_url(ended, ended.history.first().history_id))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Terminé par anticipation le" in text and "15 mai 2025" in text
    assert str(EarlyEndGround.AGREEMENT.label) in text
    assert str(cip) in text
    assert SECRET not in text
    assert version.status_code == 200
    details = set(
        AccessLog.objects.filter(
            user=cip, action="view", beneficiary=ended.beneficiary
        ).values_list("detail", flat=True)
    )
    assert "Historique" in details
    assert any(detail.startswith("Historique, version n°") for detail in details)


def test_a_version_is_shown_never_saved_back(client, ended, cip):
    client.force_login(cip)
    version = ended.history.last()

    response = client.post(history_url(ended, version.history_id), {"ended_on": ""})

    assert response.status_code == 403
    ended.refresh_from_db()
    assert ended.ended_on == date(2025, 5, 15)


@pytest.mark.parametrize("roles", [[Role.DISPATCH], [Role.COWORKING], []])
def test_staff_who_may_not_see_the_contract_do_not_see_its_history(client, ended, roles):
    client.force_login(StaffFactory(roles=roles))
    version = ended.history.first().history_id

    assert client.get(history_url(ended)).status_code == 403
    assert client.get(history_url(ended, version)).status_code == 403
    assert not AccessLog.objects.filter(action="view").exists()


def test_a_counsellor_does_not_see_the_history_of_their_own_record(client, cip):
    own = ContractFactory(beneficiary__user=cip)
    client.force_login(cip)

    assert client.get(history_url(own)).status_code == 404
    assert client.get(history_url(own, own.history.first().history_id)).status_code == 404

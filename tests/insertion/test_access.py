"""Only counsellors (cip) and direction see insertion records: pages, admin, API, exports.

Everybody else is refused: anonymous visitors go to the login page, signed-in accounts get
403, and a courier whose account is linked to a record never sees it.
"""

import pytest
from django.urls import reverse

from hub.roles import Role
from insertion.models import AccessLog, Beneficiary, Interview
from tests.hub.factories import StaffFactory, UserFactory
from tests.insertion.factories import BeneficiaryFactory, CounsellorFactory

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    "anonymous",
    "shopper",
    "merchant",
    "courier",
    Role.DISPATCH,
    Role.COWORKING,
    Role.ANIMATION,
    Role.MODERATION,
    "staff_without_role",
]


def sign_in(client, who, record):
    if who == "anonymous":
        return None
    if who in ("shopper", "merchant"):
        user = UserFactory()
    elif who == "courier":
        user = UserFactory(email="coursier@exemple.fr")
        Beneficiary.objects.filter(pk=record["person"].pk).update(user=user)
    elif who == "staff_without_role":
        user = StaffFactory()
    else:
        user = StaffFactory(roles=[who])
    client.force_login(user)
    return user


def page_urls(record):
    person, contract = record["person"].pk, record["contract"].pk
    return [
        reverse("insertion:caseload"),
        reverse("insertion:beneficiary_create"),
        reverse("insertion:beneficiary", args=[person]),
        reverse("insertion:beneficiary_edit", args=[person]),
        reverse("insertion:beneficiary_export", args=[person]),
        reverse("insertion:pass_create", args=[person]),
        reverse("insertion:pass_suspend", args=[record["pass"].pk]),
        reverse("insertion:pass_extend", args=[record["pass"].pk]),
        reverse("insertion:contract_create", args=[person]),
        reverse("insertion:contract_renew", args=[contract]),
        reverse("insertion:interview_create", args=[person]),
        reverse("insertion:barrier_create", args=[person]),
        reverse("insertion:barrier_action", args=[record["barrier"].pk]),
        reverse("insertion:barrier_move", args=[record["barrier"].pk]),
        reverse("insertion:training_create", args=[person]),
        reverse("insertion:immersion_create", args=[person]),
        reverse("insertion:exit_create", args=[person]),
        reverse("insertion:exit_followup", args=[record["exit"].pk]),
        reverse("insertion:indicators"),
        reverse("insertion:indicators_export", args=["csv"]),
        reverse("insertion:indicators_export", args=["xlsx"]),
        reverse("insertion:participants_export", args=["csv"]),
        reverse("insertion:participants_export", args=["xlsx"]),
        reverse("insertion:access_log"),
    ]


ADMIN_MODELS = [
    "beneficiary",
    "passiae",
    "passsuspension",
    "passextension",
    "contract",
    "interview",
    "barrier",
    "barrieraction",
    "training",
    "immersion",
    "exit",
    "exitreason",
    "priorityneighbourhood",
    "accesslog",
]


def assert_refused(response, who):
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert "lefort" not in response.content.decode().lower()


@pytest.mark.parametrize("who", FORBIDDEN)
def test_pages_and_exports_are_refused(client, who, record):
    sign_in(client, who, record)

    for url in page_urls(record):
        assert_refused(client.get(url), who)


@pytest.mark.parametrize("who", FORBIDDEN)
def test_forms_refuse_to_record_anything(client, who, record):
    sign_in(client, who, record)
    url = reverse("insertion:interview_create", args=[record["person"].pk])

    response = client.post(url, {"date": "2025-02-03", "kind": "individual", "summary": "x"})

    assert_refused(response, who)
    assert not Interview.objects.exists()


@pytest.mark.parametrize("who", FORBIDDEN)
def test_the_admin_shows_nothing_of_insertion(client, who, record):
    sign_in(client, who, record)

    for model in ADMIN_MODELS:
        response = client.get(reverse(f"admin:insertion_{model}_changelist"))
        assert response.status_code in (302, 403)
        assert "lefort" not in response.content.decode().lower()
    response = client.get(reverse("admin:insertion_beneficiary_change", args=[record["person"].pk]))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("who", FORBIDDEN)
def test_no_api_endpoint_gives_insertion_data(client, who, record):
    sign_in(client, who, record)

    assert client.get("/api/v1/insertion/").status_code == 404
    me = client.get("/api/v1/me/")
    assert "lefort" not in me.content.decode().lower()


def test_the_api_schema_has_no_insertion_endpoint(client):
    schema = client.get("/api/schema/").content.decode().lower()

    assert "insertion" not in schema
    assert "beneficiar" not in schema


@pytest.mark.parametrize("role", [Role.CIP, Role.DIRECTION])
def test_counsellors_and_direction_see_the_records(client, role, record):
    client.force_login(StaffFactory(roles=[role]))

    assert "LEFORT" in client.get(reverse("insertion:caseload")).content.decode()
    page = client.get(reverse("insertion:beneficiary", args=[record["person"].pk]))
    assert page.status_code == 200
    assert "LEFORT Inès" in page.content.decode()
    admin_page = client.get(reverse("admin:insertion_beneficiary_changelist"))
    assert "LEFORT" in admin_page.content.decode()


def test_counsellors_do_not_get_direction_reports(client, record):
    client.force_login(CounsellorFactory())

    for name in ("insertion:indicators", "insertion:access_log"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("insertion:participants_export", args=["csv"])).status_code == 403
    assert client.get(reverse("admin:insertion_accesslog_changelist")).status_code == 403


def test_a_counsellor_whose_account_is_linked_to_a_record_never_sees_it(client, record):
    counsellor = CounsellorFactory()
    mine = BeneficiaryFactory(last_name="Personnel", user=counsellor)
    client.force_login(counsellor)

    assert "Personnel" not in client.get(reverse("insertion:caseload")).content.decode()
    assert client.get(reverse("insertion:beneficiary", args=[mine.pk])).status_code == 404
    assert client.get(reverse("insertion:beneficiary_export", args=[mine.pk])).status_code == 404
    admin_list = client.get(reverse("admin:insertion_beneficiary_changelist"))
    assert "PERSONNEL" not in admin_list.content.decode()
    admin_change = client.get(reverse("admin:insertion_beneficiary_change", args=[mine.pk]))
    assert admin_change.status_code == 302  # the admin says « not found » and goes back
    assert not AccessLog.objects.filter(beneficiary=mine).exists()


def test_an_anonymised_record_is_not_shown_in_the_pages(client, record):
    from django.utils import timezone

    person = record["person"]
    Beneficiary.objects.filter(pk=person.pk).update(anonymised_at=timezone.now())
    client.force_login(CounsellorFactory())

    assert client.get(reverse("insertion:beneficiary", args=[person.pk])).status_code == 404

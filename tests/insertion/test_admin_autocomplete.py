"""The admin's autocomplete shows people's names: each display is written to the access log."""

import pytest
from django.urls import reverse

from insertion.models import AccessLog
from tests.hub.factories import StaffFactory
from tests.insertion.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def search(client, term, model="interview", field="beneficiary"):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "insertion", "model_name": model, "field_name": field, "term": term},
    )


def test_the_autocomplete_logs_every_person_it_lists(client, cip, record):
    client.force_login(cip)

    response = search(client, "Lef")

    assert response.status_code == 200
    names = [result["text"] for result in response.json()["results"]]
    assert names == ["LEFORT Inès"]
    entry = AccessLog.objects.get(beneficiary=record["person"], user=cip)
    assert entry.action == "list"
    assert "autocomplétion" in entry.detail
    assert entry.path.startswith(reverse("admin:autocomplete"))


def test_an_empty_search_logs_each_name_of_the_page_shown(client, direction):
    people = BeneficiaryFactory.create_batch(3)
    client.force_login(direction)

    shown = search(client, "").json()["results"]

    assert len(shown) == 3
    logged = set(AccessLog.objects.filter(user=direction).values_list("beneficiary", flat=True))
    assert logged == {person.pk for person in people}


def test_other_staff_get_no_names_and_nothing_is_logged(client, record):
    client.force_login(StaffFactory(roles=["animation"]))

    assert search(client, "Lef").status_code == 403
    assert not AccessLog.objects.exists()

"""The demo data: idempotent, complete enough to show every page, and safe for the courier."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from hub.services import DEMO_PASSWORD
from insertion.models import Barrier, Beneficiary, Contract, Exit, Immersion, Training

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (Beneficiary, Contract, Exit, Barrier, Training)]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def test_seeding_twice_adds_nothing(demo):
    first = counts()
    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
    assert 18 <= first[0] <= 25


def test_the_demo_covers_every_exit_category_renewals_and_immersions(demo):
    categories = set(Exit.objects.values_list("reason__category", flat=True))

    assert categories == {"durable", "transition", "positive", "other", "withdrawn"}
    assert Contract.objects.filter(kind="renewal").exists()
    assert Immersion.objects.exists()
    assert Exit.objects.filter(over_three_months=False).exists()


def test_the_demo_courier_is_linked_to_a_record_and_cannot_see_it(client, demo):
    person = Beneficiary.objects.get(user__email="coursier@demo.anima-calais.fr")
    assert client.login(email="coursier@demo.anima-calais.fr", password=DEMO_PASSWORD)

    assert client.get(reverse("insertion:caseload")).status_code == 403
    assert client.get(person.get_absolute_url()).status_code == 403


def test_every_demo_record_page_renders_for_the_counsellor(client, demo):
    assert client.login(email="cip@demo.anima-calais.fr", password=DEMO_PASSWORD)

    assert client.get(reverse("insertion:caseload"), {"situation": "all"}).status_code == 200
    for person in Beneficiary.objects.all():
        assert client.get(person.get_absolute_url()).status_code == 200


def test_the_direction_sees_the_demo_indicators(client, demo):
    assert client.login(email="direction@demo.anima-calais.fr", password=DEMO_PASSWORD)

    page = client.get(reverse("insertion:indicators"))

    assert page.status_code == 200
    assert client.get(reverse("insertion:access_log")).status_code == 200

"""axe-core finds no serious or critical problem on the insertion pages (demo data)."""

from datetime import timedelta
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from hub.services import DEMO_PASSWORD
from insertion.models import Barrier, Beneficiary, Exit
from insertion.reference_data import ensure as ensure_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data():
    """Other transactional tests flush the database, migration data included."""
    ensure_reference_data()


def sign_in(page, email):
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(page.base_url + "/")


def serious_problems(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url}: {violation['id']} — {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_insertion_pages_pass_axe(page):
    call_command("seed_demo", stdout=StringIO())
    person = Beneficiary.objects.get(user__email="coursier@demo.anima-calais.fr")
    barrier = Barrier.objects.filter(beneficiary=person).first()
    left = Exit.objects.filter(followup_on__isnull=True).first()
    sign_in(page, "direction@demo.anima-calais.fr")
    paths = [
        "/insertion/",
        "/insertion/?situation=all&workshop=courier",
        person.get_absolute_url(),
        f"/insertion/{person.pk}/modifier/",
        f"/insertion/{person.pk}/entretien/",
        f"/insertion/frein/{barrier.pk}/etat/",
        f"/insertion/sortie/{left.pk}/suivi/",
        "/insertion/nouveau/",
        "/insertion/indicateurs/",
        "/insertion/journal/",
    ]
    problems = []
    for path in paths:
        page.goto(page.base_url + path)
        problems += serious_problems(page)
    page.goto(page.base_url + f"/insertion/{person.pk}/entretien/")
    page.get_by_label("Date").fill((timezone.localdate() + timedelta(days=2)).isoformat())
    page.get_by_label("Compte rendu").fill("Entretien à venir")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("alert").wait_for()  # the error summary
    problems += serious_problems(page)

    assert problems == []

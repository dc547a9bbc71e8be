"""In Chromium: a counsellor records a whole path; the direction sees it in the indicators."""

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from openpyxl import load_workbook

from hub.roles import Role
from insertion.reference_data import ensure as ensure_reference_data
from tests.browser.conftest import horizontal_overflow
from tests.hub.factories import PASSWORD, StaffFactory
from tests.insertion.factories import ContractFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reference_data():
    """Other transactional tests flush the database, migration data included."""
    ensure_reference_data()


def sign_in(page, email):
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(page.base_url + "/")


def sign_out(page):
    page.get_by_text("Mon compte").click()
    page.get_by_role("button", name="Se déconnecter").click()


def save(page):
    page.get_by_role("button", name="Enregistrer").click()


def test_a_counsellor_records_a_path_and_the_direction_counts_the_exit(page):
    StaffFactory(email="sophie@adlc.fr", first_name="Sophie", roles=[Role.CIP])
    StaffFactory(email="nadia@adlc.fr", roles=[Role.DIRECTION])
    today = timezone.localdate()
    start = today - timedelta(days=200)
    first_end = start + relativedelta(months=6) - timedelta(days=1)
    exit_day = today - timedelta(days=3)

    sign_in(page, "sophie@adlc.fr")
    page.get_by_text("Mon compte").click()
    page.get_by_role("link", name="Suivi insertion").click()
    page.get_by_role("link", name="Nouveau dossier").click()
    page.locator("#id_last_name").fill("Benhamou")
    page.locator("#id_first_name").fill("Yasmine")
    page.get_by_label("Date de naissance").fill("1996-04-12")
    page.get_by_label("Sexe").select_option(label="Femme")
    page.get_by_label("Quartier prioritaire (QPV)").select_option(label="Beau-Marais (Calais)")
    page.get_by_label("Niveau de formation").select_option(label="CAP, BEP (niveau 3, CITE 3)")
    page.get_by_label("Bénéficiaire du RSA").check()
    save(page)
    page.get_by_role("heading", name="BENHAMOU Yasmine").wait_for()

    page.get_by_role("link", name="Enregistrer un PASS IAE").click()
    page.get_by_label("Numéro de PASS IAE").fill("999992512345")
    page.get_by_label("Début de validité").fill(start.isoformat())
    save(page)

    page.get_by_role("link", name="Contrat", exact=True).click()
    page.get_by_label("Atelier").select_option(label="Restaurant Les Petites Mains")
    page.get_by_label("Poste").fill("Commis de cuisine")
    page.get_by_label("Début").fill(start.isoformat())
    page.get_by_label("Fin prévue").fill((start + relativedelta(months=3)).isoformat())
    page.get_by_label("Heures par semaine").fill("26")
    save(page)
    assert page.get_by_role("alert").get_by_text("au moins 4 mois").is_visible()
    page.get_by_label("Fin prévue").fill(first_end.isoformat())
    save(page)
    page.get_by_text("Contrat enregistré.").wait_for()

    page.get_by_role("link", name="Entretien", exact=True).click()
    page.get_by_label("Compte rendu").fill("Projet : cuisine collective. Objectif permis B.")
    save(page)

    page.get_by_role("link", name="Frein", exact=True).click()
    page.get_by_label("Frein").select_option(label="Mobilité")
    save(page)
    page.get_by_role("link", name="Changer l'état (Mobilité)").click()
    page.get_by_label("Nouvel état").select_option(label="Levé")
    save(page)
    page.get_by_text("Frein levé : Mobilité").wait_for()

    page.get_by_role("link", name="Renouveler le contrat").click()
    page.get_by_label("Fin prévue").fill((first_end + relativedelta(months=6)).isoformat())
    save(page)
    page.get_by_text("Renouvellement enregistré.").wait_for()

    page.get_by_role("link", name="Sortie", exact=True).click()
    page.get_by_label("Date de sortie").fill(exit_day.isoformat())
    page.get_by_label("Motif (liste ASP)").select_option(label="CDI (aidé ou non)")
    page.get_by_label("Employeur ou organisme de formation").fill("Brasserie du Théâtre")
    # The renewal runs for months yet: leaving for a CDI ends it early (L1243-2).
    page.get_by_label("Motif de la fin anticipée du contrat").select_option(
        label="Embauche en CDI, à l'initiative du ou de la salarié·e (L1243-2)"
    )
    page.get_by_label("Fin anticipée décidée par").select_option(label="Le ou la salarié·e")
    save(page)
    page.get_by_text("Sorti·e du parcours le").wait_for()
    sign_out(page)

    sign_in(page, "nadia@adlc.fr")
    page.goto(page.base_url + "/insertion/indicateurs/")
    page.get_by_label("Du mois").fill(f"{start:%Y-%m}")
    page.get_by_label("au mois (inclus)").fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="Afficher").click()
    exits = page.get_by_role("region", name="Sorties par catégorie et motif")
    row = exits.get_by_role("row", name=re.compile("CDI"))
    assert row.get_by_role("cell").all_inner_texts()[-2:] == ["1", "1"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Tous les tableaux (Excel)").click()
    workbook = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    summary = {r[0]: r[1] for r in workbook["Synthèse"].iter_rows(values_only=True)}
    assert summary["Sorties comptabilisées"] == 1
    assert summary["Taux de sorties dynamiques (%)"] == 100


def test_caseload_and_record_fit_a_phone(phone):
    StaffFactory(email="sophie@adlc.fr", roles=[Role.CIP])
    contract = ContractFactory()
    sign_in(phone, "sophie@adlc.fr")

    phone.goto(phone.base_url + "/insertion/")
    assert horizontal_overflow(phone) == 0
    phone.goto(phone.base_url + contract.beneficiary.get_absolute_url())
    assert phone.get_by_role("heading", level=1).is_visible()
    assert horizontal_overflow(phone) == 0

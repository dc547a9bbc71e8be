"""Sign-up, the confirmation link received by e-mail, login and logout, in a real browser."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import horizontal_overflow

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_confirm_login_logout(page):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Courriel").fill("lea.martin@exemple.fr")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom :", exact=True).fill("Martin")
    page.get_by_label("Mot de passe :", exact=True).fill("velo-cargo-calais-62")
    page.get_by_label("Mot de passe (confirmation)").fill("velo-cargo-calais-62")
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile(r"/comptes/confirm-email/"))

    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    path = link.split("/", 3)[3]
    page.goto(f"{page.base_url}/{path}")
    page.get_by_role("button", name="Confirmer").click()

    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill("lea.martin@exemple.fr")
    page.get_by_label("Mot de passe :", exact=True).fill("velo-cargo-calais-62")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(page.base_url + "/")
    page.get_by_text("Mon compte").click()
    page.get_by_role("button", name="Se déconnecter").click()

    assert page.get_by_role("link", name="Se connecter").is_visible()


def test_home_page_fits_a_phone_screen(phone):
    phone.goto(phone.base_url + "/")

    assert phone.get_by_role("heading", level=1).is_visible()
    assert horizontal_overflow(phone) == 0


def test_skip_link_takes_keyboard_users_to_the_content(page):
    page.goto(page.base_url + "/")
    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Aller au contenu")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"

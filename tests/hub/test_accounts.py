"""Sign-up, e-mail confirmation, login, logout, password reset and e-mail change (allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from hub.models import User
from tests.hub.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _link_in(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def sign_up(client, email="lea.martin@exemple.fr", **overrides):
    data = {
        "email": email,
        "first_name": "Léa",
        "last_name": "Martin",
        "password1": "velo-cargo-calais-62",
        "password2": "velo-cargo-calais-62",
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def test_sign_up_sends_a_french_confirmation_email(client):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(email="lea.martin@exemple.fr")
    assert (user.first_name, user.last_name) == ("Léa", "Martin")
    assert len(mail.outbox) == 1
    assert "Confirm" in mail.outbox[0].subject or "onfirm" in mail.outbox[0].subject
    assert "Anima" in mail.outbox[0].subject
    assert "adresse" in mail.outbox[0].body.lower()


def test_it_refuses_login_before_the_email_is_confirmed(client):
    sign_up(client)
    client.logout()
    mail.outbox.clear()

    response = client.post(
        reverse("account_login"),
        {"login": "lea.martin@exemple.fr", "password": "velo-cargo-calais-62"},
    )

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_confirmation_link_then_login_then_logout(client):
    sign_up(client)
    confirm_path = _link_in(mail.outbox[0])

    client.post(confirm_path)
    assert EmailAddress.objects.get(email="lea.martin@exemple.fr").verified

    response = client.post(
        reverse("account_login"),
        {"login": "Lea.Martin@exemple.fr", "password": "velo-cargo-calais-62"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]

    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_sign_up_without_a_name(client):
    response = sign_up(client, first_name="", last_name="")

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not User.objects.exists()


def test_a_second_sign_up_with_a_known_email_creates_nothing_and_warns_the_owner(client):
    UserFactory(email="lea.martin@exemple.fr")

    # allauth does not reveal which addresses have an account: it answers as for a new one
    # and mails the owner instead.
    sign_up(client, email="LEA.martin@exemple.fr")

    assert User.objects.count() == 1
    assert mail.outbox[0].to == ["lea.martin@exemple.fr"]


def test_wrong_password_gets_a_french_message(client):
    UserFactory(email="camille@exemple.fr")

    response = client.post(
        reverse("account_login"), {"login": "camille@exemple.fr", "password": "faux"}
    )

    assert response.status_code == 200
    assert "incorrect" in response.content.decode()


def test_login_is_rate_limited_after_repeated_failures(client):
    UserFactory(email="camille@exemple.fr")
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": "camille@exemple.fr", "password": "x"})

    response = client.post(
        reverse("account_login"), {"login": "camille@exemple.fr", "password": PASSWORD}
    )

    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_link(client):
    UserFactory(email="camille@exemple.fr")

    client.post(reverse("account_reset_password"), {"email": "camille@exemple.fr"})
    assert len(mail.outbox) == 1
    reset_path = _link_in(mail.outbox[0])
    form_page = client.get(reset_path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path,
        {"password1": "nouveau-mot-de-passe-62", "password2": "nouveau-mot-de-passe-62"},
    )

    assert response.status_code == 302
    assert User.objects.get(email="camille@exemple.fr").check_password("nouveau-mot-de-passe-62")


def test_email_change_needs_confirmation_of_the_new_address(client):
    user = UserFactory(email="camille@exemple.fr")
    client.force_login(user)

    client.post(
        reverse("account_email"), {"action_add": "", "email": "camille.nouvelle@exemple.fr"}
    )

    assert mail.outbox, "a confirmation e-mail goes to the new address"
    assert mail.outbox[-1].to == ["camille.nouvelle@exemple.fr"]
    client.post(_link_in(mail.outbox[-1]))
    user.refresh_from_db()
    assert user.email == "camille.nouvelle@exemple.fr"


def test_account_pages_use_the_site_layout_in_french(client):
    response = client.get(reverse("account_login"))

    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html
    assert "Connexion" in html

"""Token authentication for API clients and /api/v1/me/."""

import pytest
from rest_framework.test import APIClient

from hub.registry import registry
from hub.roles import Role
from tests.hub.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api():
    return APIClient()


def test_good_credentials_give_a_token_that_opens_me(api):
    UserFactory(
        email="karim@exemple.fr", first_name="Karim", last_name="Benali", roles=[Role.DISPATCH]
    )

    response = api.post(TOKEN_URL, {"email": "Karim@exemple.fr", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json() == {
        "email": "karim@exemple.fr",
        "first_name": "Karim",
        "last_name": "Benali",
        "roles": ["dispatch"],
    }


def test_the_same_token_is_returned_twice(api):
    UserFactory(email="karim@exemple.fr")
    first = api.post(TOKEN_URL, {"email": "karim@exemple.fr", "password": PASSWORD}).json()
    second = api.post(TOKEN_URL, {"email": "karim@exemple.fr", "password": PASSWORD}).json()
    assert first == second


def test_wrong_credentials_get_400_with_a_french_message(api):
    UserFactory(email="karim@exemple.fr")

    response = api.post(TOKEN_URL, {"email": "karim@exemple.fr", "password": "faux"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Adresse e-mail ou mot de passe incorrect."}


def test_unknown_account_gets_the_same_400(api):
    response = api.post(TOKEN_URL, {"email": "personne@exemple.fr", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [{}, {"email": "pas-un-email", "password": "x"}, {"email": "a@b.fr"}, "not json"],
)
def test_malformed_requests_get_field_errors(api, payload):
    response = api.post(TOKEN_URL, payload, format="json")
    assert response.status_code == 400


def test_an_unconfirmed_address_gets_no_token(api):
    UserFactory(email="karim@exemple.fr", verified=False)

    response = api.post(TOKEN_URL, {"email": "karim@exemple.fr", "password": PASSWORD})

    assert response.status_code == 400
    assert "Confirmez" in response.json()["detail"]


def test_token_requests_are_rate_limited_like_the_login_page(api):
    UserFactory(email="karim@exemple.fr")
    for _attempt in range(5):
        api.post(TOKEN_URL, {"email": "karim@exemple.fr", "password": "faux"})

    response = api.post(TOKEN_URL, {"email": "karim@exemple.fr", "password": PASSWORD})

    assert response.status_code == 429
    assert "Trop de tentatives" in response.json()["detail"]


def test_me_needs_authentication(api):
    assert api.get("/api/v1/me/").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert api.get("/api/v1/me/").status_code == 401


def test_me_lists_relation_roles_declared_by_apps(api):
    user = UserFactory()
    provider = lambda u: ["merchant"] if u == user else []  # noqa: E731
    registry.role_providers.append(provider)
    try:
        api.force_authenticate(user)
        assert api.get("/api/v1/me/").json()["roles"] == ["merchant"]
    finally:
        registry.role_providers.remove(provider)

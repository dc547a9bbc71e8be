"""Text with a NUL byte or a lone surrogate is a 400 that does not repeat it, never a 500;
API bodies above the size or nesting limits are refused before parsing."""

import json

import pytest
from django.urls import reverse

from tests.hub.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSAL = "caractère interdit"


@pytest.mark.parametrize(
    "url",
    [
        "/boutique/produits/?q=%00",
        "/boutique/produits/?q=a%00b",
        "/boutique/produits/?q=pain&%00=1",
        "/agenda/?q=caf%C3%A9%00",
        "/boutique/commandes/AB%00CD/",
    ],
)
def test_a_nul_in_a_page_url_is_a_400_with_a_french_message(client, url):
    response = client.get(url)

    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSAL in page
    assert "\x00" not in page
    assert response["Content-Security-Policy"]


def test_a_nul_in_a_form_field_is_a_400(client):
    response = client.post(reverse("account_login"), {"login": "a\x00@exemple.fr", "password": "x"})

    assert response.status_code == 400
    assert REFUSAL in response.content.decode()


def test_a_nul_in_an_api_query_parameter_is_a_json_400(client):
    client.force_login(UserFactory())

    response = client.get("/api/v1/products/?search=%00")

    assert response.status_code == 400
    assert REFUSAL in response.json()["detail"]


def post_json(client, url: str, body: str, **headers):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "body",
    [
        '{"email": "\\ud800@exemple.fr", "password": "x"}',
        '{"email": "a@exemple.fr", "password": "\\udfff"}',
        '{"email": "a@exemple.fr", "password": "a\\u0000b"}',
        '{"\\ud800": 1, "email": "a@exemple.fr", "password": "x"}',
    ],
)
def test_forbidden_text_in_a_json_body_is_a_400_that_does_not_repeat_it(client, body):
    response = post_json(client, reverse("api-token"), body)

    assert response.status_code == 400
    assert REFUSAL in response.json()["detail"]
    assert "\\ud800" not in response.content.decode().lower()


def test_a_surrogate_in_a_choice_field_is_a_400_not_a_500(client):
    client.force_login(UserFactory())

    response = post_json(client, "/api/v1/orders/", '{"fulfilment": "\\ud800"}')

    assert response.status_code == 400


def test_deeply_nested_json_is_a_400_before_parsing(client):
    response = post_json(client, reverse("api-token"), "[" * 100_000)

    assert response.status_code == 400
    assert "imbriqué" in response.json()["detail"]


def test_brackets_inside_strings_do_not_count_as_nesting(client):
    body = json.dumps({"email": "[" * 100 + "@exemple.fr", "password": "{" * 100})

    response = post_json(client, reverse("api-token"), body)

    assert response.status_code == 400
    assert "email" in response.json()


def test_a_json_body_above_the_limit_is_a_413(client, settings):
    settings.API_MAX_JSON_BYTES = 1000
    body = json.dumps({"email": "a@exemple.fr", "password": "x" * 2000})

    response = post_json(client, reverse("api-token"), body)

    assert response.status_code == 413
    assert response.json()["detail"]


def test_a_json_body_that_hides_its_length_is_cut_at_the_limit(client, settings):
    settings.API_MAX_JSON_BYTES = 1000
    body = json.dumps({"email": "a@exemple.fr", "password": "x" * 2000})

    response = post_json(client, reverse("api-token"), body, CONTENT_LENGTH="100")

    assert response.status_code in (400, 413)

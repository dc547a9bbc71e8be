"""What schemathesis found, pinned: JSON on every /api/ URL, input refused exactly when the
schema refuses it, and the statuses and links the schema declares."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(
    "url", ["/api/v1/dispatch/rounds/null%2Cnull/", "/api/v1/inconnu/", "/api/rien"]
)
def test_an_unknown_api_url_answers_a_json_404(url):
    response = APIClient().get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Introuvable."}


def test_a_page_url_still_answers_an_html_404(client):
    response = client.get("/page-inconnue/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_number_where_the_schema_says_text_is_refused():
    response = APIClient().post("/api/v1/delivery/check-address/", {"address": 0}, format="json")

    assert response.status_code == 400
    assert response.json() == {"address": ["Texte attendu."]}


@pytest.mark.parametrize("query", ["page=1&page=x", "page=last", "page=", "page=²"])
def test_a_page_that_is_not_one_whole_number_is_refused(query):
    response = APIClient().get(f"/api/v1/merchants/?{query}")

    assert response.status_code == 400
    assert "page" in response.json()


def test_a_page_past_the_end_is_still_a_404():
    assert APIClient().get("/api/v1/merchants/?page=9").status_code == 404


@pytest.mark.parametrize("date", ["05/01/2026", "", "demain"])
def test_a_date_not_written_as_the_schema_says_is_refused(date):
    assert APIClient().get("/api/v1/slots/", {"date": date}).status_code == 400


def test_a_shop_id_below_the_declared_minimum_is_refused_as_the_schema_says(schema):
    parameters = schema["paths"]["/api/v1/products/"]["get"]["parameters"]
    merchant = next(p for p in parameters if p["name"] == "merchant")

    assert merchant["schema"]["minimum"] == 1
    assert APIClient().get("/api/v1/products/?merchant=0").status_code == 400
    assert APIClient().get("/api/v1/products/?merchant=1").status_code == 200


def test_signed_in_operations_declare_401_and_403(schema):
    basket = schema["paths"]["/api/v1/basket/"]["get"]["responses"]

    assert {"401", "403"} <= set(basket)
    assert basket["401"]["content"]["application/json"]["schema"]["properties"]["detail"]


def test_operations_on_an_object_declare_404_and_bodies_415(schema):
    line = schema["paths"]["/api/v1/basket/lines/{id}/"]["patch"]["responses"]

    assert {"400", "401", "403", "404", "415"} <= set(line)


def test_public_operations_declare_the_401_of_a_bad_token_but_no_403(schema):
    products = schema["paths"]["/api/v1/products/"]["get"]["responses"]

    assert "401" in products
    assert "403" not in products


def test_created_objects_link_to_what_reads_acts_on_and_cancels_them(schema):
    links = schema["paths"]["/api/v1/orders/"]["post"]["responses"]["201"]["links"]

    assert {link["operationRef"] for link in links.values()} == {
        "#/paths/~1api~1v1~1orders~1{id}~1/get",
        "#/paths/~1api~1v1~1orders~1{id}~1pay~1/post",
        "#/paths/~1api~1v1~1orders~1{id}~1cancel~1/post",
    }
    assert all(link["parameters"] == {"id": "$response.body#/id"} for link in links.values())


def test_an_unknown_relay_point_has_no_open_slot_rather_than_a_400():
    response = APIClient().get("/api/v1/slots/?relay_point=999999")

    assert response.status_code == 200
    assert response.json()["results"] == []

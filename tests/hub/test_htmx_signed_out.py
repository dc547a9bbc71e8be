"""An HTMX request whose session has ended sends the whole page to the login page, back to
the page the person was on, instead of swapping the login form into a part of the page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.hub.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

BOARD = "/livraisons/regulation/?date=2026-12-01"


def htmx_from(page):
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{page}"}


def way_back(response):
    """The login page the whole page is sent to, and the page it leads back to."""
    address = urlsplit(response["HX-Redirect"])
    return address.path, parse_qs(address.query)["next"][0]


def test_it_sends_the_board_to_the_login_page_when_its_refresh_finds_no_session(client):
    response = client.get(reverse("delivery:failures"), **htmx_from(BOARD))

    assert response.status_code == 200
    assert way_back(response) == (reverse("account_login"), BOARD)
    assert not response.content
    assert "Location" not in response


def test_it_does_the_same_for_a_page_behind_login_required(client):
    page = reverse("coworking:my_bookings")

    response = client.get(page, **htmx_from(page))

    assert way_back(response) == (reverse("account_login"), page)


def test_a_plain_request_is_still_redirected(client):
    response = client.get(reverse("delivery:failures"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "HX-Redirect" not in response


def test_a_page_of_another_site_is_never_the_way_back(client):
    failures = reverse("delivery:failures")

    response = client.get(
        failures, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x"
    )

    assert way_back(response) == (reverse("account_login"), failures)


def test_a_signed_in_dispatcher_gets_the_part_itself(client):
    client.force_login(StaffFactory(roles=["dispatch"]))

    response = client.get(reverse("delivery:failures"), **htmx_from(BOARD))

    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert 'id="failures"' in response.content.decode()


def test_someone_without_the_role_is_refused_not_sent_to_sign_in(client):
    client.force_login(UserFactory())

    response = client.get(reverse("delivery:failures"), **htmx_from(BOARD))

    assert response.status_code == 403
    assert "HX-Redirect" not in response

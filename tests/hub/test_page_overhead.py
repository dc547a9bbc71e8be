"""What every page costs besides its body: an anonymous visitor gets no session, a signed-in
one costs the catalogue pages no query more than an anonymous one."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.hub.factories import StructureFactory, UserFactory
from tests.shop.factories import MerchantFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(settings):
    settings.REMEMBERED_TOMBSTONE_SECONDS = 0  # as once a login's tombstones expired
    StructureFactory()
    shop = MerchantFactory()
    product = ProductFactory(merchant=shop, name="Pâtes fraîches")
    product.label_list = ["bio"]
    return [
        "/",
        "/boutique/",
        "/boutique/produits/",
        "/boutique/produits/?q=pates",
        "/boutique/produits/?label=bio",
        shop.get_absolute_url(),
        product.get_absolute_url(),
        "/agenda/",
        "/espaces/",
        "/structures/",
        "/impact/",
    ]


def test_an_anonymous_visitor_gets_no_session_on_any_public_page(pages):
    visitor = Client()
    for path in pages:
        answer = visitor.get(path)
        assert answer.status_code == 200, path
        assert django_settings.SESSION_COOKIE_NAME not in answer.cookies, path
    assert django_settings.SESSION_COOKIE_NAME not in visitor.cookies


def test_pages_vary_by_cookie_not_by_the_browsers_language(pages):
    answer = Client(HTTP_ACCEPT_LANGUAGE="en").get(pages[0])

    assert answer.headers["Vary"] == "Cookie"
    assert answer.headers["Content-Language"] == "fr"  # the language chosen, not the browser's


def queries(client, path: str) -> list[str]:
    client.get(path)
    with CaptureQueriesContext(connection) as page:
        client.get(path)
    return [query["sql"] for query in page.captured_queries]


def test_a_signed_in_page_runs_no_more_queries_than_an_anonymous_one(client, pages):
    client.force_login(UserFactory())
    anonymous = Client()

    for path in pages:
        assert queries(client, path) == queries(anonymous, path), path


def test_the_htmx_header_and_the_forms_carry_the_visitors_own_token():
    """The body tag is part of the layout kept in memory: its token is the visitor's, the
    same as the forms' on the page, and accepted on an HTMX post."""
    first, visitor = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")  # the layout is kept from here on

    html = visitor.get("/").content.decode()
    header = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html).group(1)
    forms = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    answer = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_X_CSRFTOKEN=header
    )

    assert forms == {header}
    assert header not in first.get("/").content.decode()
    assert answer.status_code == 302

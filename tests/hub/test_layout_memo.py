"""The layout's fixed parts (head links, header, sections, footer) are rendered once per
process and language, yet each visitor gets their own token, return address and section."""

import re

import pytest
from django.conf import settings
from django.test import Client

from hub.fragments import _memo

pytestmark = pytest.mark.django_db


def footer_form(html: str) -> tuple[str, str]:
    form = html[html.index('<footer class="site-footer">') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    next_path = re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1)
    return token, next_path


def test_the_language_form_brings_each_visitor_back_to_their_own_page_with_their_token():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")  # the layout is kept from here on

    html = second.get("/boutique/?categorie=bakery&x=<b>").content.decode()
    token, next_path = footer_form(html)
    answer = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/boutique/", "csrfmiddlewaretoken": token}
    )

    assert _memo
    assert next_path == "/boutique/?categorie=bakery&amp;x=%3Cb%3E"
    assert token != footer_form(first.get("/").content.decode())[0]
    assert answer.status_code == 302 and "anima-fragment" not in html


def test_the_current_section_is_marked_on_its_own_pages_only(client):
    def current(path: str) -> list[str]:
        html = client.get(path).content.decode()
        return re.findall(r'<a href="([^"]+)" aria-current="page"', html)

    assert current("/") == []
    assert current("/boutique/") == ["/boutique/"]
    assert current("/boutique/produits/") == ["/boutique/"]
    assert current("/agenda/") == ["/agenda/"]
    assert current("/") == []


def test_the_layout_follows_each_visitors_language(client):
    assert "Aller au contenu" in client.get("/").content.decode()
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = english.get("/").content.decode()

    assert "Skip to content" in html and "Aller au contenu" not in html
    assert "Aller au contenu" in client.get("/").content.decode()


def test_nothing_is_kept_while_debugging(client, settings):
    settings.DEBUG = True  # the development server reloads templates as they are edited
    client.get("/")

    assert _memo == {}

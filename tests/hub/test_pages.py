"""Home page, layout, language and French formatting."""

from decimal import Decimal

import pytest
from django.utils import translation

from hub.templatetags.anima import money, percent
from tests.hub.factories import StructureFactory

pytestmark = pytest.mark.django_db


def test_home_presents_the_hub_and_its_structures(client):
    StructureFactory(name="Les Animaliens")

    html = client.get("/").content.decode()

    assert "Anima" in html
    assert "Les Animaliens" in html
    assert "Le pôle" in html


def test_layout_has_landmarks_and_a_skip_link(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#contenu">' in html
    assert '<main id="contenu"' in html
    assert "<header" in html and "<footer" in html
    assert 'aria-label="Sections principales"' in html


def test_htmx_is_served_from_the_site(client):
    html = client.get("/").content.decode()
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html


def test_pages_are_french_even_for_an_english_browser(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in html
    assert "Aller au contenu" in html


def test_english_is_available_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/").content.decode()

    assert '<html lang="en">' in html
    assert "Skip to content" in html


def test_unknown_pages_get_a_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_money_is_written_the_french_way():
    with translation.override("fr"):
        assert money(Decimal("1234.5")) == "1\u00a0234,50\u00a0€"
        assert money(Decimal("2.005")) == "2,01\u00a0€"
        assert money("3") == "3,00\u00a0€"
        assert money(None) == ""
        assert percent(Decimal("0.256")) == "26\u00a0%"


def test_account_menu_shows_links_registered_by_apps_to_whom_they_concern(client):
    from hub.registry import AccountLink, registry
    from tests.hub.factories import UserFactory

    link = AccountLink(
        label="Espace test", url_name="hub:structure_list", visible=lambda u: u.is_staff
    )
    registry.account_links.append(link)
    try:
        client.force_login(UserFactory())
        assert "Espace test" not in client.get("/").content.decode()
        client.force_login(UserFactory(is_staff=True))
        assert "Espace test" in client.get("/").content.decode()
    finally:
        registry.account_links.remove(link)

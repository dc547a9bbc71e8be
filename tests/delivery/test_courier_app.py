"""The courier app's shell: the web app manifest and the service worker served under /coursier/
(scope of the courier pages), passing the site's CSP, holding no personal data, and the page
that links them. Their behaviour in a browser: tests/browser/test_courier_pwa.py."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from tests.delivery.test_courier_page import PAGE, today_round

pytestmark = pytest.mark.django_db

MANIFEST = "/coursier/manifest.webmanifest"
WORKER = "/coursier/sw.js"


def test_the_manifest_describes_an_installable_french_app(client):
    response = client.get(MANIFEST)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Anima Calais — Ma tournée"
    assert manifest["short_name"] == "Ma tournée"
    assert manifest["lang"] == "fr"
    assert manifest["start_url"] == manifest["scope"] == manifest["id"] == PAGE
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with open(path, "rb") as file:
            assert file.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_worker_is_served_fresh_as_javascript_under_the_courier_pages(client):
    response = client.get(WORKER)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\n\});", body, re.S).group(1))
    assert config["page"] == PAGE
    precached = {entry["url"] for entry in config["precache"]}
    assert {
        "/static/delivery/courier.js",
        "/static/delivery/courier_queue.js",
        "/static/delivery/maps.js",
        "/static/vendor/leaflet/leaflet.js",
        "/static/delivery/delivery.css",
        "/static/delivery/icons/courier-192.png",
    } <= precached
    assert all(entry["revision"] for entry in config["precache"])
    # Workbox comes from the vendored files, nothing from elsewhere.
    assert all(url.startswith("/static/vendor/workbox/") for url in config["workbox"])
    for url in config["workbox"]:
        assert finders.find(url.removeprefix("/static/")), url


def test_the_shell_holds_no_personal_data_and_needs_no_login(client):
    round_ = today_round()
    client.force_login(round_.courier.user)
    signed_in = (client.get(MANIFEST).content, client.get(WORKER).content)
    client.logout()

    assert (client.get(MANIFEST).content, client.get(WORKER).content) == signed_in
    assert b"Camille" not in signed_in[0] + signed_in[1]


def test_the_round_page_links_the_manifest_and_worker_and_says_when_it_was_received(client):
    round_ = today_round()
    client.force_login(round_.courier.user)

    response = client.get(PAGE)

    page = response.content.decode()
    assert f'<link rel="manifest" href="{MANIFEST}">' in page
    assert f'data-service-worker="{WORKER}"' in page
    assert re.search(r"Tournée reçue le \d{1,2}(er)? \w+ à \d\d:\d\d", page)
    # The CSP allows the worker and the manifest (same origin) and still no inline script.
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "<script>" not in page


def test_the_worker_may_fetch_the_map_tiles_it_keeps(client, settings):
    settings.MAP_TILES_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"

    response = client.get(WORKER)

    connect = next(
        part for part in response["Content-Security-Policy"].split(";") if "connect-src" in part
    )
    assert "'self'" in connect and "https://*.tiles.example.org" in connect
    assert '"tiles": "tiles.example.org"' in response.content.decode()


def test_without_tiles_the_worker_connects_to_the_site_only(client, settings):
    settings.MAP_TILES_URL = ""

    response = client.get(WORKER)

    assert "connect-src 'self';" in response["Content-Security-Policy"] + ";"

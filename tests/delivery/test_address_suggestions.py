"""Addresses suggested as they are typed: from the local list in the demo and tests, from the BAN's
autocompletion in production (here a local stand-in answering as its documented GeoJSON), with
the zone's answer for each, rate-limited, and never calling outside in tests."""

import ipaddress
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from delivery import services
from delivery.geocoding import AddressNotFound, BanGeocoder, Precision
from tests.hub.factories import UserFactory
from tests.shop.factories import ProductFactory, basket_with

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "recorded"
URL = reverse("delivery:address_suggestions")
OUTSIDE_CALLS: list[str] = []
WATCHING = threading.Event()


def _watch_outside_calls(event, args):
    """Records every HTTP request made with urllib and every connection to a host that is not
    this machine, while a test watches (an audit hook stays for the whole process)."""
    if not WATCHING.is_set():
        return
    if event == "urllib.Request":
        OUTSIDE_CALLS.append(args[0])
    elif event == "socket.connect" and isinstance(args[1], tuple):
        host = args[1][0]
        try:
            local = ipaddress.ip_address(host).is_loopback
        except ValueError:
            local = host == "localhost"
        if not local:
            OUTSIDE_CALLS.append(str(args[1]))


sys.addaudithook(_watch_outside_calls)


@pytest.fixture
def no_outside_call():
    OUTSIDE_CALLS.clear()
    WATCHING.set()
    yield OUTSIDE_CALLS
    WATCHING.clear()


@pytest.fixture
def ban_stand_in():
    """A local HTTP server answering like the BAN's /search/ with a documented GeoJSON body."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(parse_qs(urlparse(self.path).query))
            body = (RECORDED / "ban_autocomplete.json").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.seen = seen
    server.url = f"http://127.0.0.1:{server.server_port}/search/"
    yield server
    server.shutdown()
    server.server_close()


def test_typing_shows_the_matching_addresses_with_their_distance(client, no_outside_call):
    page = client.get(URL, {"address": "12 bd jac"})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-address="12 Boulevard Jacquard, 62100 Calais"' in html
    assert "livrable (0,3 km)" in html
    assert "position approximative" in html
    assert no_outside_call == []


def test_a_town_outside_the_zone_is_shown_out_of_zone_with_its_distance(client):
    html = client.get(URL, {"address": "Gravelines"}).content.decode()

    assert "59820 Gravelines" in html
    assert "hors zone (19,2 km)" in html


def test_a_commune_alone_asks_for_the_street(client):
    html = client.get(URL, {"address": "calais"}).content.decode()

    assert "62100 Calais" in html and "précisez le numéro et la rue" in html


def test_too_little_typed_shows_nothing_and_nothing_alike_says_so(client):
    assert client.get(URL, {"address": "12"}).content.decode().strip() == ""
    html = client.get(URL, {"address": "zzzz yyyy"}).content.decode()
    assert "Aucune adresse connue ne ressemble à « zzzz yyyy »." in html


def test_searches_are_rate_limited_per_client(client, settings):
    settings.DELIVERY_ADDRESS_SEARCH_LIMIT = (2, 3600)

    statuses = [client.get(URL, {"address": "12 bd jac"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    limited = client.get(URL, {"address": "12 bd jac"})
    assert "Trop de recherches d'adresses" in limited.content.decode()
    other = client.get(URL, {"address": "12 bd jac"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_only_get_is_answered(client):
    assert client.post(URL, {"address": "12 bd jac"}).status_code == 405


def test_the_checkout_says_when_the_demo_address_list_is_in_use(client, settings):
    user = UserFactory()
    basket_with(user, (ProductFactory(), 1))
    client.force_login(user)

    page = client.get(reverse("shop:checkout")).content.decode()
    assert "liste locale" in page and "« 12 bd jacquard »" in page and "« Gravelines »" in page
    assert URL in page

    settings.DELIVERY_GEOCODER = "ban"
    assert "liste locale" not in client.get(reverse("shop:checkout")).content.decode()


def test_the_ban_autocompletion_is_asked_near_calais(ban_stand_in):
    ban = BanGeocoder(ban_stand_in.url, timeout=30, min_score=0.5, near=(50.9513, 1.8587))

    found = ban.suggest("12 bd jac", 5)

    query = ban_stand_in.seen[0]
    assert query["autocomplete"] == ["1"] and query["q"] == ["12 bd jac"]
    assert (query["lat"], query["lon"], query["limit"]) == (["50.9513"], ["1.8587"], ["5"])
    assert [(r.label, r.precision, r.approximate) for r in found] == [
        ("12 Boulevard Jacquard 62100 Calais", Precision.HOUSENUMBER, False),
        ("Boulevard Jacquard 62100 Calais", Precision.STREET, True),
        ("Gravelines", Precision.MUNICIPALITY, False),
    ]


def test_a_weak_ban_answer_is_offered_as_a_correction(ban_stand_in):
    ban = BanGeocoder(ban_stand_in.url, timeout=30, min_score=0.95, near=(50.9513, 1.8587))

    with pytest.raises(AddressNotFound) as error:
        ban.geocode("12 bd jaquard")

    assert error.value.suggestions == ("12 Boulevard Jacquard 62100 Calais",)
    assert ban_stand_in.seen[0]["autocomplete"] == ["0"]


def test_in_production_the_same_page_asks_the_ban(client, settings, ban_stand_in):
    settings.DELIVERY_GEOCODER = "ban"
    settings.DELIVERY_BAN_URL = ban_stand_in.url
    settings.DELIVERY_BAN_TIMEOUT = 30

    html = client.get(URL, {"address": "12 bd jac"}).content.decode()

    assert "12 Boulevard Jacquard 62100 Calais" in html
    assert "hors zone (19,2 km)" in html
    assert ban_stand_in.seen


def test_an_unreachable_ban_suggests_nothing_and_the_check_explains(settings):
    settings.DELIVERY_GEOCODER = "ban"
    settings.DELIVERY_BAN_URL = "http://127.0.0.1:9/search/"

    assert services.suggest_addresses("12 bd jac") == []


def test_the_address_check_offers_the_correction_to_pick(client):
    html = client.post(reverse("shop:check_address"), {"address": "12 bd jaquard"}).content
    html = html.decode()

    assert "Vouliez-vous dire « 12 Boulevard Jacquard, 62100 Calais » ?" in html
    assert 'data-address="12 Boulevard Jacquard, 62100 Calais"' in html

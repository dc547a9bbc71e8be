"""The geocoding adapter: a CSV gazetteer, or the BAN served here from recorded answers."""

import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from delivery import services
from delivery.geocoding import (
    AddressNotFound,
    BanGeocoder,
    GazetteerGeocoder,
    GeocoderUnavailable,
    fold_address,
    get_geocoder,
)
from delivery.models import DeliveryZone, KnownPosition

RECORDED = Path(__file__).parent / "recorded"


@pytest.fixture
def ban_server():
    """A local HTTP server answering like the BAN with recorded bodies, chosen by query."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            query = parse_qs(urlparse(self.path).query)
            seen.append(query)
            text = query["q"][0].lower()
            name = (
                "ban_mollien" if "mollien" in text else "ban_weak" if "zzz" in text else "ban_empty"
            )
            body = (RECORDED / f"{name}.json").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.seen = seen
    server.url = f"http://127.0.0.1:{server.server_port}/search"
    yield server
    server.shutdown()
    server.server_close()


def ban(url):
    # The local stand-in answers at once; the bound only stops a hang on a busy machine.
    return BanGeocoder(url=url, timeout=30, min_score=0.5, near=(50.9513, 1.8587))


def test_folding_ignores_case_accents_punctuation_and_spaces():
    assert (
        fold_address("  2, Place  Crèvecœur — 62100 CALAIS ") == "2 place crevecoeur 62100 calais"
    )


def test_the_gazetteer_matches_folded_addresses(settings):
    geocoder = GazetteerGeocoder(settings.DELIVERY_GAZETTEER_PATH)
    found = geocoder.geocode("18 RUE MOLLIEN 62100 calais")
    assert found.label == "18 Rue Mollien, 62100 Calais"
    assert found.latitude == Decimal("50.950100")
    with pytest.raises(AddressNotFound):
        geocoder.geocode("1 rue de Nulle-Part")


def test_the_ban_answer_is_read(ban_server):
    found = ban(ban_server.url).geocode("18 rue Mollien Calais")
    assert found.label == "18 Rue Mollien 62100 Calais"
    assert (found.latitude, found.longitude) == (Decimal("50.950104"), Decimal("1.856812"))
    assert ban_server.seen[0]["lat"] == ["50.9513"]


def test_weak_or_empty_ban_answers_mean_not_found(ban_server):
    with pytest.raises(AddressNotFound):
        ban(ban_server.url).geocode("zzz")
    with pytest.raises(AddressNotFound):
        ban(ban_server.url).geocode("nulle part")


def test_an_unreachable_ban_is_reported_clearly(ban_server):
    url = ban_server.url
    ban_server.shutdown()
    ban_server.server_close()
    with pytest.raises(GeocoderUnavailable):
        ban(url).geocode("18 rue Mollien")


@pytest.mark.django_db
def test_an_unreachable_ban_tells_the_shopper_to_retry_or_use_a_relay_point(settings):
    settings.DELIVERY_GEOCODER = "ban"
    settings.DELIVERY_BAN_URL = "http://127.0.0.1:9/search"
    settings.DELIVERY_BAN_TIMEOUT = 0.5
    result = services.check_address("18 rue Mollien, Calais")
    assert not result.deliverable
    assert "ne répond pas" in result.message and "point relais" in result.message


def test_the_settings_choose_the_provider(settings, ban_server):
    settings.DELIVERY_GEOCODER = "ban"
    settings.DELIVERY_BAN_URL = ban_server.url
    assert isinstance(get_geocoder(), BanGeocoder)
    settings.DELIVERY_GEOCODER = "gazetteer"
    assert isinstance(get_geocoder(), GazetteerGeocoder)


@pytest.mark.django_db
def test_a_position_set_by_staff_wins_over_geocoding():
    KnownPosition.objects.create(
        label="Ferme urbaine des Animaliens",
        latitude=Decimal("50.9536"),
        longitude=Decimal("1.8592"),
    )
    result = services.check_address("ferme urbaine des animaliens")
    assert result.deliverable and result.label == "Ferme urbaine des Animaliens"


@pytest.mark.django_db
def test_the_zone_follows_what_staff_set():
    assert services.check_address("8 Rue de la République, 62137 Coulogne").deliverable is False
    DeliveryZone.objects.create(
        center_latitude=Decimal("50.9513"), center_longitude=Decimal("1.8587"), radius_km=4
    )
    result = services.check_address("8 Rue de la République, 62137 Coulogne")
    assert result.deliverable and result.distance_km == Decimal("3.45")


@pytest.mark.django_db
def test_a_too_short_address_is_refused():
    assert "adresse complète" in services.check_address("ab").message


def test_recorded_answers_are_valid_json():
    for path in RECORDED.glob("*.json"):
        json.loads(path.read_text())

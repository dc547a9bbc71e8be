"""Maps of rounds with the vendored Leaflet: the board (each round in its colour, deliveries to
plan apart), the courier page (next stop standing out) and the route sheet carry their map's
data in the page; tiles only when set, with their credit, and the CSP allowing their host only
then; no inline script, nothing focusable, constant queries."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery import services
from delivery.models import StopKind
from tests.delivery.factories import (
    DeliverySlotFactory,
    RoundFactory,
    make_delivery,
    published_round,
)
from tests.hub.factories import StaffFactory

pytestmark = pytest.mark.django_db

BOARD = "/livraisons/regulation/"
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
LEAFLET = Path(settings.BASE_DIR) / "static" / "vendor" / "leaflet"


@pytest.fixture
def dispatcher(client):
    client.force_login(StaffFactory(roles=["dispatch"]))
    return client


def map_data(page: str, map_id: str) -> dict:
    found = re.search(rf'<script id="{map_id}" type="application/json">(.*?)</script>', page)
    assert found, f"no {map_id} in the page"
    return json.loads(found.group(1))


def scripts_are_files(page: str) -> bool:
    tags = re.findall(r"<script[^>]*>", page)
    return all('src="/static/' in tag or 'type="application/json"' in tag for tag in tags)


def two_rounds_and_one_to_plan(slot):
    first = published_round(deliveries=[make_delivery(slot, shops=2)], slot=slot)
    second = RoundFactory(slot=slot)
    services.add_deliveries(second.pk, [make_delivery(slot, shops=1).pk], None)
    make_delivery(slot, shops=1)
    return first, second


def test_the_board_map_draws_each_round_in_its_colour_and_the_deliveries_to_plan(dispatcher):
    slot = DeliverySlotFactory()
    first, second = two_rounds_and_one_to_plan(slot)

    page = dispatcher.get(BOARD, {"date": slot.date.isoformat()}).content.decode()

    data = map_data(page, "board-map-data")
    assert [r["colour"] for r in data["routes"]] == [0, 1]
    assert [len(r["stops"]) for r in data["routes"]] == [3, 2]
    assert [s["label"] for s in data["routes"][0]["stops"]] == ["1", "2", "3"]
    hub = list(settings.DELIVERY_HUB_POSITION)
    assert data["routes"][0]["path"][0] == data["routes"][0]["path"][-1] == hub
    assert len(data["unplanned"]) == 1
    assert data["tiles"] is None and data["attribution"] is None
    assert 'class="route-swatch route-colour-0"' in page
    assert 'class="route-swatch route-colour-1"' in page
    assert 'data-map="board-map-data" aria-hidden="true"' in page
    assert 'src="/static/vendor/leaflet/leaflet.js"' in page
    assert 'href="/static/vendor/leaflet/leaflet.css"' in page
    assert scripts_are_files(page)


def test_the_board_re_rendered_by_htmx_carries_its_new_map(dispatcher):
    slot = DeliverySlotFactory()
    round_ = RoundFactory(slot=slot)
    delivery = make_delivery(slot, shops=1)
    url = reverse("delivery:round_add", args=[round_.pk])

    page = dispatcher.post(
        url, {"deliveries": [delivery.pk], "date": slot.date.isoformat()}, HTTP_HX_REQUEST="true"
    ).content.decode()

    data = map_data(page, "board-map-data")
    assert len(data["routes"][0]["stops"]) == 2 and data["unplanned"] == []


def test_the_board_with_maps_reads_in_constant_queries(dispatcher):
    # The account menu is read once per user and then kept in the cache: both sizes are
    # measured after it, so they compare the board's own reads.
    dispatcher.get(BOARD)
    counts = []
    for size in (1, 6):
        slot = DeliverySlotFactory(days=size)
        for _ in range(size):
            published_round(deliveries=[make_delivery(slot), make_delivery(slot)], days=size)
            make_delivery(slot)
        with CaptureQueriesContext(connection) as captured:
            page = dispatcher.get(BOARD, {"date": slot.date.isoformat()}).content.decode()
        counts.append(len(captured))
        assert len(map_data(page, "board-map-data")["routes"]) == size
    assert counts[0] == counts[1]


def test_the_courier_map_highlights_the_next_stop_and_follows_the_round(client):
    slot = DeliverySlotFactory(days=0)
    round_ = published_round(deliveries=[make_delivery(slot, shops=1)], days=0)
    client.force_login(round_.courier.user)
    map_id = f"round-map-{round_.pk}"

    page = client.get("/coursier/").content.decode()
    stops = map_data(page, map_id)["routes"][0]["stops"]
    assert [(s["label"], s["next"], s["pickup"]) for s in stops] == [
        ("1", True, True),
        ("2", False, False),
    ]
    assert f'data-map="{map_id}" aria-hidden="true"' in page
    assert scripts_are_files(page)

    services.record_pickup(round_.courier.user, round_.stops.get(kind=StopKind.PICKUP).pk)

    stops = map_data(client.get("/coursier/").content.decode(), map_id)["routes"][0]["stops"]
    assert [(s["next"], s["done"]) for s in stops] == [(False, True), (True, False)]


def test_one_shop_visit_is_one_marker(client):
    slot = DeliverySlotFactory()
    round_ = RoundFactory(slot=slot)
    services.add_deliveries(round_.pk, [make_delivery(slot, shops=1).pk for _ in range(2)], None)
    services.optimise_round(round_.pk, None)

    stops = services.round_map(list(round_.stops.select_related("pickup", "delivery")))
    labels = [s["label"] for s in stops["routes"][0]["stops"]]

    assert labels[0] == "1–2" and len(labels) < 4


def test_the_route_sheet_has_the_round_map(dispatcher):
    slot = DeliverySlotFactory()
    round_ = published_round(deliveries=[make_delivery(slot, shops=2)], slot=slot)

    page = dispatcher.get(reverse("delivery:route_sheet", args=[round_.pk])).content.decode()

    assert [s["label"] for s in map_data(page, "route-map-data")["routes"][0]["stops"]] == [
        "1",
        "2",
        "3",
    ]
    assert scripts_are_files(page)


def test_with_a_tile_server_the_map_uses_it_and_credits_it(dispatcher, settings):
    settings.MAP_TILES_URL = OSM
    slot = DeliverySlotFactory()
    published_round(deliveries=[make_delivery(slot, shops=1)], slot=slot)

    page = dispatcher.get(BOARD, {"date": slot.date.isoformat()}).content.decode()

    assert map_data(page, "board-map-data")["tiles"] == {"url": OSM, "max_zoom": 19}
    assert (
        '<a href="https://www.openstreetmap.org/copyright">'
        "© les contributeurs d&#x27;OpenStreetMap</a>" in page
    )


def test_who_may_not_dispatch_sees_no_board_map(client):
    slot = DeliverySlotFactory()
    published_round(deliveries=[make_delivery(slot, shops=1)], slot=slot)
    client.force_login(StaffFactory(roles=["coworking"]))

    response = client.get(BOARD, {"date": slot.date.isoformat()})

    assert response.status_code == 403 and b"board-map-data" not in response.content


def test_leaflet_is_vendored_with_its_licence_and_version():
    assert 'version="1.9.' in (LEAFLET / "leaflet.js").read_text()
    assert "BSD 2-Clause" in (LEAFLET / "LICENSE").read_text()
    assert (LEAFLET / "leaflet.css").exists() and (LEAFLET / "leaflet.js.map").exists()
    assert {p.name for p in (LEAFLET / "images").iterdir()} >= {"layers.png", "marker-icon.png"}


PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.MAP_TILES_URL, "
    "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
)
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "production-like-secret-key-for-tests-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "anima-calais.fr",
    "DATABASE_URL": "postgres://u@localhost/db",
}


def tile_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MAP_")}
    environment.update(env, DJANGO_SETTINGS_MODULE="anima.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env=environment,
        capture_output=True,
        text=True,
    )


def answer(result) -> list:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_tile_host_is_allowed_for_images_only_when_tiles_are_set():
    assert answer(tile_settings()) == ["", ["'self'", "data:", "blob:"]]
    url, images = answer(tile_settings(MAP_TILES_URL="https://{s}.tuiles.exemple.fr/{z}/{x}/{y}"))
    assert images == ["'self'", "data:", "blob:", "https://*.tuiles.exemple.fr"]


def test_production_uses_openstreetmap_tiles_and_refuses_a_plain_http_server():
    assert answer(tile_settings(**PRODUCTION)) == [
        OSM,
        ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"],
    ]
    refused = tile_settings(**PRODUCTION, MAP_TILES_URL="http://tuiles.exemple.fr/{z}/{x}/{y}")
    assert refused.returncode != 0 and "https://" in refused.stderr

"""Travel times that follow the streets: OSRM's table and Valhalla's sources_to_targets read
from a local stand-in, cached per pair of positions, and straight lines when the service fails."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from delivery import services, travel
from delivery.routing import Point, StraightLine
from tests.delivery.factories import DeliverySlotFactory, RoundFactory, make_delivery
from tests.delivery.routing_standin import street_m
from tests.hub.factories import StaffFactory

HUB = Point(50.9536, 1.8592)
SHOP = Point(50.9490, 1.8560)
DOOR = Point(50.9600, 1.8700)
POINTS = [HUB, SHOP, DOOR]
STRAIGHT = StraightLine(1.3, 14.0)
OUTAGE_TEXT = "Distances à vol d'oiseau : le calcul d'itinéraire ne répond pas"


@pytest.fixture
def osrm(settings, routing_server):
    settings.DELIVERY_ROUTING_API = "osrm"
    settings.DELIVERY_ROUTING_URL = routing_server.url
    # The stand-in answers at once; the bound only stops a hang on a busy machine.
    settings.DELIVERY_ROUTING_TIMEOUT = 30
    return routing_server


@pytest.fixture
def valhalla(settings, routing_server):
    settings.DELIVERY_ROUTING_API = "valhalla"
    settings.DELIVERY_ROUTING_URL = routing_server.url
    settings.DELIVERY_ROUTING_TIMEOUT = 30
    return routing_server


def test_the_embedded_default_is_straight_lines_with_no_server(settings):
    assert settings.DELIVERY_ROUTING_API == "straight"
    provider = travel.travel_times()
    assert isinstance(provider, StraightLine)
    assert provider.matrix(POINTS) == STRAIGHT.matrix(POINTS)
    assert services.solver_options().travel_times == provider


def test_osrm_table_is_asked_for_bike_durations_and_distances(osrm):
    metres, seconds = travel.travel_times().matrix(POINTS)

    request = osrm.seen[0]
    assert request["method"] == "GET"
    assert request["path"] == (
        "/table/v1/bike/1.859200,50.953600;1.856000,50.949000;1.870000,50.960000"
    )
    assert request["query"]["annotations"] == ["duration,distance"]
    assert metres[0][2] == round(street_m(HUB, DOOR))
    assert metres[2][0] == metres[0][2] and metres[1][1] == 0
    assert seconds[0][2] == round(street_m(HUB, DOOR) / (15 / 3.6))


def test_valhalla_matrix_is_asked_by_post_with_bicycle_costing(valhalla, settings):
    metres, seconds = travel.travel_times().matrix(POINTS)

    request = valhalla.seen[0]
    assert (request["method"], request["path"]) == ("POST", "/sources_to_targets")
    assert request["body"]["costing"] == "bicycle"
    assert request["body"]["costing_options"]["bicycle"]["cycling_speed"] == (
        settings.DELIVERY_BIKE_SPEED_KMH
    )
    assert request["body"]["sources"] == request["body"]["targets"]
    assert request["body"]["sources"][1] == {"lat": SHOP.lat, "lon": SHOP.lon}
    # Valhalla answers in kilometres (to the metre): read as metres.
    assert abs(metres[0][2] - street_m(HUB, DOOR)) <= 1
    assert seconds[0][2] == round(street_m(HUB, DOOR) / (15 / 3.6))


@pytest.mark.parametrize("api", ["osrm", "valhalla"])
def test_a_second_matrix_of_the_same_places_asks_nothing(api, settings, routing_server):
    settings.DELIVERY_ROUTING_API, settings.DELIVERY_ROUTING_URL = api, routing_server.url
    first = travel.travel_times().matrix(POINTS)

    again = travel.travel_times().matrix(POINTS)
    fewer = travel.travel_times().matrix([DOOR, HUB])

    assert len(routing_server.seen) == 1
    assert again == first
    assert fewer == (
        [[0, first[0][2][0]], [first[0][0][2], 0]],
        [[0, first[1][2][0]], [first[1][0][2], 0]],
    )


def test_positions_a_metre_apart_share_the_cache_and_providers_do_not(osrm, settings):
    travel.travel_times().matrix(POINTS)
    travel.travel_times().matrix([Point(HUB.lat + 0.000001, HUB.lon), SHOP, DOOR])
    assert len(osrm.seen) == 1

    settings.DELIVERY_ROUTING_API = "valhalla"
    travel.travel_times().matrix(POINTS)
    assert len(osrm.seen) == 2


def test_a_pair_with_no_route_keeps_its_straight_line(osrm):
    osrm.mode = "unroutable"
    metres, seconds = travel.travel_times().matrix(POINTS)
    straight_m, straight_s = STRAIGHT.matrix(POINTS)
    assert (metres[0][2], seconds[0][2]) == (straight_m[0][2], straight_s[0][2])
    assert metres[0][1] == round(street_m(HUB, SHOP))
    assert not travel.outage_warning()


FAILURES = ["error", "http500", "malformed", "short"]


@pytest.mark.parametrize("api", ["osrm", "valhalla"])
@pytest.mark.parametrize("mode", FAILURES)
def test_a_failing_service_falls_back_to_straight_lines_and_warns(
    api, mode, settings, routing_server, caplog
):
    settings.DELIVERY_ROUTING_API, settings.DELIVERY_ROUTING_URL = api, routing_server.url
    routing_server.mode = mode
    provider = travel.travel_times()

    with caplog.at_level(logging.WARNING, logger="delivery.travel"):
        matrix = provider.matrix(POINTS)

    assert matrix == STRAIGHT.matrix(POINTS)
    assert provider.fell_back
    assert "straight lines instead" in caplog.text
    assert travel.outage_warning()


def test_the_service_error_body_is_logged(osrm, caplog):
    osrm.mode = "error"
    with caplog.at_level(logging.WARNING, logger="delivery.travel"):
        travel.travel_times().matrix(POINTS)
    assert "Could not find a matching segment" in caplog.text


def test_a_refused_connection_falls_back(osrm, settings, caplog):
    osrm.shutdown()
    osrm.server_close()
    with caplog.at_level(logging.WARNING, logger="delivery.travel"):
        matrix = travel.travel_times().matrix(POINTS)
    assert matrix == STRAIGHT.matrix(POINTS)
    assert "unavailable" in caplog.text


def test_a_service_that_does_not_answer_in_time_falls_back(osrm, settings):
    settings.DELIVERY_ROUTING_TIMEOUT = 0.2
    osrm.mode = "hang"  # it answers only once the test is over
    provider = travel.travel_times()
    assert provider.matrix(POINTS) == STRAIGHT.matrix(POINTS)
    assert provider.fell_back
    osrm.release.set()


def test_after_an_outage_the_service_is_left_alone_then_asked_again(osrm):
    osrm.mode = "error"
    travel.travel_times().matrix(POINTS)
    osrm.mode = "ok"

    travel.travel_times().matrix(POINTS)
    assert len(osrm.seen) == 1  # each call would wait for the timeout: the service rests

    cache.delete(travel.PAUSE_KEY)  # the rest is over
    metres, _seconds = travel.travel_times().matrix(POINTS)
    assert len(osrm.seen) == 2
    assert metres[0][2] == round(street_m(HUB, DOOR))
    assert not travel.outage_warning()


def test_a_straight_line_fallback_is_not_cached(osrm):
    osrm.mode = "error"
    travel.travel_times().matrix(POINTS)
    cache.delete(travel.PAUSE_KEY)
    osrm.mode = "ok"
    metres, _seconds = travel.travel_times().matrix(POINTS)
    assert metres[0][2] == round(street_m(HUB, DOOR))


@pytest.mark.django_db
def test_optimise_measures_the_round_along_the_streets(osrm, settings):
    slot = DeliverySlotFactory()
    round_ = RoundFactory(slot=slot)
    delivery = make_delivery(slot, shops=1)
    services.add_deliveries(round_.pk, [delivery.pk], None)

    services.optimise_round(round_.pk, None)

    round_.refresh_from_db()
    straight = STRAIGHT.matrix(POINTS)
    assert osrm.seen, "the solver asked the routing service"
    assert round_.distance_m > 0
    shop = delivery.pickups.get()
    legs = [
        Point(*settings.DELIVERY_HUB_POSITION),
        Point(float(shop.latitude), float(shop.longitude)),
        Point(float(delivery.latitude), float(delivery.longitude)),
        Point(*settings.DELIVERY_HUB_POSITION),
    ]
    expected = sum(round(street_m(a, b)) for a, b in zip(legs, legs[1:], strict=False))
    assert abs(round_.distance_m - expected) <= 2
    assert straight  # the fallback would have given another distance
    assert abs(round_.distance_m - expected * 1.3 / 1.5) > 2


@pytest.mark.django_db
def test_the_board_warns_dispatch_when_distances_are_straight_lines(osrm, client):
    client.force_login(StaffFactory(roles=["dispatch"]))
    assert OUTAGE_TEXT not in client.get("/livraisons/regulation/").content.decode()

    osrm.mode = "error"
    travel.travel_times().matrix(POINTS)

    page = client.get("/livraisons/regulation/").content.decode()
    assert OUTAGE_TEXT in page


@pytest.mark.parametrize(
    "environment",
    [{"DELIVERY_ROUTING_API": "google"}, {"DELIVERY_ROUTING_API": "osrm"}],
    ids=["unknown api", "no url"],
)
def test_a_wrong_routing_setting_stops_the_start(environment):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DELIVERY_ROUTING")}
    result = subprocess.run(
        [sys.executable, "-c", "import anima.settings"],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DELIVERY_ROUTING" in result.stderr

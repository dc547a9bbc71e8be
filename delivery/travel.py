"""Riding distances and times: straight lines, or a self-hosted routing service's streets.

``settings.DELIVERY_ROUTING_API`` chooses the provider: ``"straight"`` (great circle × detour
factor at the cargo-bike speed, no server: the embedded default), ``"osrm"`` (an OSRM server's
``table`` service, bicycle profile) or ``"valhalla"`` (a Valhalla server's
``sources_to_targets``, bicycle costing), at ``settings.DELIVERY_ROUTING_URL``.

Each pair of positions is cached (Django cache, keyed by the provider and the positions
rounded to about a metre), so that a round measured again, or a plan applied after it was
computed, asks the service nothing. A provider that does not answer (timeout, refused
connection, HTTP error, malformed body) is never fatal: the matrix falls back to straight lines,
a warning is logged and dispatch is told on the board.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Protocol
from urllib.error import URLError
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache

from delivery.routing import Point, StraightLine

logger = logging.getLogger(__name__)

APIS = ("straight", "osrm", "valhalla")
OUTAGE_KEY = "delivery:routing:outage"
PAUSE_KEY = "delivery:routing:pause"
# How long after an outage the service is left alone (each call would wait for its timeout).
RETRY_AFTER_S = 60
# How long the board keeps saying distances are straight lines after the last outage.
OUTAGE_SHOWN_S = 15 * 60

Matrix = tuple[list[list[int]], list[list[int]]]


class RoutingUnavailable(Exception):
    """The routing service did not give a usable matrix."""


class MatrixService(Protocol):
    name: str

    def fetch(self, points: Sequence[Point]) -> tuple[list[list], list[list]]:
        """(metres, seconds) from each point to each point; None where no route exists."""
        ...


def _read_json(request: Request, timeout: float) -> dict:
    try:
        with urlopen(request, timeout=timeout) as response:
            payload = json.loads(response.read().decode("utf-8"))
    except (URLError, TimeoutError, OSError, ValueError) as error:
        # HTTPError is a URLError: an error status with its body (OSRM's or Valhalla's JSON).
        raise RoutingUnavailable(_error_text(error)) from error
    if not isinstance(payload, dict):
        raise RoutingUnavailable("the answer is not a JSON object")
    return payload


def _error_text(error: Exception) -> str:
    body = getattr(error, "read", None)
    if body is None:
        return str(error)
    try:
        details = json.loads(body().decode("utf-8"))
    except (ValueError, OSError):
        return str(error)
    if isinstance(details, dict):
        return f"{error}: {details.get('message') or details.get('error') or details}"
    return str(error)


def _square(rows, size: int, what: str) -> list[list]:
    if not isinstance(rows, list) or len(rows) != size:
        raise RoutingUnavailable(f"{what}: not a {size}×{size} matrix")
    for row in rows:
        if not isinstance(row, list) or len(row) != size:
            raise RoutingUnavailable(f"{what}: not a {size}×{size} matrix")
        if not all(cell is None or isinstance(cell, (int, float)) for cell in row):
            raise RoutingUnavailable(f"{what}: a cell is not a number")
    return rows


class Osrm:
    """OSRM's ``table`` service: GET /table/v1/{profile}/{lon,lat;…}?annotations=duration,
    distance. Durations in seconds, distances in metres; a pair with no route is null."""

    name = "osrm"

    def __init__(self, url: str, timeout: float, profile: str = "bike"):
        self.url, self.timeout, self.profile = url.rstrip("/"), timeout, profile

    def fetch(self, points: Sequence[Point]) -> tuple[list[list], list[list]]:
        coordinates = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
        request = Request(
            f"{self.url}/table/v1/{self.profile}/{coordinates}?annotations=duration,distance",
            headers={"Accept": "application/json"},
        )
        payload = _read_json(request, self.timeout)
        if payload.get("code") != "Ok":
            raise RoutingUnavailable(f"{payload.get('code')}: {payload.get('message', '')}")
        size = len(points)
        return (
            _square(payload.get("distances"), size, "distances"),
            _square(payload.get("durations"), size, "durations"),
        )


class Valhalla:
    """Valhalla's matrix: POST /sources_to_targets with the points as sources and targets,
    bicycle costing at the cargo-bike speed. Rows of {distance (km), time (s)}; null where
    no route exists."""

    name = "valhalla"

    def __init__(self, url: str, timeout: float, speed_kmh: float):
        self.url, self.timeout, self.speed_kmh = url.rstrip("/"), timeout, speed_kmh

    def fetch(self, points: Sequence[Point]) -> tuple[list[list], list[list]]:
        locations = [{"lat": p.lat, "lon": p.lon} for p in points]
        body = {
            "sources": locations,
            "targets": locations,
            "costing": "bicycle",
            "costing_options": {
                "bicycle": {"bicycle_type": "City", "cycling_speed": self.speed_kmh}
            },
        }
        request = Request(
            f"{self.url}/sources_to_targets",
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        payload = _read_json(request, self.timeout)
        rows = payload.get("sources_to_targets")
        size = len(points)
        if not isinstance(rows, list) or len(rows) != size:
            raise RoutingUnavailable(f"sources_to_targets: not a {size}×{size} matrix")
        metres, seconds = [], []
        for row in rows:
            if not isinstance(row, list) or len(row) != size:
                raise RoutingUnavailable(f"sources_to_targets: not a {size}×{size} matrix")
            try:
                metres.append([_km_to_m(cell.get("distance")) for cell in row])
                seconds.append([cell.get("time") for cell in row])
            except (AttributeError, TypeError) as error:
                raise RoutingUnavailable(f"sources_to_targets: {error}") from error
        return _square(metres, size, "distance"), _square(seconds, size, "time")


def _km_to_m(value) -> float | None:
    return None if value is None else float(value) * 1000


class StreetTimes:
    """A routing service behind the cache, falling back to straight lines when it fails.
    ``fell_back`` says whether any matrix it gave was made of straight lines."""

    def __init__(self, service: MatrixService, straight: StraightLine):
        self.service = service
        self.straight = straight
        self.fell_back = False

    def matrix(self, points: Sequence[Point]) -> Matrix:
        keys = [[self._key(a, b) for b in points] for a in points]
        cached = cache.get_many([key for row in keys for key in row])
        if len(cached) == len(points) ** 2:
            return _split(keys, cached)
        if cache.get(PAUSE_KEY):
            self.fell_back = True
            return self.straight.matrix(points)
        try:
            metres, seconds = self.service.fetch(points)
        except RoutingUnavailable as error:
            logger.warning(
                "Routing service %s unavailable, straight lines instead: %s",
                self.service.name,
                error,
            )
            cache.set(PAUSE_KEY, True, RETRY_AFTER_S)
            cache.set(OUTAGE_KEY, True, OUTAGE_SHOWN_S)
            self.fell_back = True
            return self.straight.matrix(points)
        cache.delete_many([OUTAGE_KEY, PAUSE_KEY])
        fresh = self._fill_gaps(points, metres, seconds)
        pairs = {
            key: pair
            for key_row, row in zip(keys, fresh, strict=True)
            for key, pair in zip(key_row, row, strict=True)
        }
        cache.set_many(pairs, settings.DELIVERY_ROUTING_CACHE_SECONDS)
        return _split(keys, pairs)

    def _fill_gaps(self, points, metres, seconds) -> list[list[tuple[int, int]]]:
        """A pair the service cannot join (a position off its streets) keeps a straight line,
        so that the solver still sees every place."""
        straight_m, straight_s = self.straight.matrix(points)
        return [
            [
                (round(m), round(s)) if m is not None and s is not None else (sm, ss)
                for m, s, sm, ss in zip(m_row, s_row, sm_row, ss_row, strict=True)
            ]
            for m_row, s_row, sm_row, ss_row in zip(
                metres, seconds, straight_m, straight_s, strict=True
            )
        ]

    def _key(self, a: Point, b: Point) -> str:
        return f"delivery:route:{self.service.name}:{a.lat:.5f},{a.lon:.5f}:{b.lat:.5f},{b.lon:.5f}"


def _split(keys, pairs: dict) -> Matrix:
    metres = [[pairs[key][0] for key in row] for row in keys]
    seconds = [[pairs[key][1] for key in row] for row in keys]
    return metres, seconds


def outage_warning() -> bool:
    """Whether the routing service failed lately, so that distances are straight lines."""
    return settings.DELIVERY_ROUTING_API != "straight" and bool(cache.get(OUTAGE_KEY))


def travel_times() -> StraightLine | StreetTimes:
    """The provider named by the settings."""
    straight = StraightLine(settings.DELIVERY_DETOUR_FACTOR, settings.DELIVERY_BIKE_SPEED_KMH)
    api, timeout = settings.DELIVERY_ROUTING_API, settings.DELIVERY_ROUTING_TIMEOUT
    url: str = settings.DELIVERY_ROUTING_URL or ""
    if api == "osrm":
        profile: str = settings.DELIVERY_ROUTING_PROFILE or "bike"
        return StreetTimes(Osrm(url, timeout, profile), straight)
    if api == "valhalla":
        return StreetTimes(Valhalla(url, timeout, settings.DELIVERY_BIKE_SPEED_KMH), straight)
    return straight

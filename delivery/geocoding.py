"""Geocoding adapter: the national address base (BAN) or the local gazetteer.

The provider is chosen by ``settings.DELIVERY_GEOCODER`` ("ban" or "gazetteer"). Both place an
address (``geocode``: a ``GeocodeResult``, or ``AddressNotFound`` with likely corrections, or
``GeocoderUnavailable``) and suggest addresses as they are typed (``suggest``), biased towards
the delivery zone's centre. Every result says how precise it is and whether it is approximate.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings

from delivery import gazetteer
from delivery.gazetteer import Precision, fold_address

logger = logging.getLogger(__name__)

__all__ = [
    "AddressNotFound",
    "BanGeocoder",
    "GazetteerGeocoder",
    "GeocodeResult",
    "GeocoderUnavailable",
    "Precision",
    "fold_address",
    "get_geocoder",
    "uses_local_gazetteer",
]


class GeocodingError(Exception):
    """The address could not be placed on the map."""


class AddressNotFound(GeocodingError):
    """Nothing sure; ``suggestions`` are the labels the text most likely meant."""

    def __init__(self, address: str, suggestions: list[str] | tuple[str, ...] = ()):
        super().__init__(address)
        self.suggestions = tuple(suggestions)


class GeocoderUnavailable(GeocodingError):
    pass


@dataclass(frozen=True)
class GeocodeResult:
    label: str
    latitude: Decimal
    longitude: Decimal
    source: str
    precision: str = Precision.HOUSENUMBER
    approximate: bool = False


class Geocoder(Protocol):
    def geocode(self, address: str) -> GeocodeResult: ...

    def suggest(self, text: str, limit: int) -> list[GeocodeResult]: ...


def _coordinate(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"))


class GazetteerGeocoder:
    """The addresses of ``delivery/data/gazetteer.csv`` (no network)."""

    source = "gazetteer"

    def __init__(self, path, near: tuple[float, float] | None = None):
        self.path = str(path)
        self.near = near or settings.DELIVERY_ZONE_CENTER

    def geocode(self, address: str) -> GeocodeResult:
        found, corrections = gazetteer.best(self.path, address, self.near)
        if found is None:
            raise AddressNotFound(address, [match.place.label for match in corrections])
        return self._result(found.place)

    def suggest(self, text: str, limit: int = 5) -> list[GeocodeResult]:
        matches = gazetteer.search(self.path, text, self.near, autocomplete=True, limit=limit)
        return [self._result(match.place) for match in matches]

    def _result(self, place: gazetteer.Place) -> GeocodeResult:
        return GeocodeResult(
            place.label,
            place.latitude,
            place.longitude,
            self.source,
            place.precision,
            place.approximate,
        )


class BanGeocoder:
    """The French national address base (Géoplateforme geocoding service, BAN data)."""

    source = "ban"

    def __init__(self, url: str, timeout: float, min_score: float, near: tuple[float, float]):
        self.url = url
        self.timeout = timeout
        self.min_score = min_score
        self.near = near

    def geocode(self, address: str) -> GeocodeResult:
        features = self._features(address, limit=1, autocomplete=False)
        if not features:
            raise AddressNotFound(address)
        best = features[0]
        if float(best.get("properties", {}).get("score", 0)) < self.min_score:
            raise AddressNotFound(address, [self._result(best, address).label])
        return self._result(best, address)

    def suggest(self, text: str, limit: int = 5) -> list[GeocodeResult]:
        return [
            self._result(feature, text)
            for feature in self._features(text, limit=limit, autocomplete=True)
        ]

    def _features(self, text: str, limit: int, autocomplete: bool) -> list[dict]:
        query = urlencode(
            {
                "q": text,
                "limit": limit,
                "autocomplete": int(autocomplete),
                "lat": self.near[0],
                "lon": self.near[1],
                "index": "address",
            }
        )
        request = Request(f"{self.url}?{query}", headers={"Accept": "application/json"})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except (URLError, TimeoutError, OSError, ValueError) as error:
            # Never the typed address: it may be someone's home.
            logger.warning("Address base (BAN) unavailable: %s: %s", type(error).__name__, error)
            raise GeocoderUnavailable(str(error)) from error
        return payload.get("features") or []

    def _result(self, feature: dict, text: str) -> GeocodeResult:
        properties = feature.get("properties", {})
        longitude, latitude = feature["geometry"]["coordinates"][:2]
        kind = properties.get("type") or Precision.HOUSENUMBER
        precision = kind if kind in Precision.values else Precision.PLACE
        return GeocodeResult(
            properties.get("label") or text,
            _coordinate(latitude),
            _coordinate(longitude),
            self.source,
            precision,
            # The BAN places a street at its middle and a locality roughly; a commune is its
            # centre, which is what it claims to be.
            precision in (Precision.STREET, Precision.PLACE),
        )


def uses_local_gazetteer() -> bool:
    """Whether addresses come from the local list (demo, tests) rather than the BAN."""
    return settings.DELIVERY_GEOCODER != "ban"


def get_geocoder() -> Geocoder:
    """The provider named by the settings."""
    if settings.DELIVERY_GEOCODER == "ban":
        return BanGeocoder(
            url=settings.DELIVERY_BAN_URL,
            timeout=settings.DELIVERY_BAN_TIMEOUT,
            min_score=settings.DELIVERY_BAN_MIN_SCORE,
            near=settings.DELIVERY_ZONE_CENTER,
        )
    return GazetteerGeocoder(settings.DELIVERY_GAZETTEER_PATH)

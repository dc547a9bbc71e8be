"""Geocoding adapter: the national address base (BAN) or a static CSV gazetteer.

The provider is chosen by ``settings.DELIVERY_GEOCODER`` ("ban" or "gazetteer"). Both return a
``GeocodeResult`` or raise ``AddressNotFound`` / ``GeocoderUnavailable``.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings


class GeocodingError(Exception):
    """The address could not be placed on the map."""


class AddressNotFound(GeocodingError):
    pass


class GeocoderUnavailable(GeocodingError):
    pass


@dataclass(frozen=True)
class GeocodeResult:
    label: str
    latitude: Decimal
    longitude: Decimal
    source: str


class Geocoder(Protocol):
    def geocode(self, address: str) -> GeocodeResult: ...


def fold_address(text: str) -> str:
    """Lower-case, accents removed, punctuation and repeated spaces collapsed."""
    text = (text or "").replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^a-z0-9]+", " ", stripped.casefold())
    return " ".join(words.split())


def _coordinate(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"))


class GazetteerGeocoder:
    """Addresses read from a CSV file with the columns ``address,lat,lon``."""

    source = "gazetteer"

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def geocode(self, address: str) -> GeocodeResult:
        entry = _read_gazetteer(str(self.path)).get(fold_address(address))
        if entry is None:
            raise AddressNotFound(address)
        label, latitude, longitude = entry
        return GeocodeResult(label, latitude, longitude, self.source)


@lru_cache(maxsize=4)
def _read_gazetteer(path: str) -> dict[str, tuple[str, Decimal, Decimal]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            fold_address(row["address"]): (
                row["address"].strip(),
                _coordinate(row["lat"]),
                _coordinate(row["lon"]),
            )
            for row in csv.DictReader(handle)
            if row.get("address")
        }


class BanGeocoder:
    """The French national address base (Géoplateforme geocoding service, BAN data)."""

    source = "ban"

    def __init__(self, url: str, timeout: float, min_score: float, near: tuple[float, float]):
        self.url = url
        self.timeout = timeout
        self.min_score = min_score
        self.near = near

    def geocode(self, address: str) -> GeocodeResult:
        query = urlencode(
            {"q": address, "limit": 1, "lat": self.near[0], "lon": self.near[1], "index": "address"}
        )
        request = Request(f"{self.url}?{query}", headers={"Accept": "application/json"})
        try:
            with urlopen(request, timeout=self.timeout) as response:
                payload = json.loads(response.read().decode("utf-8"))
        except (URLError, TimeoutError, OSError, ValueError) as error:
            raise GeocoderUnavailable(str(error)) from error
        features = payload.get("features") or []
        if not features:
            raise AddressNotFound(address)
        best = features[0]
        if float(best.get("properties", {}).get("score", 0)) < self.min_score:
            raise AddressNotFound(address)
        longitude, latitude = best["geometry"]["coordinates"][:2]
        label = best["properties"].get("label") or address
        return GeocodeResult(label, _coordinate(latitude), _coordinate(longitude), self.source)


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

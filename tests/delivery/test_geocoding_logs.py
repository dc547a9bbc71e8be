"""An address-base outage is a warning in the logs, without the address typed."""

import logging

import pytest

from delivery.geocoding import BanGeocoder, GeocoderUnavailable


def test_an_unreachable_ban_is_logged_without_the_address(caplog):
    # Port 9 (discard) on the loopback: nothing listens, the connection is refused at once.
    geocoder = BanGeocoder(
        url="http://127.0.0.1:9/search", timeout=30, min_score=0.5, near=(50.95, 1.85)
    )

    with caplog.at_level(logging.INFO), pytest.raises(GeocoderUnavailable):
        geocoder.geocode("18 rue Mollien, Calais")

    [record] = [r for r in caplog.records if r.name == "delivery.geocoding"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("Address base (BAN) unavailable: URLError")
    assert "Mollien" not in caplog.text

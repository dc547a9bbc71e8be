"""SIRET numbers are checked by python-stdnum, with French messages."""

import pytest
from django.core.exceptions import ValidationError

from shop.models import validate_siret


@pytest.mark.parametrize("number", ["73282932000074", "732 829 320 00074", "35600000000048"])
def test_a_valid_siret_passes(number):
    validate_siret(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("7328293200007", "14 chiffres"),
        ("7328293200007A", "14 chiffres"),
        ("73282932000075", "extrait Kbis"),
        ("35600000000049", "extrait Kbis"),
    ],
)
def test_a_wrong_siret_is_refused_in_french(number, message):
    with pytest.raises(ValidationError, match=message):
        validate_siret(number)

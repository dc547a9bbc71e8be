"""The checkout takes the phone the way people type it and stores it in E.164."""

import pytest
from django.core.exceptions import ValidationError

from tests.shop.factories import place

pytestmark = pytest.mark.django_db


def test_a_phone_typed_with_dots_is_stored_in_e164(shopper, slot, three_shops):
    order = place(shopper, (three_shops[0], 1), slot=slot.pk, phone="06.98.76.54.32")

    assert order.contact_phone == "+33698765432"


def test_a_phone_that_is_not_a_number_is_refused_in_french(shopper, slot, three_shops):
    with pytest.raises(ValidationError) as error:
        place(shopper, (three_shops[0], 1), slot=slot.pk, phone="06 98 76")

    assert "numéro de téléphone valide" in error.value.message_dict["phone"][0]

"""Phone numbers: any common French or international writing, stored in E.164, shown French."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from hub.models import User
from hub.phones import PhoneFormField, normalise_column, shown, to_e164
from tests.hub.factories import UserFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("03 21 00 00 00", "+33321000000"),
        ("+32 470 12 34 56", "+32470123456"),
        ("", ""),
    ],
)
def test_typed_numbers_are_stored_in_e164(typed, stored):
    assert to_e164(typed) == stored


@pytest.mark.parametrize("typed", ["12", "06 12 34", "bonjour", "+33 6 12 34 56 78 90"])
def test_what_is_not_a_number_is_refused_in_french(typed):
    with pytest.raises(ValidationError, match="numéro de téléphone valide"):
        to_e164(typed)


def test_numbers_are_shown_the_french_way():
    assert shown("+33612345678") == "06 12 34 56 78"
    assert shown("+32470123456") == "+32 470 12 34 56"
    assert shown("à rappeler") == "à rappeler"


def test_the_form_field_cleans_to_e164_and_shows_the_stored_number_the_french_way():
    field = PhoneFormField(required=False)
    assert field.clean("06 12 34 56 78") == "+33612345678"
    assert field.prepare_value("+33612345678") == "06 12 34 56 78"
    with pytest.raises(ValidationError):
        field.clean("06 12")


@pytest.mark.django_db
def test_a_user_phone_is_validated_and_stored_in_e164():
    user = UserFactory()
    user.phone = "06 12 34 56 78"
    user.full_clean()
    user.save()
    assert User.objects.get(pk=user.pk).phone == "+33612345678"

    user.phone = "0612"
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    assert "phone" in refused.value.message_dict


def store_raw(user, phone):
    """Write as old code did, past the field's own normalising."""
    with connection.cursor() as cursor:
        table = User._meta.db_table
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", [phone, user.pk])


@pytest.mark.django_db
def test_the_data_migration_rewrites_what_parses_and_keeps_the_rest():
    kept = UserFactory()
    rewritten = UserFactory()
    store_raw(kept, "à rappeler")
    store_raw(rewritten, "06.12.34.56.78")

    normalise_column(User, "phone")

    assert User.objects.get(pk=rewritten.pk).phone == "+33612345678"
    assert User.objects.get(pk=kept.pk).phone == "à rappeler"

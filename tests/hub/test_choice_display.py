"""get_FOO_display() read from a table per field and language says what Django's does."""

from decimal import Decimal

import pytest
from django.db import models
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from coworking.models import Resource
from hub.models import Event, Structure
from shop.models import Merchant, Product


def django_display(instance, field):
    """Django's own implementation, rebuilt from the field's choices at each call."""
    value = getattr(instance, field.attname)
    choices = dict(make_hashable(field.flatchoices))
    return force_str(choices.get(make_hashable(value), value), strings_only=True)


@pytest.mark.parametrize("model", [Merchant, Product, Structure, Event, Resource])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_choice_reads_as_djangos_display_in_each_language(model, language):
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields
    with translation.override(language):
        for field in fields:
            for value, _label in field.flatchoices:
                instance = model(**{field.attname: value})
                shown = getattr(instance, f"get_{field.name}_display")()
                assert shown == django_display(instance, field)


def test_the_label_follows_the_active_language():
    shop = Merchant(category="grocery")

    with translation.override("fr"):
        assert shop.get_category_display() == "Épicerie"
    with translation.override("en"):
        assert shop.get_category_display() != "Épicerie"


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Merchant(category="inconnue").get_category_display() == "inconnue"
    assert Product(vat_rate=Decimal("7")).get_vat_rate_display() == Decimal("7")
    assert Product(unit=None).get_unit_display() is None


def test_a_field_outside_the_mixin_models_reads_its_own_table():
    from hub.choices import choice_label

    field = models.CharField(choices=[("a", "Alpha")])
    field.set_attributes_from_name("letter")

    assert choice_label(field, "a") == "Alpha"
    assert choice_label(field, "b") == "b"

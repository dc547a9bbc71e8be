"""Phone numbers: typed the French way or internationally, stored in E.164, shown the French way.

A plain text field holding E.164 (« +33612345678 ») rather than django-phonenumber-field's
objects: the numbers are copied between apps (shop → delivery) and sent in e-mails and the API,
where a string needs no conversion.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

REGION = "FR"
E164 = phonenumbers.PhoneNumberFormat.E164
MESSAGE = _("Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78.")


def to_e164(value: str | None) -> str:
    """« 06 12 34 56 78 », « +32 470 12 34 56 »… as E.164; "" for nothing; ValidationError
    (French message) for what is not a valid number."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(MESSAGE, code="phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(MESSAGE, code="phone")
    return phonenumbers.format_number(number, E164)


def shown(value: str | None) -> str:
    """The French way: « 06 12 34 56 78 » for a French number, « +32 470 12 34 56 » for
    others; text that is not a number is returned as it is."""
    try:
        number = phonenumbers.parse(value or "", REGION)
    except phonenumbers.NumberParseException:
        return value or ""
    if not phonenumbers.is_valid_number(number):
        return value or ""
    if phonenumbers.region_code_for_number(number) == REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneFormField(forms.CharField):
    """Accepts any common way of writing a number; cleans to E.164, shows the French way."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("autocomplete", "tel")

    def prepare_value(self, value: Any) -> Any:
        return shown(value) if isinstance(value, str) else value

    def to_python(self, value: Any) -> str:
        return to_e164(super().to_python(value))


class PhoneField(models.CharField):
    """A phone number stored in E.164; model validation turns what people type into it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        return to_e164(super().to_python(value))

    def get_prep_value(self, value: Any) -> Any:
        # Also used for lookups (``phone__contains="06"``): text that is not a whole number is
        # left alone; entry points validate through the form field or ``to_e164``.
        value = models.Field.get_prep_value(self, value)
        if value is None:
            return None
        try:
            return to_e164(str(value))
        except ValidationError:
            return str(value)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Longer than the stored form: people type spaces, dots and "+33 (0)".
        return super().formfield(
            form_class=form_class or PhoneFormField,
            choices_form_class=choices_form_class,
            **{"max_length": 30, **kwargs},
        )


def normalise_column(model: type[models.Model], field: str) -> None:
    """For data migrations: rewrite in E.164 the stored numbers that parse, leave the others."""
    for pk, value in model._default_manager.exclude(**{field: ""}).values_list("pk", field):
        try:
            e164 = to_e164(value)
        except ValidationError:
            continue
        if e164 != value:
            model._default_manager.filter(pk=pk).update(**{field: e164})

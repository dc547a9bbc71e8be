"""API fields that take what the schema says and nothing else.

DRF's CharField turns a JSON number or boolean into its text (``{"address": 0}`` becomes
``"0"``), while the schema it publishes says ``string``: a client sending a number has a bug
the API should tell it about.
"""

import re

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": _("Texte attendu.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }


class IsoDateField(forms.DateField):
    """An empty ``date=`` is a malformed date, not a missing one."""

    empty_values = (None,)


class IsoDateFilter(django_filters.DateFilter):
    """A date in a query, as the schema's ``format: date`` says (YYYY-MM-DD), else a 400.

    Django's own DateField also reads local formats (« 05/01/2026 »), which the schema refuses.
    """

    field_class = IsoDateField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, input_formats=["%Y-%m-%d"], **kwargs)


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's pages, with ``page`` read as the schema's integer: one whole number, else a 400.

    DRF alone reads the last of several values, an empty one as 1 and « last » as the last
    page. A whole number past the end stays a 404, as DRF answers.
    """

    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if not values:
            return 1
        if len(values) > 1 or not WHOLE_NUMBER.fullmatch(values[0]):
            raise ValidationError({self.page_query_param: [_("Numéro de page attendu.")]})
        return values[0]


class StrictIntegerField(forms.IntegerField):
    """Digits only: Django's own also reads « 1.0 » and « ٣ », which the schema refuses."""

    def to_python(self, value):
        if value not in self.empty_values and not WHOLE_NUMBER.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictBooleanField(forms.Field):
    """``true`` or ``false``, as the schema's boolean is written in a query; else a 400."""

    empty_values = (None,)
    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value is None:
            return None
        if value not in self.VALUES:
            raise forms.ValidationError(_("« true » ou « false » attendu."), code="invalid")
        return self.VALUES[value]


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
class IdFilter(django_filters.NumberFilter):
    """A database id: a whole number within range (declared so in the schema), else a 400."""

    field_class = StrictIntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=2**31 - 1, **kwargs)

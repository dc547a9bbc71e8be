"""``get_FOO_display()`` from a label table built once per field and language.

Django's own ``get_FOO_display()`` rebuilds ``dict(make_hashable(field.flatchoices))`` at every
call, which hashes every lazy label, i.e. translates every choice of the field, for each value
shown: a list of 24 shops paid ~300 translations for their categories. Models of the hot pages
take ``ChoiceDisplayMixin``; their fields' choices are fixed lists (``TextChoices``), so the
table of a field in a language never changes while the process runs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


@lru_cache(maxsize=512)
def _labels(field: models.Field, language: str | None) -> dict[Any, str]:
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


def choice_label(field: models.Field, value: Any) -> Any:
    """The label of ``value`` among ``field``'s choices in the active language (the value
    itself when it is not a choice, as Django does)."""
    try:
        return _labels(field, translation.get_language())[make_hashable(value)]
    except (KeyError, TypeError):
        return force_str(value, strings_only=True)


class ChoiceDisplayMixin:
    """Put before ``models.Model``: every ``get_FOO_display()`` of the model reads the table."""

    def _get_FIELD_display(self, field: models.Field) -> Any:
        return choice_label(field, getattr(self, field.attname))

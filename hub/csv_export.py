"""The one way the platform writes CSV files, for French spreadsheet programs.

- « ; » between cells, a UTF-8 byte-order mark, CRLF line ends: Excel in French opens the file
  with a double click and keeps the accents;
- dates as 31/12/2026 and times in Calais time (an aware datetime is converted), decimals with a
  comma and no thousands separator, booleans as « oui » / « non », choices by their French label;
- a text cell starting with « = + - @ », a tab or a carriage return gets a leading apostrophe,
  so that a spreadsheet reads it as text, never as a formula (OWASP, CSV injection). Numbers are
  written as numbers: a negative amount stays a number.

Every CSV download goes through ``csv_response`` (or ``csv_text`` for a file built elsewhere);
``admin_export`` is the admin action behind « Exporter la sélection (CSV) ».
"""

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO

from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext as _

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"


def neutralise(text: str) -> str:
    """A text a spreadsheet will never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def read_cell(text: str) -> str:
    """A cell read back from one of our files: the apostrophe ``neutralise`` added goes."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _number(value: Decimal | float) -> str:
    text = format(value, "f") if isinstance(value, Decimal) else repr(value)
    return text.replace(".", ",")


def csv_cell(value) -> str:
    """One value written the French way (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, models.Choices):
        return neutralise(str(value.label))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return _number(value)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return neutralise(force_str(value) if isinstance(value, Promise) else str(value))


def csv_text(headers: Sequence, rows: Iterable[Sequence]) -> str:
    """The whole file, byte-order mark included."""
    output = StringIO()
    output.write(BOM)
    writer = csv.writer(output, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_cell(header) for header in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return output.getvalue()


def csv_download(filename: str, text: str) -> HttpResponse:
    """A download of a CSV text made by ``csv_text``."""
    response = HttpResponse(text.encode("utf-8"), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, headers: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download of a table."""
    return csv_download(filename, csv_text(headers, rows))


def _lookup_label(model, path: str) -> str:
    names = path.split("__")
    first = model._meta.get_field(names[0])
    label = str(first.verbose_name)
    if len(names) > 1 and names[-1] != "name":
        last = first.related_model._meta.get_field(names[-1])
        label = f"{label} ({last.verbose_name})"
    return label


def _lookup_value(obj, path: str):
    value = obj
    for name in path.split("__"):
        if value is None:
            return None
        try:
            field = value._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and getattr(field, "choices", None):
            return getattr(value, f"get_{name}_display")()
        value = getattr(value, name)
    return value


def _is_lookup(name: str) -> bool:
    """« user__email » follows relations; « __str__ » does not."""
    return "__" in name.strip("_")


def _column(model_admin, obj, name: str):
    if _is_lookup(name):
        return _lookup_value(obj, name)
    field, _attr, value = lookup_field(name, obj, model_admin)
    if field is not None and getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def admin_export(model_admin, queryset, columns: Sequence[str] | None = None) -> HttpResponse:
    """The selected rows of an admin list as a CSV download: ``columns`` are the list's columns
    (its ``list_display`` by default) or lookups such as ``"user__email"``; headers are the
    French labels the admin shows."""
    model = model_admin.model
    names = [name for name in columns or model_admin.list_display if isinstance(name, str)]
    names = [name for name in names if name != "action_checkbox"]
    headers = [
        _lookup_label(model, name)
        if _is_lookup(name)
        else label_for_field(name, model, model_admin)
        for name in names
    ]
    related = {name.rsplit("__", 1)[0] for name in names if _is_lookup(name)}
    if isinstance(model_admin.list_select_related, list | tuple):
        related.update(model_admin.list_select_related)
    rows = (
        [_column(model_admin, obj, name) for name in names]
        for obj in queryset.select_related(*related)
    )
    return csv_response(f"{model._meta.model_name}.csv", headers, rows)

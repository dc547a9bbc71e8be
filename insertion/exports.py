"""CSV and Excel files.

CSV files use « ; » as separator, a UTF-8 byte-order mark and decimal commas: that is what
Excel in French expects, so staff can open them with a double click and keep accents intact.
"""

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO, StringIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


@dataclass
class Table:
    """A titled table, shown on a page and exported as a CSV file or an Excel sheet."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal | float):
        return f"{value}".replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The CSV text (with its byte-order mark) of a table."""
    output = StringIO()
    output.write(BOM)
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return output.getvalue()


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download for French Excel."""
    response = HttpResponse(
        csv_text(headers, rows).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float | date | str):
        return value
    return str(value)


def _sheet_title(title) -> str:
    """Excel sheet names: 31 characters at most, none of []:*?/\\."""
    return "".join("-" if char in "[]:*?/\\" else char for char in str(title))[:31]


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """An Excel workbook with one sheet per table, headers in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(table.title))
        sheet.append([str(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_cell(value) for value in row])
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_response(filename: str, tables: Sequence[Table]) -> HttpResponse:
    """An Excel download with one sheet per table."""
    response = HttpResponse(xlsx_bytes(tables), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""CSV and Excel files.

CSV files follow the hub's one convention (``hub.services.csv_response``: « ; », a UTF-8
byte-order mark, French dates and decimals, formulas neutralised), so staff open them in Excel
with a double click.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from hub.services import csv_response as hub_csv_response
from hub.services import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    """A titled table, shown on a page and exported as a CSV file or an Excel sheet."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download, in the hub's convention (``hub.services.csv_response``)."""
    return hub_csv_response(filename, headers, rows)


def _xlsx_cell(value):
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return neutralise(value)  # openpyxl would store « =… » as a formula
    if value is None or isinstance(value, int | float | date):
        return value
    return neutralise(str(value))


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

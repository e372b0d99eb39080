"""Excel export of ledgers (台账): Chinese headers, text cells kept as text (and never formulas),
streamed rows."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A text starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: Any) -> Any:
    """Keep a text cell text: never a live formula, and marked with Excel's quote prefix so that
    editing the cell does not turn it into one either. A failed login with ``=HYPERLINK(…)`` as
    username lands in the auditor's export as the text it was."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime):
        value = (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
    elif value is not None and not isinstance(value, int | float):
        value = str(value)  # ID numbers, codes and phones stay text, never numbers
    cell = inert(WriteOnlyCell(sheet, value=value))
    if isinstance(value, str):
        cell.number_format = "@"
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header_cells = []
    for header in headers:
        cell = inert(WriteOnlyCell(sheet, value=str(header)))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    quoted = quote(f"{filename}-{stamp}.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"export-{stamp}.xlsx\"; filename*=UTF-8''{quoted}"
    )
    return response

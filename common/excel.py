"""Excel export of ledgers (台账): Chinese headers, text cells kept as text (and never formulas),
streamed rows in openpyxl's write-only mode (with lxml installed it writes several times faster).
Large exports run as jobs (``common.exports``) through the same writer."""

from collections.abc import Callable, Iterable, Sequence
from copy import copy
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


class SheetWriter:
    """Rows into a write-only sheet with one shared style per kind of cell: a plain value
    where Excel keeps it as it is (numbers, dates, words), a text-formatted cell only where
    Excel would turn text into something else (digits: ID numbers, codes, phones; formulas).
    Styling every cell was most of an export's time (35 s of 49 s for a street's cases)."""

    def __init__(self, workbook: Workbook, title: str, headers: Sequence[str]) -> None:
        self.sheet = workbook.create_sheet(title=title[:31])
        template = WriteOnlyCell(self.sheet, value="")
        template.number_format = "@"
        self._text_style = template._style
        header_cells = []
        for header in headers:
            cell = inert(WriteOnlyCell(self.sheet, value=str(header)))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        self.sheet.append(header_cells)

    def _text(self, value: str) -> Any:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = copy(self._text_style)
        return inert(cell)

    def value(self, value: Any) -> Any:
        if value is None or isinstance(value, int | float):
            return value
        if isinstance(value, datetime):
            # Excel has no time zones: the portal's local time, written with a date format.
            if timezone.is_aware(value):
                return timezone.localtime(value).replace(tzinfo=None)
            return value
        text = str(value)  # dates, decimals, codes: as the page shows them, never numbers
        if text.startswith(FORMULA_STARTS) or any(ch.isdigit() for ch in text):
            return self._text(text)
        return text

    def append(self, row: Sequence[Any]) -> None:
        self.sheet.append([self.value(value) for value in row])


def write_xlsx(
    target: Any,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    progress: Callable[[int], None] | None = None,
    every: int = 2000,
) -> int:
    """Write a one-sheet workbook to ``target`` (a path or a binary file) in write-only mode,
    streaming ``rows``; ``progress(n)`` is called every ``every`` rows. Returns the rows."""
    workbook = Workbook(write_only=True)
    writer = SheetWriter(workbook, title, headers)
    count = 0
    for row in rows:
        writer.append(row)
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
    workbook.save(target)
    return count


def attachment_name(filename: str) -> str:
    """A Content-Disposition value: an ASCII fallback and the Chinese name, stamped."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    quoted = quote(f"{filename}-{stamp}.xlsx")
    return f"attachment; filename=\"export-{stamp}.xlsx\"; filename*=UTF-8''{quoted}"


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    buffer = BytesIO()
    write_xlsx(buffer, title=title, headers=headers, rows=rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = attachment_name(filename)
    return response

"""Excel export of ledgers (台账): Chinese headers, text cells kept as text (and never formulas),
streamed rows. Large exports run as jobs (``common.exports``) through the same writer."""

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from django.http import HttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A text starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def attachment_name(filename: str) -> str:
    """A Content-Disposition value: an ASCII fallback and the Chinese name, stamped."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    quoted = quote(f"{filename}-{stamp}.xlsx")
    return f"attachment; filename=\"export-{stamp}.xlsx\"; filename*=UTF-8''{quoted}"


# --- The writer: the sheet's XML written straight into the zip ----------------------------------
# openpyxl builds and serialises a cell object per value (about 10 µs a cell: a street's 170,000
# cases × 17 columns spent two minutes in it on a busy machine, most of a 49 s export before).
# This writes the workbook openpyxl's write-only mode wrote (one sheet, inline strings, one
# shared style per kind of cell: dates, text "@" where Excel would turn text with digits into
# a number, text with Excel's quote prefix for what would be a formula, a bold header) as
# plain XML; openpyxl, Excel and WPS read it back.

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{_NS}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="5">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"'
        ' quotePrefix="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}
_DATE, _TEXT, _QUOTED, _BOLD = 1, 2, 3, 4
_EPOCH = datetime(1899, 12, 30)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DIGIT = re.compile(r"\d")
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text_cell(ref: str, text: str, style: int) -> str:
    return f'<c r="{ref}"{_text_tail(text, style)}'


def _text_tail(text: str, style: int) -> str:
    """A text cell after its reference."""
    text = xml_escape(_ILLEGAL.sub("", text))
    s = f' s="{style}"' if style else ""
    return f'{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _str_tail(text: str) -> str:
    if text.startswith(FORMULA_STARTS):
        return _text_tail(text, _QUOTED)
    return _text_tail(text, _TEXT if _DIGIT.search(text) else 0)


class _Cells:
    """A cell's XML after ``<c r="A2"``, by the value's type; the texts that recur in a file
    (labels, names, dates as text) are escaped once. Local time is the zone active when the
    file is started (the request's, or the worker's)."""

    #: At most this many distinct texts are kept (titles and addresses hardly recur).
    keep = 20000

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.texts: dict[str, str] = {}

    def tail(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            tail = self.texts.get(value)
            if tail is None:
                if value == "":
                    return ""
                tail = _str_tail(value)
                if len(self.texts) < self.keep:
                    self.texts[value] = tail
            return tail
        if value is None:
            return ""
        if kind is datetime:
            if value.utcoffset() is not None:
                value = value.astimezone(self.zone).replace(tzinfo=None)
            serial = (value - _EPOCH).total_seconds() / 86400
            return f' s="{_DATE}"><v>{serial!r}</v></c>'
        return self.other(value)

    def other(self, value: Any) -> str:
        if value == "":
            return ""
        if isinstance(value, bool):
            return f' t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f"><v>{value!r}</v></c>"
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                value = value.astimezone(self.zone).replace(tzinfo=None)
            serial = (value - _EPOCH).total_seconds() / 86400
            return f' s="{_DATE}"><v>{serial!r}</v></c>'
        return _str_tail(str(value))  # dates, decimals, codes: as the page shows them


def write_xlsx(
    target: Any,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    progress: Callable[[int], None] | None = None,
    every: int = 2000,
) -> int:
    """Write a one-sheet workbook to ``target`` (a path or a binary file), streaming ``rows``;
    ``progress(n)`` is called every ``every`` rows. Returns the rows written."""
    letters = [_column(i) for i in range(max(len(headers), 1) + 64)]
    sheet = xml_escape(_SHEET_NAME.sub(" ", title)[:31] or "Sheet1", {'"': "&quot;"})
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=3) as z:
        for name, body in _PARTS.items():
            z.writestr(name, body)
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            head = "".join(
                _text_cell(f"{letters[i]}1", str(h), _BOLD) for i, h in enumerate(headers)
            )
            out.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<worksheet xmlns="{_NS}"><sheetData><row r="1">{head}</row>'.encode()
            )
            buffer: list[str] = []
            tail = _Cells().tail
            starts = [f'<c r="{letter}' for letter in letters]
            for number, row in enumerate(rows, start=2):
                n = str(number)
                ref = f'{n}"'
                parts = [f'<row r="{n}">']
                for i, value in enumerate(row):
                    cell = tail(value)
                    if cell:
                        parts += (starts[i], ref, cell)
                parts.append("</row>")
                buffer.append("".join(parts))
                count += 1
                if count % every == 0:
                    out.write("".join(buffer).encode())
                    buffer = []
                    if progress is not None:
                        progress(count)
            out.write(("".join(buffer) + "</sheetData></worksheet>").encode())
    return count


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    buffer = BytesIO()
    write_xlsx(buffer, title=title, headers=headers, rows=rows)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = attachment_name(filename)
    return response

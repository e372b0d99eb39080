"""Excel import of a ledger, the part every app shares: a downloadable template that states
each column's format, reading the first sheet with its header check and row limit, cell
converters, and the collection of every error of every row.

An app keeps its own rules: which columns, what a row means, what it checks against the
database, and the all-or-nothing write (``<app>/imports.py``). A row is read through a
:class:`RowCheck`, which runs every converter and check and keeps every refusal, so a row with
a bad date *and* an unknown category reports both.

A file is bounded before it is parsed (:func:`check_workbook`): its compressed size, the
uncompressed size of every part of the xlsx archive and of all of them, their compression
ratio, and the first sheet's declared dimension; reading then stops at the row and column
limits whatever the sheet declares. A crafted workbook (a zip bomb, a sheet declaring a million
rows) is refused in milliseconds with one message, before anything is decompressed.

Chinese is the language of the template: headers are Chinese in every interface language,
and a choice cell takes the Chinese label, the English label or the stored code, whatever the
language of the person uploading.
"""

from __future__ import annotations

import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
#: Bounds of the archive, before anything is decompressed: all parts together, any one part
#: (a sheet, the shared strings, the styles), how many parts, and the compression ratio of a
#: part above ``RATIO_FLOOR`` (a real sheet compresses about 14 times; a zip bomb thousands).
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_PARTS = 200
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
#: Bounds of the first sheet, declared or read: rows (blank ones included) and columns.
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 60
#: The reader reports its progress every so many rows.
PROGRESS_EVERY = 500
#: What a broken workbook raises while it is opened or read (a time or memory limit is not
#: one of them: those end the import as a failure, not as an unreadable file).
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,
    OSError,
    EOFError,
)
YES = ("是", "有", "yes", "y", "true", "1")
NO = ("", "否", "无", "no", "n", "false", "0")

T = TypeVar("T")
Row = dict[str, Any]
Rows = list[tuple[int, Row]]


@dataclass(frozen=True)
class Template:
    """One import's columns. ``formats`` says, per header, what a cell may hold (shown in the
    template's 填写说明 and beside the header)."""

    title: Any
    headers: Sequence[str]
    required: Sequence[str]
    notes: Sequence[Any] = ()
    formats: dict[str, Any] = field(default_factory=dict)
    max_rows: int = MAX_ROWS

    @property
    def format_rows(self) -> list[tuple[str, Any]]:
        return [(h, self.formats.get(h, _("文本"))) for h in self.headers]

    @property
    def limits(self) -> dict[str, int]:
        """The bounds a file must keep, as the import page states them."""
        return {
            "rows": self.max_rows,
            "columns": MAX_SHEET_COLUMNS,
            "megabytes": MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
        }


class Progress(Protocol):
    """How an import tells its job how far it is (``common.importjobs.JobProgress``); each
    call may stop an import past its time limit."""

    def phase(self, phase: str, total: int = 0) -> None: ...

    def __call__(self, done: int) -> None: ...


class _Silent:
    """The progress of an import nobody watches (a service called directly, a command)."""

    def phase(self, phase: str, total: int = 0) -> None:
        pass

    def __call__(self, done: int) -> None:
        pass


SILENT: Progress = _Silent()
READING, CHECKING, WRITING = "reading", "checking", "writing"


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportPlan:
    """What a clean file will write (built by the check, applied by the service);
    ``errors`` lists every bad row, each with all its reasons."""

    kind: str = ""
    rows: int = 0
    objects: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def fail(self, row: int, exc: ValidationError | str) -> None:
        message = exc if isinstance(exc, str) else "；".join(exc.messages)
        self.errors.append(RowError(row, message))


DATE_FORMAT = gettext_lazy("日期，如 2026-03-31（也可 2026/3/31）")
YES_NO_FORMAT = gettext_lazy("填“是”或“否”")
TEXT_FORMAT = gettext_lazy("按文本格式填写（数字格式会丢失位数）")


def options(choices: Iterable[tuple[Any, Any]]) -> str:
    """The Chinese labels of a choice set, for a template's format column."""
    with translation.override("zh-hans"):
        return "、".join(str(label) for _value, label in choices)


def template_workbook(spec: Template) -> bytes:
    """The template: Chinese headers, text cells (ID numbers and phones keep their digits),
    and a 填写说明 sheet naming the required columns and every column's format."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(spec.title)[:31]
    sheet.append([str(h) for h in spec.headers])
    for index, _header in enumerate(spec.headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 18
        for row in range(2, min(spec.max_rows, 1000) + 2):
            sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet(str(_("填写说明")))
    notes.append([str(_("必须填写的列：")) + "、".join(spec.required)])
    notes.append([str(_("整份文件检查无误才会导入；有错时列出每一行的全部错误，不导入任何数据。"))])
    notes.append([str(_("一次最多 %(n)s 行。")) % {"n": spec.max_rows}])
    for note in spec.notes:
        notes.append([str(note)])
    notes.append([])
    notes.append([str(_("列")), str(_("必填")), str(_("格式或可填的值"))])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for header, format_ in spec.format_rows:
        notes.append([header, str(_("是")) if header in spec.required else "", str(format_)])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 80
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}"


def check_archive(upload: IO[bytes]) -> None:
    """Refuse an upload whose archive is too large once decompressed, or built to look small:
    only the zip's directory is read (Python's zip reader never inflates a part beyond the
    size this directory declares, so the declared sizes bound the work)."""
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, 2)
    if size > MAX_BYTES:
        raise ValidationError(_("文件不能超过 5 MB。"))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError(_("无法读取该文件，请使用下载的 Excel 模板。")) from None
    finally:
        upload.seek(0)
    if len(parts) > MAX_PARTS:
        raise ValidationError(
            _("文件包含 %(n)s 个部分，超过上限 %(limit)s 个，请使用下载的 Excel 模板。")
            % {"n": len(parts), "limit": MAX_PARTS}
        )
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            _("文件解压后有 %(size)s MB，超过上限 %(limit)s MB，请删除多余的工作表和图片。")
            % {"size": _megabytes(total), "limit": _megabytes(MAX_UNCOMPRESSED_BYTES)}
        )
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            raise ValidationError(
                _("文件中的“%(part)s”解压后有 %(size)s MB，超过单个部分 %(limit)s MB 的上限。")
                % {
                    "part": part.filename[:80],
                    "size": _megabytes(part.file_size),
                    "limit": _megabytes(MAX_PART_BYTES),
                }
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise ValidationError(
                _("文件的压缩比异常（%(ratio)s 倍，上限 %(limit)s 倍），不是正常的 Excel 文件。")
                % {"ratio": int(ratio), "limit": MAX_RATIO}
            )


def _check_dimensions(rows: int | None, columns: int | None) -> None:
    if rows is not None and rows > MAX_SHEET_ROWS:
        raise ValidationError(
            _("工作表有 %(n)s 行，超过上限 %(limit)s 行（空行也计入），请删除多余的行后再上传。")
            % {"n": rows, "limit": MAX_SHEET_ROWS}
        )
    if columns is not None and columns > MAX_SHEET_COLUMNS:
        raise ValidationError(
            _("工作表有 %(n)s 列，超过上限 %(limit)s 列，请删除多余的列后再上传。")
            % {"n": columns, "limit": MAX_SHEET_COLUMNS}
        )


def open_sheet(upload: IO[bytes]) -> tuple[Any, Any]:
    """The workbook (read-only, values) and its first sheet, once the archive and the sheet's
    declared dimension are within bounds. The caller closes the workbook."""
    check_archive(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except UNREADABLE:
        raise ValidationError(_("无法读取该文件，请使用下载的 Excel 模板。")) from None
    try:
        _check_dimensions(sheet.max_row, sheet.max_column)
    except ValidationError:
        workbook.close()
        raise
    return workbook, sheet


def check_workbook(upload: IO[bytes]) -> None:
    """Every bound that holds before a row is read; a page calls it to refuse a crafted file
    at once, before it queues the import."""
    workbook, _sheet = open_sheet(upload)
    workbook.close()
    upload.seek(0)


def read_rows(
    upload: IO[bytes], spec: Template, progress: Callable[[int], None] | None = None
) -> Rows:
    """Rows of the first sheet as {header: value} with their Excel row numbers, blank rows
    skipped. A file that is not a workbook, not the template, too large, or too long is one
    ValidationError. Whatever the sheet declares, no more than ``MAX_SHEET_ROWS`` + 1 rows
    and ``MAX_SHEET_COLUMNS`` columns are read; a sheet reaching past them is refused (never
    cut short silently). ``progress`` is told the rows read so far."""
    workbook, sheet = open_sheet(upload)
    try:
        rows = sheet.iter_rows(
            max_row=MAX_SHEET_ROWS + 1, max_col=MAX_SHEET_COLUMNS, values_only=True
        )
        header = [_header(v) for v in next(rows, ())]
        missing = [str(h) for h in spec.headers if str(h) not in header]
        if missing:
            raise ValidationError(
                _("表头与模板不符，缺少列：%(columns)s") % {"columns": "、".join(missing)}
            )
        found: Rows = []
        for number, values in enumerate(rows, start=2):
            if number > MAX_SHEET_ROWS:
                _check_dimensions(number, None)
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number)
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            if len(found) >= spec.max_rows:
                raise ValidationError(_("一次最多导入 %(n)s 行。") % {"n": spec.max_rows})
            found.append((number, dict(zip(header, values, strict=False))))
    except UNREADABLE:
        raise ValidationError(_("无法读取该文件，请使用下载的 Excel 模板。")) from None
    finally:
        workbook.close()
    return found


def _header(value: Any) -> str:
    return "" if value is None else str(value).strip().rstrip("*＊").strip()


def start_plan(
    upload: IO[bytes], spec: Template, kind: str = "", progress: Progress = SILENT
) -> tuple[ImportPlan, Rows]:
    """Read the file into a plan: a broken file or an empty one is its first error. The job
    sees the reading phase, then the checking phase with the rows to check."""
    plan = ImportPlan(kind=kind)
    progress.phase(READING)
    try:
        rows = read_rows(upload, spec, progress)
    except ValidationError as exc:
        plan.fail(1, exc)
        return plan, []
    plan.rows = len(rows)
    if not rows:
        plan.fail(2, _("文件中没有数据行。"))
    progress.phase(CHECKING, len(rows))
    return plan, rows


class RowCheck:
    """One row's checks: each converter or check runs, a refusal is kept and its default
    returned, so that every error of the row is reported together."""

    def __init__(self, number: int, row: Row) -> None:
        self.number = number
        self.row = row
        self.messages: list[str] = []

    def __call__(self, check: Callable[..., T], *args: Any, default: Any = None, **kw: Any) -> T:
        try:
            return check(*args, **kw)
        except ValidationError as exc:
            self.messages.extend(m for m in exc.messages if m not in self.messages)
            return default

    def cell(self, convert: Callable[..., T], header: str, *args: Any, default: Any = None) -> T:
        return self(convert, self.row, header, *args, default=default)

    @property
    def ok(self) -> bool:
        return not self.messages

    def report(self, plan: ImportPlan) -> bool:
        """Record the row's errors on the plan; True when the row is clean."""
        if self.messages:
            plan.errors.append(RowError(self.number, "；".join(self.messages)))
        return not self.messages


def required(row: Row, spec: Template) -> None:
    empty = [h for h in spec.required if not text(row, h)]
    if empty:
        raise ValidationError(_("必填列未填写：%(columns)s") % {"columns": "、".join(empty)})


def text(row: Row, header: str) -> str:
    value = row.get(header)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def id_text(row: Row, header: str) -> str:
    """An ID number or phone: typed as a number, Excel drops digits, so it is refused."""
    if isinstance(row.get(header), int | float):
        raise ValidationError(_("%(col)s须按文本格式填写（数字会丢失末位）。") % {"col": header})
    return "".join(text(row, header).split())


def day(row: Row, header: str) -> date | None:
    value = row.get(header)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(row, header)
    parts = raw.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-")
    try:
        year, month, dom = (int(p) for p in parts.rstrip("日").split("-"))
        return date(year, month, dom)
    except ValueError:
        raise ValidationError(
            _("%(col)s“%(value)s”不是有效日期（如 2026-03-31）。") % {"col": header, "value": raw}
        ) from None


def amount(row: Row, header: str) -> Decimal | None:
    raw = text(row, header).replace(",", "").replace("元", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(
            _("%(col)s“%(value)s”不是有效数字。") % {"col": header, "value": raw}
        ) from None
    if not value.is_finite():
        raise ValidationError(_("%(col)s不是有效数字。") % {"col": header})
    return value


def by_label(choices: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """Every way a cell may name a choice: its code, its Chinese label, its label in the
    interface's language (English labels and codes compared without case)."""
    choices = list(choices)
    names: dict[str, Any] = {}
    for value, label in choices:
        names[str(value).lower()] = value
        names[str(label).lower()] = value
    with translation.override("zh-hans"):
        names.update({str(label): value for value, label in choices})
    with translation.override("en"):
        names.update({str(label).lower(): value for value, label in choices})
    return names


def choice(row: Row, header: str, choices: Iterable[tuple[Any, Any]], default: Any = "") -> Any:
    raw = text(row, header)
    if not raw:
        return default
    choices = list(choices)
    value = by_label(choices).get(raw, by_label(choices).get(raw.lower()))
    if value is not None:
        return value
    raise ValidationError(
        _("%(col)s“%(value)s”无效，可填：%(options)s")
        % {"col": header, "value": raw, "options": options(choices)}
    )


def choices_list(row: Row, header: str, choices: Iterable[tuple[Any, Any]]) -> list[Any]:
    """Several choices in one cell, separated by 、 , ， ; or ；."""
    raw = text(row, header)
    for separator in (",", ";", "；"):
        raw = raw.replace(separator, "、")
    names = by_label(list(choices))
    chosen, bad = [], []
    for part in filter(None, (p.strip() for p in raw.split("、"))):
        value = names.get(part, names.get(part.lower()))
        if value is None:
            bad.append(part)
        else:
            chosen.append(value)
    if bad:
        raise ValidationError(
            _("%(col)s“%(value)s”无效。") % {"col": header, "value": "、".join(bad)}
        )
    return list(dict.fromkeys(chosen))


def yes_no(row: Row, header: str) -> bool:
    raw = text(row, header).lower()
    if raw in NO:
        return False
    if raw in YES:
        return True
    raise ValidationError(_("%(col)s须填“是”或“否”。") % {"col": header})

"""Excel import for the supports ledgers (spending entries, recruitment applicants), after the
pattern of ``governance.imports``: a downloadable template, a check of every row, and nothing
written until the whole file is clean. Every bad row is reported with its number (as Excel
shows it) and its reason.

The cell readers here are generic; the checks of each ledger are in its service module
(``supports.services.funds``, ``supports.services.careers``), which plans the rows and writes
them in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Template:
    title: Any
    headers: tuple[str, ...]
    required: tuple[str, ...]
    notes: tuple[Any, ...] = ()


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportPlan:
    """What a clean file will write; ``errors`` lists every bad row."""

    rows: int = 0
    objects: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def fail(self, row: int, exc: ValidationError | str) -> None:
        message = exc if isinstance(exc, str) else "；".join(exc.messages)
        self.errors.append(RowError(row, message))


def template_workbook(spec: Template) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(spec.title)[:31]
    sheet.append(list(spec.headers))
    for index, _header in enumerate(spec.headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 16
        for row in range(2, 502):  # ID numbers and phones stay text when typed in
            sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet(str(_("填写说明")))
    notes.append([str(_("带 * 的列必须填写：")) + "、".join(spec.required)])
    for note in spec.notes:
        notes.append([str(note)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_rows(upload: IO[bytes], spec: Template) -> list[tuple[int, dict[str, Any]]]:
    """Rows of the first sheet as {header: value} with their Excel row numbers. A file that
    is not a workbook, or not the template, is one ValidationError."""
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:  # type: ignore[attr-defined]
        raise ValidationError(_("文件不能超过 5 MB。"))
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("无法读取该文件，请使用下载的 Excel 模板。")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip().rstrip("*") if v is not None else "" for v in next(rows, ())]
    missing = [h for h in spec.headers if h not in header]
    if missing:
        raise ValidationError(
            _("表头与模板不符，缺少列：%(columns)s") % {"columns": "、".join(missing)}
        )
    found: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(found) >= MAX_ROWS:
            raise ValidationError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
        found.append((number, dict(zip(header, values, strict=False))))
    return found


def start_plan(
    upload: IO[bytes], spec: Template
) -> tuple[ImportPlan, list[tuple[int, dict[str, Any]]]]:
    """Read the file into a plan: a broken file or an empty one is its first error."""
    plan = ImportPlan()
    try:
        rows = read_rows(upload, spec)
    except ValidationError as exc:
        plan.fail(1, exc)
        return plan, []
    plan.rows = len(rows)
    if not rows:
        plan.fail(2, _("文件中没有数据行。"))
    return plan, rows


def required(row: dict[str, Any], spec: Template) -> None:
    empty = [h for h in spec.required if not text(row, h)]
    if empty:
        raise ValidationError(_("必填列未填写：%(columns)s") % {"columns": "、".join(empty)})


def text(row: dict[str, Any], header: str) -> str:
    value = row.get(header)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def id_text(row: dict[str, Any], header: str) -> str:
    """An ID number or phone: typed as a number, Excel drops digits, so it is refused."""
    if isinstance(row.get(header), int | float):
        raise ValidationError(_("%(col)s须按文本格式填写（数字会丢失末位）。") % {"col": header})
    return text(row, header)


def day(row: dict[str, Any], header: str) -> date | None:
    value = row.get(header)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            _("%(col)s“%(value)s”不是有效日期（如 2026-03-31）。") % {"col": header, "value": raw}
        ) from None


def amount(row: dict[str, Any], header: str) -> Decimal | None:
    raw = text(row, header).replace(",", "").replace("，", "").replace("元", "")
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


def choice(row: dict[str, Any], header: str, choices: Sequence[tuple[str, Any]]) -> str:
    raw = text(row, header)
    by_label = {str(label): value for value, label in choices}
    if raw in by_label:
        return by_label[raw]
    raise ValidationError(
        _("%(col)s“%(value)s”无效，可填：%(options)s")
        % {"col": header, "value": raw, "options": "、".join(by_label)}
    )


def yes_no(row: dict[str, Any], header: str) -> bool:
    raw = text(row, header)
    if raw in ("", "否", "无"):
        return False
    if raw in ("是", "有"):
        return True
    raise ValidationError(_("%(col)s须填“是”或“否”。") % {"col": header})

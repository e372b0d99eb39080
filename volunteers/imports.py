"""Excel import of unit and member check-ins, in the template pattern of governance's
ledgers: a downloadable template, a check of every row, and an all-or-nothing write. A file
with one bad row imports nothing; each bad row is reported with its number and reason."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from accounts.personal_data import blind_index
from governance.models import Area, AreaLevel, Department, PartyMember
from grids.models import Grid

from . import policies
from .models import CheckInState, MemberCheckIn, ServiceArea, UnitCheckIn, UnitType
from .people import person_key

MAX_ROWS = 5000


class ImportKind:
    UNITS = "units"
    MEMBERS = "members"


TEMPLATES: dict[str, dict[str, Any]] = {
    ImportKind.UNITS: {
        "title": gettext_lazy("单位报到导入模板"),
        "headers": [
            "单位名称", "单位类型", "报到社区", "报到年度", "联系人", "联系电话", "服务承诺",
        ],
        "required": ["单位名称", "报到社区", "报到年度", "联系人"],
        "notes": [
            gettext_lazy("单位名称须与系统中的区直部门（单位）名称一致；报到社区填写社区全称。"),
            gettext_lazy("单位类型：")
            + "、".join(str(label) for label in UnitType.labels)
            + gettext_lazy("（不填为党政机关）。"),
            gettext_lazy("同一单位在同一社区每个年度只能报到一次。"),
        ],
    },
    ImportKind.MEMBERS: {
        "title": gettext_lazy("党员报到导入模板"),
        "headers": [
            "姓名", "身份证号", "手机号", "工作单位", "所在党支部", "报到社区", "认领网格",
            "服务领域", "报到日期",
        ],
        "required": ["姓名", "工作单位", "报到社区"],
        "notes": [
            gettext_lazy("身份证号与党员台账一致的，关联到台账党员；否则须填写手机号和所在党支部。"),
            gettext_lazy("认领网格填写网格名称（须在报到社区）。服务领域可填多个，用顿号分隔：")
            + "、".join(str(label) for label in ServiceArea.labels),
            gettext_lazy("一名党员同一时间只能在一个社区报到。"),
        ],
    },
}  # fmt: skip


def template_workbook(kind: str, templates: dict[str, dict[str, Any]] | None = None) -> bytes:
    spec = (templates or TEMPLATES)[kind]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(spec["title"])[:31]
    sheet.append([str(h) for h in spec["headers"]])
    for index, _header in enumerate(spec["headers"], start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 18
        for row in range(2, 502):  # phones and ID numbers stay text when typed in
            sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet(str(_("填写说明")))
    notes.append([str(_("带 * 的列必须填写：")) + "、".join(str(h) for h in spec["required"])])
    for note in spec["notes"]:
        notes.append([str(note)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class RowError:
    row: int
    message: str


@dataclass
class ImportPlan:
    kind: str
    rows: int = 0
    objects: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _rows(
    upload: IO[bytes], kind: str, templates: dict[str, dict[str, Any]] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("无法读取该文件，请使用下载的 Excel 模板。")) from None
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = [str(v).strip().rstrip("*") if v is not None else "" for v in next(rows, ())]
    missing = [str(h) for h in (templates or TEMPLATES)[kind]["headers"] if str(h) not in header]
    if missing:
        raise ValidationError(
            _("表头与模板不符，缺少列：%(columns)s") % {"columns": "、".join(missing)}
        )
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        if number > MAX_ROWS + 1:
            raise ValidationError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
        yield number, dict(zip(header, values, strict=False))


def _text(row: dict[str, Any], header: str) -> str:
    value = row.get(header)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _id_text(row: dict[str, Any], header: str) -> str:
    if isinstance(row.get(header), int | float) and header != "报到年度":
        raise ValidationError(_("%(col)s须按文本格式填写（数字会丢失位数）。") % {"col": header})
    return "".join(_text(row, header).split())


def _date(row: dict[str, Any], header: str) -> date | None:
    value = row.get(header)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("%(col)s“%(value)s”不是有效日期（如 2026-03-01）。") % {"col": header, "value": text}
        ) from None


def _required(
    kind: str, row: dict[str, Any], templates: dict[str, dict[str, Any]] | None = None
) -> None:
    empty = [str(h) for h in (templates or TEMPLATES)[kind]["required"] if not _text(row, str(h))]
    if empty:
        raise ValidationError(_("必填列未填写：%(columns)s") % {"columns": "、".join(empty)})


class _Territory:
    """Communities by name, loaded once, and whether the actor may import into each."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.communities = {
            a.name: a
            for a in Area.objects.filter(level=AreaLevel.COMMUNITY, is_active=True).only(
                "id", "name", "path"
            )
        }

    def community(self, row: dict[str, Any], *, department_id: int | None = None) -> Area:
        name = _text(row, "报到社区")
        community = self.communities.get(name)
        allowed = community is not None and (
            self.actor is None
            or policies.can_keep(self.actor, community.path)
            or (department_id is not None and policies.is_liaison_of(self.actor, department_id))
        )
        if community is None or not allowed:
            raise ValidationError(_("社区“%(name)s”不存在或不在您的管辖范围。") % {"name": name})
        return community


def _plan_units(plan: ImportPlan, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    territory = _Territory(actor)
    departments = {d.name: d for d in Department.objects.filter(is_active=True)}
    types = {str(label): value for value, label in UnitType.choices}
    this_year = timezone.localdate().year
    seen: dict[tuple[int, int, int], int] = {}
    for number, row in rows:
        try:
            _required(ImportKind.UNITS, row)
            department = departments.get(_text(row, "单位名称"))
            if department is None:
                raise ValidationError(
                    _("单位“%(name)s”不在区直部门（单位）名录中。")
                    % {"name": _text(row, "单位名称")}
                )
            community = territory.community(row, department_id=department.pk)
            type_text = _text(row, "单位类型")
            if type_text and type_text not in types:
                raise ValidationError(
                    _("单位类型“%(v)s”无效，可填：%(o)s") % {"v": type_text, "o": "、".join(types)}
                )
            year_text = _text(row, "报到年度")
            if not year_text.isdigit() or not this_year - 1 <= int(year_text) <= this_year + 1:
                raise ValidationError(
                    _("报到年度须为 %(a)s 至 %(b)s 年。") % {"a": this_year - 1, "b": this_year + 1}
                )
            phone = _id_text(row, "联系电话")
            if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
                raise ValidationError(_("联系电话须为 7 至 12 位数字。"))
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        key = (department.pk, community.pk, int(year_text))
        if key in seen:
            plan.errors.append(
                RowError(
                    number, _("与第 %(row)s 行重复（同一单位、社区、年度）。") % {"row": seen[key]}
                )
            )
            continue
        seen[key] = number
        plan.objects.append(
            (
                number,
                UnitCheckIn(
                    department=department,
                    community=community,
                    area_path=community.path,
                    year=int(year_text),
                    unit_type=types.get(type_text, UnitType.AGENCY),
                    contact_name=_text(row, "联系人")[:50],
                    contact_phone=phone,
                    commitments=_text(row, "服务承诺")[:2000],
                ),
            )
        )
    taken = set(
        UnitCheckIn.objects.filter(
            department_id__in={k[0] for k in seen}, community_id__in={k[1] for k in seen}
        )
        .exclude(state=CheckInState.WITHDRAWN)
        .values_list("department_id", "community_id", "year")
    )
    kept = []
    for number, checkin in plan.objects:
        if (checkin.department_id, checkin.community_id, checkin.year) in taken:
            plan.errors.append(
                RowError(
                    number,
                    _("%(unit)s已在%(community)s办理过 %(year)s 年度报到。")
                    % {
                        "unit": checkin.department.name,
                        "community": checkin.community.name,
                        "year": checkin.year,
                    },
                )
            )
        else:
            kept.append(checkin)
    plan.objects = kept


def _service_areas(row: dict[str, Any]) -> list[str]:
    text = _text(row, "服务领域").replace(",", "、").replace("，", "、")
    by_label = {str(label): value for value, label in ServiceArea.choices}
    chosen = []
    for label in filter(None, (part.strip() for part in text.split("、"))):
        if label not in by_label:
            raise ValidationError(_("服务领域“%(v)s”无效。") % {"v": label})
        chosen.append(by_label[label])
    return list(dict.fromkeys(chosen))


def _plan_members(plan: ImportPlan, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    territory = _Territory(actor)
    departments = {d.name: d for d in Department.objects.filter(is_active=True)}
    id_hashes = {}
    for _number, row in rows:
        try:
            id_hashes[blind_index(_id_text(row, "身份证号"))] = True
        except ValidationError:
            continue
    members = {
        m.id_number_hash: m
        for m in PartyMember.objects.filter(
            id_number_hash__in=[h for h in id_hashes if h], is_active=True
        ).select_related("org")
    }
    grids: dict[tuple[int, str], Grid] = {}
    seen: dict[str, int] = {}
    today = timezone.localdate()
    checked = []
    for number, row in rows:
        try:
            _required(ImportKind.MEMBERS, row)
            community = territory.community(row)
            id_number = _id_text(row, "身份证号")
            member = members.get(blind_index(id_number)) if id_number else None
            phone = _id_text(row, "手机号")
            if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
                raise ValidationError(_("手机号须为 11 位数字。"))
            branch = _text(row, "所在党支部") or (member.org.name if member else "")
            if member is None and (not phone or not branch):
                raise ValidationError(_("未在党员台账的党员须填写手机号和所在党支部。"))
            grid = None
            grid_name = _text(row, "认领网格")
            if grid_name:
                if not grids or (community.pk, grid_name) not in grids:
                    for g in Grid.objects.filter(community=community).only("id", "name"):
                        grids[(community.pk, g.name)] = g
                grid = grids.get((community.pk, grid_name))
                if grid is None:
                    raise ValidationError(
                        _("网格“%(g)s”不在%(c)s。") % {"g": grid_name, "c": community.name}
                    )
            registered_on = _date(row, "报到日期") or today
            if registered_on > today:
                raise ValidationError(_("报到日期不能晚于今天。"))
            employer = _text(row, "工作单位")[:120]
            key = person_key(party_member=member, phone=phone)
            values = {
                "party_member": member,
                "name": _text(row, "姓名")[:50],
                "employer": employer,
                "employer_department": departments.get(employer),
                "branch": branch[:120],
                "phone": phone or (member.phone if member else "") or "",
                "community": community,
                "area_path": community.path,
                "grid": grid,
                "service_areas": _service_areas(row),
                "registered_on": registered_on,
                "person_key": key,
            }
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        if key in seen:
            plan.errors.append(
                RowError(number, _("与第 %(row)s 行是同一人。") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        checked.append((number, values))
    taken = {
        c.person_key: c
        for c in MemberCheckIn.objects.filter(
            person_key__in=list(seen), ended_on__isnull=True
        ).select_related("community")
    }
    for number, values in checked:
        existing = taken.get(values["person_key"])
        if existing is not None:
            plan.errors.append(
                RowError(
                    number,
                    _("%(name)s已在%(community)s报到，不能同时在两个社区报到。")
                    % {"name": existing.name, "community": existing.community.name},
                )
            )
        else:
            plan.objects.append(values)


PLANNERS = {ImportKind.UNITS: _plan_units, ImportKind.MEMBERS: _plan_members}


def plan_import(*, actor: Any, kind: str, upload: IO[bytes]) -> ImportPlan:
    """Check every row of the file; write nothing."""
    plan = ImportPlan(kind=kind)
    try:
        rows = list(_rows(upload, kind))
    except ValidationError as exc:
        plan.errors.append(RowError(1, "；".join(exc.messages)))
        return plan
    plan.rows = len(rows)
    if not rows:
        plan.errors.append(RowError(2, _("文件中没有数据行。")))
        return plan
    PLANNERS[kind](plan, actor, rows)
    plan.errors.sort(key=lambda error: error.row)
    return plan

"""Excel import of unit and member check-ins, in the template pattern of governance's
ledgers: a downloadable template, a check of every row, and an all-or-nothing write. A file
with one bad row imports nothing; each bad row is reported with its number and every reason.
Reading, cell converters and the collection of errors are ``common.imports``."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.personal_data import blind_index
from common import imports
from common.imports import ImportPlan, RowCheck, RowError, Rows, choice, choices_list, day, text
from governance.models import Area, AreaLevel, Department, PartyMember
from grids.models import Grid

from . import policies
from .models import CheckInState, MemberCheckIn, ServiceArea, UnitCheckIn, UnitType
from .people import person_key

MAX_ROWS = imports.MAX_ROWS

__all__ = ["ImportPlan", "RowError", "plan_import", "template_workbook"]


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
            gettext_lazy("同一单位在同一社区每个年度只能报到一次。"),
        ],
        "formats": {
            "单位名称": gettext_lazy("与系统中的区直部门（单位）名称一致"),
            "单位类型": format_lazy(
                "{}{}", imports.options(UnitType.choices), gettext_lazy("（不填为党政机关）")
            ),
            "报到社区": gettext_lazy("社区全称"),
            "报到年度": gettext_lazy("四位年份，如 2026"),
            "联系电话": gettext_lazy("7 至 12 位数字，按文本格式填写"),
        },
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
            gettext_lazy("一名党员同一时间只能在一个社区报到。"),
        ],
        "formats": {
            "身份证号": gettext_lazy("18 位，按文本格式填写"),
            "手机号": gettext_lazy("11 位，按文本格式填写"),
            "报到社区": gettext_lazy("社区全称"),
            "认领网格": gettext_lazy("网格名称（须在报到社区）"),
            "服务领域": format_lazy(
                "{}{}", gettext_lazy("可填多个，用顿号分隔："), imports.options(ServiceArea.choices)
            ),
            "报到日期": imports.DATE_FORMAT,
        },
    },
}  # fmt: skip


def _spec(kind: str, templates: dict[str, dict[str, Any]] | None = None) -> imports.Template:
    """A template of this app's table (``TEMPLATES`` or another one, e.g. the volunteer
    service imports') as the shared template."""
    spec = (templates or TEMPLATES)[kind]
    return imports.Template(
        title=spec["title"],
        headers=[str(h) for h in spec["headers"]],
        required=[str(h) for h in spec["required"]],
        notes=spec.get("notes", ()),
        formats=spec.get("formats", {}),
    )


def template_workbook(kind: str, templates: dict[str, dict[str, Any]] | None = None) -> bytes:
    return imports.template_workbook(_spec(kind, templates))


def spec(kind: str, templates: dict[str, dict[str, Any]] | None = None) -> imports.Template:
    """The shared template of ``kind`` (what the import page states)."""
    return _spec(kind, templates)


def _text(row: dict[str, Any], header: str) -> str:
    return text(row, header)


def _id_text(row: dict[str, Any], header: str) -> str:
    if header == "报到年度":
        return "".join(text(row, header).split())
    return imports.id_text(row, header)


def _required(
    kind: str, row: dict[str, Any], templates: dict[str, dict[str, Any]] | None = None
) -> None:
    imports.required(row, _spec(kind, templates))


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
        name = text(row, "报到社区")
        community = self.communities.get(name)
        allowed = community is not None and (
            self.actor is None
            or policies.can_keep(self.actor, community.path)
            or (department_id is not None and policies.is_liaison_of(self.actor, department_id))
        )
        if community is None or not allowed:
            raise ValidationError(_("社区“%(name)s”不存在或不在您的管辖范围。") % {"name": name})
        return community


def _department(departments: dict[str, Department], row: dict[str, Any]) -> Department:
    department = departments.get(text(row, "单位名称"))
    if department is None:
        raise ValidationError(
            _("单位“%(name)s”不在区直部门（单位）名录中。") % {"name": text(row, "单位名称")}
        )
    return department


def _year(row: dict[str, Any], header: str) -> int:
    this_year = timezone.localdate().year
    year_text = _id_text(row, header)
    if not year_text.isdigit() or not this_year - 1 <= int(year_text) <= this_year + 1:
        raise ValidationError(
            _("报到年度须为 %(a)s 至 %(b)s 年。") % {"a": this_year - 1, "b": this_year + 1}
        )
    return int(year_text)


def _unit_phone(row: dict[str, Any], header: str) -> str:
    phone = _id_text(row, header)
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ValidationError(_("联系电话须为 7 至 12 位数字。"))
    return phone


def _plan_units(plan: ImportPlan, actor: Any, rows: Rows) -> None:
    spec = _spec(ImportKind.UNITS)
    territory = _Territory(actor)
    departments = {d.name: d for d in Department.objects.filter(is_active=True)}
    seen: dict[tuple[int, int, int], int] = {}
    for number, row in rows:
        check = RowCheck(number, row)
        check(imports.required, row, spec)
        department = check(_department, departments, row) if text(row, "单位名称") else None
        community = None
        if department is not None and text(row, "报到社区"):
            community = check(territory.community, row, department_id=department.pk)
        unit_type = check.cell(choice, "单位类型", UnitType.choices, UnitType.AGENCY)
        year = check.cell(_year, "报到年度") if text(row, "报到年度") else None
        phone = check.cell(_unit_phone, "联系电话", default="")
        key = (department.pk, community.pk, year) if department and community and year else None
        if key in seen:
            check.messages.append(
                _("与第 %(row)s 行重复（同一单位、社区、年度）。") % {"row": seen[key]}
            )
        if not check.report(plan) or key is None or department is None or community is None:
            continue
        seen[key] = number
        plan.objects.append(
            (
                number,
                UnitCheckIn(
                    department=department,
                    community=community,
                    area_path=community.path,
                    year=key[2],
                    unit_type=unit_type,
                    contact_name=text(row, "联系人")[:50],
                    contact_phone=phone,
                    commitments=text(row, "服务承诺")[:2000],
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


def _member_phone(row: dict[str, Any], header: str) -> str:
    phone = _id_text(row, header)
    if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise ValidationError(_("手机号须为 11 位数字。"))
    return phone


def _registered_on(row: dict[str, Any], header: str) -> Any:
    today = timezone.localdate()
    registered_on = day(row, header) or today
    if registered_on > today:
        raise ValidationError(_("报到日期不能晚于今天。"))
    return registered_on


def _plan_members(plan: ImportPlan, actor: Any, rows: Rows) -> None:
    spec = _spec(ImportKind.MEMBERS)
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
    checked = []
    for number, row in rows:
        check = RowCheck(number, row)
        check(imports.required, row, spec)
        community = check(territory.community, row) if text(row, "报到社区") else None
        id_number = check.cell(_id_text, "身份证号", default="")
        member = members.get(blind_index(id_number)) if id_number else None
        phone = check.cell(_member_phone, "手机号", default="")
        branch = text(row, "所在党支部") or (member.org.name if member else "")
        if member is None and (not text(row, "手机号") or not branch):
            check.messages.append(_("未在党员台账的党员须填写手机号和所在党支部。"))
        grid = None
        grid_name = text(row, "认领网格")
        if grid_name and community is not None:
            if (community.pk, grid_name) not in grids:
                for g in Grid.objects.filter(community=community).only("id", "name"):
                    grids[(community.pk, g.name)] = g
            grid = grids.get((community.pk, grid_name))
            if grid is None:
                check.messages.append(
                    _("网格“%(g)s”不在%(c)s。") % {"g": grid_name, "c": community.name}
                )
        registered_on = check.cell(_registered_on, "报到日期")
        service_areas = check.cell(choices_list, "服务领域", ServiceArea.choices, default=[])
        key = person_key(party_member=member, phone=phone)
        if check.ok and key in seen:
            check.messages.append(_("与第 %(row)s 行是同一人。") % {"row": seen[key]})
        if not check.report(plan) or community is None:
            continue
        seen[key] = number
        employer = text(row, "工作单位")[:120]
        checked.append(
            (
                number,
                {
                    "party_member": member,
                    "name": text(row, "姓名")[:50],
                    "employer": employer,
                    "employer_department": departments.get(employer),
                    "branch": branch[:120],
                    "phone": phone or (member.phone if member else "") or "",
                    "community": community,
                    "area_path": community.path,
                    "grid": grid,
                    "service_areas": service_areas,
                    "registered_on": registered_on,
                    "person_key": key,
                },
            )
        )
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


def plan_import(
    *, actor: Any, kind: str, upload: IO[bytes], progress: imports.Progress = imports.SILENT
) -> ImportPlan:
    """Check every row of the file; write nothing."""
    plan, rows = imports.start_plan(upload, _spec(kind), kind, progress)
    if plan.errors:
        return plan
    PLANNERS[kind](plan, actor, rows)
    plan.errors.sort(key=lambda error: error.row)
    return plan

"""Excel import of the ledgers: a downloadable template, a full check of every row, and an
all-or-nothing write. A file with one bad row imports nothing and reports each bad row with
its number (as Excel shows it) and every reason. Reading, cell converters and the collection of
errors are ``common.imports``; the rows' meaning is here."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import imports
from common.imports import (
    RowCheck,
    RowError,
    Rows,
    choice,
    choices_list,
    day,
    id_text,
    text,
    yes_no,
)

from .models import (
    Area,
    AreaLevel,
    Household,
    MemberStatus,
    NeedKind,
    PartyMember,
    PartyOrg,
    RelationToHead,
    Resident,
    VulnerableTag,
)
from .persons import PersonFields, clean_person
from .text import room_number, unit_number

MAX_ROWS = imports.MAX_ROWS


class ImportKind:
    RESIDENTS = "residents"
    MEMBERS = "members"
    NEEDS = "needs"


ADDRESS_HEADERS = ["小区", "楼栋", "单元", "室"]
PERSON_HEADERS = ["姓名", "性别", "出生日期", "身份证号", "手机号"]
ADDRESS_FORMATS = {
    "小区": gettext_lazy("本社区小区的名称，如 运河花园"),
    "楼栋": gettext_lazy("楼栋名称，与系统一致，如 1号楼"),
    "单元": gettext_lazy("单元号，如 1（填“1单元”也可）；无单元不填"),
    "室": gettext_lazy("室号，如 101（填“101室”也可）"),
}
PERSON_FORMATS = {
    "姓名": gettext_lazy("文本，最多 50 字"),
    "性别": gettext_lazy("男 或 女"),
    "出生日期": imports.DATE_FORMAT,
    "身份证号": gettext_lazy("18 位，按文本格式填写"),
    "手机号": gettext_lazy("11 位，按文本格式填写"),
}

TEMPLATES: dict[str, imports.Template] = {
    ImportKind.RESIDENTS: imports.Template(
        title=gettext_lazy("居民导入模板"),
        headers=[*ADDRESS_HEADERS, *PERSON_HEADERS, "与户主关系", "关爱标签"],
        required=["小区", "楼栋", "室", "姓名"],
        notes=[
            gettext_lazy(
                "每行一位居民；同一小区、楼栋、单元、室的居民归入同一住户，住户不存在时自动建档。"
            ),
        ],
        formats={
            **ADDRESS_FORMATS,
            **PERSON_FORMATS,
            "与户主关系": imports.options(RelationToHead.choices),
            "关爱标签": gettext_lazy("可填多个，用顿号或逗号分隔：")
            + imports.options(VulnerableTag.choices),
        },
    ),
    ImportKind.MEMBERS: imports.Template(
        title=gettext_lazy("党员导入模板"),
        headers=[
            *PERSON_HEADERS,
            "所在党组织",
            "党员类别",
            "入党日期",
            "工作单位",
            *ADDRESS_HEADERS,
            "党员户挂牌",
            "党员示范岗",
        ],
        required=["姓名", "所在党组织"],
        notes=[gettext_lazy("小区、楼栋、单元、室可不填；填写时须是已建档的住户。")],
        formats={
            **PERSON_FORMATS,
            "所在党组织": gettext_lazy("本社区党组织的全称"),
            "党员类别": imports.options(MemberStatus.choices),
            "入党日期": imports.DATE_FORMAT,
            "工作单位": gettext_lazy("文本，最多 120 字"),
            **ADDRESS_FORMATS,
            "党员户挂牌": imports.YES_NO_FORMAT,
            "党员示范岗": imports.YES_NO_FORMAT,
        },
    ),
    ImportKind.NEEDS: imports.Template(
        title=gettext_lazy("需求台账导入模板"),
        headers=[*ADDRESS_HEADERS, "需求类别", "需求描述", "登记日期"],
        required=["小区", "楼栋", "室", "需求类别", "需求描述"],
        notes=[gettext_lazy("住户须已建档。")],
        formats={
            **ADDRESS_FORMATS,
            "需求类别": imports.options(NeedKind.choices),
            "需求描述": gettext_lazy("文本，最多 1000 字"),
            "登记日期": format_lazy("{}{}", imports.DATE_FORMAT, gettext_lazy("；不填为今天")),
        },
    ),
}


def template_workbook(kind: str) -> bytes:
    return imports.template_workbook(TEMPLATES[kind])


@dataclass
class ImportPlan(imports.ImportPlan):
    """What a clean file will write (built by the check, applied by the service)."""

    new_households: dict[tuple[int, str, str], Household] = field(default_factory=dict)


def _gender(row: dict[str, Any], header: str) -> str:
    value = text(row, header)
    if not value:
        return ""
    gender = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
    if value.lower() not in gender:
        raise ValidationError(_("性别须填“男”或“女”。"))
    return gender[value.lower()]


class _Context:
    """The community's residential areas, buildings and households, loaded once. Units and
    rooms are compared as stored (``1单元`` is unit ``1``, ``101室`` room ``101``)."""

    def __init__(self, community: Area) -> None:
        self.community = community
        areas = Area.objects.filter(
            path__startswith=community.path,
            level__in=[AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING],
        ).only("id", "name", "path", "level", "is_active")
        estates = {a.path: a for a in areas if a.level == AreaLevel.RESIDENTIAL_AREA}
        self.buildings: dict[tuple[str, str], Area] = {}
        for area in areas:
            if area.level == AreaLevel.BUILDING:
                estate = estates.get(area.path[: -Area.steplen])
                if estate is not None:
                    self.buildings[(estate.name, area.name)] = area
        self.estate_names = {estate.name for estate in estates.values()}
        self.households = {
            (h.building_id, unit_number(h.unit), room_number(h.room)): h
            for h in Household.objects.filter(area_path__startswith=community.path).only(
                "id", "building_id", "unit", "room", "area_path"
            )
        }

    def building(self, row: dict[str, Any]) -> Area:
        estate, name = text(row, "小区"), text(row, "楼栋")
        if estate not in self.estate_names:
            raise ValidationError(
                _("小区“%(estate)s”不在%(community)s。")
                % {"estate": estate, "community": self.community.name}
            )
        building = self.buildings.get((estate, name)) or self.buildings.get((estate, f"{name}号楼"))
        if building is None:
            raise ValidationError(
                _("小区“%(estate)s”没有楼栋“%(name)s”。") % {"estate": estate, "name": name}
            )
        if not building.is_active:
            raise ValidationError(_("楼栋“%(name)s”已停用。") % {"name": name})
        return building

    def address(self, row: dict[str, Any]) -> tuple[Area, str, str]:
        building = self.building(row)
        room = room_number(text(row, "室"))
        if not room:
            raise ValidationError(_("请填写室号。"))
        return building, unit_number(text(row, "单元")), room

    def existing_household(self, row: dict[str, Any]) -> Household:
        building, unit, room = self.address(row)
        household = self.households.get((building.pk, unit, room))
        if household is None:
            raise ValidationError(_("该住户尚未建档，请先导入居民或新增住户。"))
        return household


def _person(check: RowCheck) -> dict[str, Any] | None:
    """The person's cells, each checked (every bad one reported), then the person as a whole
    (whatever else of the row was wrong)."""
    before = len(check.messages)
    fields = PersonFields(
        name=text(check.row, "姓名"),
        gender=check.cell(_gender, "性别", default=""),
        birth_date=check.cell(day, "出生日期"),
        id_number=check.cell(id_text, "身份证号", default=""),
        phone=check.cell(id_text, "手机号", default=""),
    )
    if len(check.messages) > before:
        return None
    return check(clean_person, fields)


def _plan_residents(plan: ImportPlan, ctx: _Context, rows: Rows) -> None:
    spec = TEMPLATES[ImportKind.RESIDENTS]
    seen_ids: dict[str, int] = {}
    checked: list[tuple[int, dict[str, Any], tuple[int, str, str], Area]] = []
    for number, row in rows:
        check = RowCheck(number, row)
        check(imports.required, row, spec)
        address = check(ctx.address, row) if text(row, "小区") and text(row, "楼栋") else None
        values = _person(check) or {}
        relation = check.cell(choice, "与户主关系", RelationToHead.choices, "head")
        tags = check.cell(choices_list, "关爱标签", VulnerableTag.choices, default=[])
        digest = values.get("id_number_hash")
        if digest and digest in seen_ids:
            check.messages.append(_("身份证号与第 %(row)s 行重复。") % {"row": seen_ids[digest]})
        if not check.report(plan) or address is None:
            continue
        if digest:
            seen_ids[digest] = number
        values.update(relation=relation, tags=tags)
        building, unit, room = address
        checked.append((number, values, (building.pk, unit, room), building))
    taken = set(
        Resident.objects.filter(id_number_hash__in=list(seen_ids)).values_list(
            "id_number_hash", flat=True
        )
    )
    for number, values, key, building in checked:
        if values["id_number_hash"] in taken:
            plan.errors.append(RowError(number, _("该身份证号已登记过。")))
            continue
        household = ctx.households.get(key) or plan.new_households.get(key)
        if household is None:
            household = Household(
                building=building, area_path=building.path, unit=key[1], room=key[2]
            )
            plan.new_households[key] = household
        plan.objects.append((household, values))


def _household(check: RowCheck, ctx: _Context) -> Household | None:
    row = check.row
    if text(row, "小区") or text(row, "楼栋") or text(row, "室"):
        return check(ctx.existing_household, row)
    return None


def _joined_on(row: dict[str, Any], header: str) -> date | None:
    joined_on = day(row, header)
    if joined_on and joined_on > date.today():
        raise ValidationError(_("入党日期不能晚于今天。"))
    return joined_on


def _plan_members(plan: ImportPlan, ctx: _Context, rows: Rows) -> None:
    spec = TEMPLATES[ImportKind.MEMBERS]
    orgs: dict[str, PartyOrg] = {
        org.name: org
        for org in PartyOrg.objects.filter(
            area_path__startswith=ctx.community.path, is_active=True
        ).only("id", "name", "area_path")
    }
    seen_ids: dict[str, int] = {}
    for number, row in rows:
        check = RowCheck(number, row)
        check(imports.required, row, spec)
        values = _person(check) or {}
        org = orgs.get(text(row, "所在党组织"))
        if org is None and text(row, "所在党组织"):
            check.messages.append(
                _("党组织“%(name)s”不在%(community)s。")
                % {"name": text(row, "所在党组织"), "community": ctx.community.name}
            )
        household = _household(check, ctx)
        plaque = check.cell(yes_no, "党员户挂牌", default=False)
        if plaque and household is None and check.ok:
            check.messages.append(_("党员户挂牌须填写所在住户。"))
        status = check.cell(choice, "党员类别", MemberStatus.choices, MemberStatus.FULL)
        joined_on = check.cell(_joined_on, "入党日期")
        model_post = check.cell(yes_no, "党员示范岗", default=False)
        digest = values.get("id_number_hash")
        if digest and digest in seen_ids:
            check.messages.append(_("身份证号与第 %(row)s 行重复。") % {"row": seen_ids[digest]})
        if not check.report(plan) or org is None:
            continue
        if digest:
            seen_ids[digest] = number
        values.update(
            org=org,
            area_path=org.area_path,
            status=status,
            joined_on=joined_on,
            employer=text(row, "工作单位")[:120],
            household=household,
            household_plaque=plaque,
            model_post=model_post,
        )
        plan.objects.append((number, values))
    taken = set(
        PartyMember.objects.filter(id_number_hash__in=list(seen_ids), is_active=True).values_list(
            "id_number_hash", flat=True
        )
    )
    kept = []
    for number, values in plan.objects:
        if values["id_number_hash"] in taken:
            plan.errors.append(RowError(number, _("该身份证号的党员已登记过。")))
        else:
            kept.append(values)
    plan.objects = kept


def _raised_on(row: dict[str, Any], header: str) -> date:
    raised_on = day(row, header) or date.today()
    if raised_on > date.today():
        raise ValidationError(_("登记日期不能晚于今天。"))
    return raised_on


def _plan_needs(plan: ImportPlan, ctx: _Context, rows: Rows) -> None:
    spec = TEMPLATES[ImportKind.NEEDS]
    for number, row in rows:
        check = RowCheck(number, row)
        check(imports.required, row, spec)
        household = _household(check, ctx)
        raised_on = check.cell(_raised_on, "登记日期")
        kind = check.cell(choice, "需求类别", NeedKind.choices)
        description = text(row, "需求描述")
        if len(description) > 1000:
            check.messages.append(_("需求描述不能超过 1000 字。"))
        if check.report(plan) and household is not None:
            plan.objects.append(
                {
                    "household": household,
                    "area_path": household.area_path,
                    "kind": kind,
                    "description": description,
                    "raised_on": raised_on,
                }
            )


PLANNERS: dict[str, Callable[[ImportPlan, _Context, Rows], None]] = {
    ImportKind.RESIDENTS: _plan_residents,
    ImportKind.MEMBERS: _plan_members,
    ImportKind.NEEDS: _plan_needs,
}


def read_import(
    *, kind: str, upload: IO[bytes], progress: imports.Progress = imports.SILENT
) -> tuple[ImportPlan, Rows]:
    """The file's rows, bounded and read without touching the database; a file that cannot be
    read is the plan's one error."""
    read, rows = imports.start_plan(upload, TEMPLATES[kind], kind, progress)
    return ImportPlan(kind=kind, rows=read.rows, errors=read.errors), rows


def plan_rows(*, kind: str, community: Area, rows: Rows) -> ImportPlan:
    """Check every row against the community's data as it is now; write nothing."""
    plan = ImportPlan(kind=kind, rows=len(rows))
    PLANNERS[kind](plan, _Context(community), rows)
    plan.errors.sort(key=lambda error: error.row)
    return plan


def plan_import(*, kind: str, community: Area, upload: IO[bytes]) -> ImportPlan:
    """Check every row of the file against the community's data; write nothing."""
    plan, rows = read_import(kind=kind, upload=upload)
    if plan.errors:
        return plan
    return plan_rows(kind=kind, community=community, rows=rows)

"""Excel import of the ledgers: a downloadable template, a full check of every row, and an
all-or-nothing write. A file with one bad row imports nothing and reports each bad row with
its number (as Excel shows it) and the reason."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

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

MAX_ROWS = 5000


class ImportKind:
    RESIDENTS = "residents"
    MEMBERS = "members"
    NEEDS = "needs"


ADDRESS_HEADERS = ["小区", "楼栋", "单元", "室"]
PERSON_HEADERS = ["姓名", "性别", "出生日期", "身份证号", "手机号"]

TEMPLATES: dict[str, dict[str, Any]] = {
    ImportKind.RESIDENTS: {
        "title": gettext_lazy("居民导入模板"),
        "headers": [*ADDRESS_HEADERS, *PERSON_HEADERS, "与户主关系", "关爱标签"],
        "required": ["小区", "楼栋", "室", "姓名"],
        "notes": [
            gettext_lazy(
                "每行一位居民；同一小区、楼栋、单元、室的居民归入同一住户，住户不存在时自动建档。"
            ),
            gettext_lazy("与户主关系：户主、配偶、子女、父母、孙子女、兄弟姐妹、其他。"),
            gettext_lazy("关爱标签可填多个，用顿号或逗号分隔：")
            + "、".join(str(label) for label in VulnerableTag.labels),
        ],
    },
    ImportKind.MEMBERS: {
        "title": gettext_lazy("党员导入模板"),
        "headers": [
            *PERSON_HEADERS,
            "所在党组织",
            "党员类别",
            "入党日期",
            "工作单位",
            *ADDRESS_HEADERS,
            "党员户挂牌",
            "党员示范岗",
        ],
        "required": ["姓名", "所在党组织"],
        "notes": [
            gettext_lazy("所在党组织填写本社区党组织的全称。党员类别：正式党员或预备党员。"),
            gettext_lazy("小区、楼栋、单元、室可不填；填写时须是已建档的住户。"),
            gettext_lazy("党员户挂牌、党员示范岗填“是”或“否”。"),
        ],
    },
    ImportKind.NEEDS: {
        "title": gettext_lazy("需求台账导入模板"),
        "headers": [*ADDRESS_HEADERS, "需求类别", "需求描述", "登记日期"],
        "required": ["小区", "楼栋", "室", "需求类别", "需求描述"],
        "notes": [
            gettext_lazy("住户须已建档。需求类别：")
            + "、".join(str(label) for label in NeedKind.labels),
        ],
    },
}


def template_workbook(kind: str) -> bytes:
    spec = TEMPLATES[kind]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(spec["title"])[:31]
    sheet.append([str(h) for h in spec["headers"]])
    for index, _header in enumerate(spec["headers"], start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 16
        for row in range(2, 1002):  # ID numbers and phones stay text when typed in
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
    """What a clean file will write (built by the check, applied by the service)."""

    kind: str
    rows: int = 0
    new_households: dict[tuple[int, str, str], Household] = field(default_factory=dict)
    objects: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_rows(upload: IO[bytes], kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of the first sheet as {header: value}, with the Excel row number. Raises a
    ValidationError for a file that is not the template."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("无法读取该文件，请使用下载的 Excel 模板。")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip().rstrip("*") if v is not None else "" for v in next(rows, ())]
    spec = TEMPLATES[kind]
    missing = [str(h) for h in spec["headers"] if str(h) not in header]
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
    value = row.get(header)
    if isinstance(value, int | float):
        raise ValidationError(_("%(col)s须按文本格式填写（数字会丢失末位）。") % {"col": header})
    return _text(row, header)


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
            _("%(col)s“%(value)s”不是有效日期（如 1990-01-31）。") % {"col": header, "value": text}
        ) from None


def _choice(row: dict[str, Any], header: str, choices: Any, default: str = "") -> str:
    text = _text(row, header)
    if not text:
        return default
    by_label = {str(label): value for value, label in choices}
    if text in by_label:
        return by_label[text]
    raise ValidationError(
        _("%(col)s“%(value)s”无效，可填：%(options)s")
        % {"col": header, "value": text, "options": "、".join(by_label)}
    )


def _yes_no(row: dict[str, Any], header: str) -> bool:
    text = _text(row, header)
    if text in ("", "否", "无"):
        return False
    if text in ("是", "有"):
        return True
    raise ValidationError(_("%(col)s须填“是”或“否”。") % {"col": header})


def _gender(row: dict[str, Any]) -> str:
    text = _text(row, "性别")
    if not text:
        return ""
    if text not in ("男", "女"):
        raise ValidationError(_("性别须填“男”或“女”。"))
    return "M" if text == "男" else "F"


class _Context:
    """The community's residential areas, buildings and households, loaded once."""

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
            (h.building_id, h.unit, h.room): h
            for h in Household.objects.filter(area_path__startswith=community.path).only(
                "id", "building_id", "unit", "room", "area_path"
            )
        }

    def building(self, row: dict[str, Any]) -> Area:
        estate, name = _text(row, "小区"), _text(row, "楼栋")
        if estate not in self.estate_names:
            raise ValidationError(
                _("小区“%(estate)s”不在%(community)s。")
                % {"estate": estate, "community": self.community.name}
            )
        building = self.buildings.get((estate, name))
        if building is None:
            raise ValidationError(
                _("小区“%(estate)s”没有楼栋“%(name)s”。") % {"estate": estate, "name": name}
            )
        if not building.is_active:
            raise ValidationError(_("楼栋“%(name)s”已停用。") % {"name": name})
        return building

    def address(self, row: dict[str, Any]) -> tuple[Area, str, str]:
        building = self.building(row)
        room = _text(row, "室")
        if not room:
            raise ValidationError(_("请填写室号。"))
        return building, _text(row, "单元"), room

    def existing_household(self, row: dict[str, Any]) -> Household:
        building, unit, room = self.address(row)
        household = self.households.get((building.pk, unit, room))
        if household is None:
            raise ValidationError(_("该住户尚未建档，请先导入居民或新增住户。"))
        return household


def _check_required(kind: str, row: dict[str, Any]) -> None:
    empty = [str(h) for h in TEMPLATES[kind]["required"] if not _text(row, str(h))]
    if empty:
        raise ValidationError(_("必填列未填写：%(columns)s") % {"columns": "、".join(empty)})


def _person(row: dict[str, Any]) -> dict[str, Any]:
    return clean_person(
        PersonFields(
            name=_text(row, "姓名"),
            gender=_gender(row),
            birth_date=_date(row, "出生日期"),
            id_number=_id_text(row, "身份证号"),
            phone=_id_text(row, "手机号"),
        )
    )


def _tags(row: dict[str, Any]) -> list[str]:
    text = _text(row, "关爱标签").replace(",", "、").replace("，", "、").replace(";", "、")
    by_label = {str(label): value for value, label in VulnerableTag.choices}
    tags = []
    for label in filter(None, (part.strip() for part in text.split("、"))):
        if label not in by_label:
            raise ValidationError(_("关爱标签“%(tag)s”无效。") % {"tag": label})
        tags.append(by_label[label])
    return list(dict.fromkeys(tags))


def _plan_residents(
    plan: ImportPlan, ctx: _Context, rows: list[tuple[int, dict[str, Any]]]
) -> None:
    seen_ids: dict[str, int] = {}
    checked: list[tuple[int, dict[str, Any], tuple[int, str, str], Area]] = []
    for number, row in rows:
        try:
            _check_required(ImportKind.RESIDENTS, row)
            building, unit, room = ctx.address(row)
            values = _person(row)
            values["relation"] = _choice(row, "与户主关系", RelationToHead.choices, "head")
            values["tags"] = _tags(row)
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        digest = values["id_number_hash"]
        if digest and digest in seen_ids:
            plan.errors.append(
                RowError(number, _("身份证号与第 %(row)s 行重复。") % {"row": seen_ids[digest]})
            )
            continue
        if digest:
            seen_ids[digest] = number
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


def _plan_members(plan: ImportPlan, ctx: _Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
    orgs: dict[str, PartyOrg] = {
        org.name: org
        for org in PartyOrg.objects.filter(
            area_path__startswith=ctx.community.path, is_active=True
        ).only("id", "name", "area_path")
    }
    seen_ids: dict[str, int] = {}
    for number, row in rows:
        try:
            _check_required(ImportKind.MEMBERS, row)
            values = _person(row)
            org = orgs.get(_text(row, "所在党组织"))
            if org is None:
                raise ValidationError(
                    _("党组织“%(name)s”不在%(community)s。")
                    % {"name": _text(row, "所在党组织"), "community": ctx.community.name}
                )
            household = None
            if _text(row, "小区") or _text(row, "楼栋") or _text(row, "室"):
                household = ctx.existing_household(row)
            plaque = _yes_no(row, "党员户挂牌")
            if plaque and household is None:
                raise ValidationError(_("党员户挂牌须填写所在住户。"))
            joined_on = _date(row, "入党日期")
            if joined_on and joined_on > date.today():
                raise ValidationError(_("入党日期不能晚于今天。"))
            values.update(
                org=org,
                area_path=org.area_path,
                status=_choice(row, "党员类别", MemberStatus.choices, MemberStatus.FULL),
                joined_on=joined_on,
                employer=_text(row, "工作单位")[:120],
                household=household,
                household_plaque=plaque,
                model_post=_yes_no(row, "党员示范岗"),
            )
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        digest = values["id_number_hash"]
        if digest and digest in seen_ids:
            plan.errors.append(
                RowError(number, _("身份证号与第 %(row)s 行重复。") % {"row": seen_ids[digest]})
            )
            continue
        if digest:
            seen_ids[digest] = number
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


def _plan_needs(plan: ImportPlan, ctx: _Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
    today = date.today()
    for number, row in rows:
        try:
            _check_required(ImportKind.NEEDS, row)
            household = ctx.existing_household(row)
            raised_on = _date(row, "登记日期") or today
            if raised_on > today:
                raise ValidationError(_("登记日期不能晚于今天。"))
            description = _text(row, "需求描述")
            if len(description) > 1000:
                raise ValidationError(_("需求描述不能超过 1000 字。"))
            plan.objects.append(
                {
                    "household": household,
                    "area_path": household.area_path,
                    "kind": _choice(row, "需求类别", NeedKind.choices),
                    "description": description,
                    "raised_on": raised_on,
                }
            )
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))


PLANNERS: dict[str, Callable[[ImportPlan, _Context, list[tuple[int, dict[str, Any]]]], None]] = {
    ImportKind.RESIDENTS: _plan_residents,
    ImportKind.MEMBERS: _plan_members,
    ImportKind.NEEDS: _plan_needs,
}


def plan_import(*, kind: str, community: Area, upload: IO[bytes]) -> ImportPlan:
    """Check every row of the file against the community's data; write nothing."""
    plan = ImportPlan(kind=kind)
    try:
        rows = list(read_rows(upload, kind))
    except ValidationError as exc:
        plan.errors.append(RowError(1, "；".join(exc.messages)))
        return plan
    plan.rows = len(rows)
    if not rows:
        plan.errors.append(RowError(2, _("文件中没有数据行。")))
        return plan
    PLANNERS[kind](plan, _Context(community), rows)
    plan.errors.sort(key=lambda error: error.row)
    return plan

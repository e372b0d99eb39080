"""Excel import of contracts and owners' committee members: a downloadable template, a check of
every row (with the file's other rows and the database), and an all-or-nothing write through
the services. A file with one bad row imports nothing; the page lists each bad row (its Excel
row number) and the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from governance.models import Area, AreaLevel, PropertyCompany

from . import policies, services
from .models import CommitteeRole, ContractKind, FeeLevel, OwnersCommittee, ServiceContract
from .services.companies import check_contract

MAX_ROWS = 2000

TEMPLATES: dict[str, dict[str, Any]] = {
    "contracts": {
        "title": gettext_lazy("物业服务合同导入模板"),
        "headers": [
            "社区",
            "小区",
            "服务方式",
            "物业企业",
            "合同编号",
            "起始日期",
            "终止日期",
            "收费等级",
            "物业费",
        ],
        "required": ["社区", "小区", "服务方式", "起始日期", "终止日期"],
        "notes": [
            gettext_lazy(
                "服务方式：物业企业、业主自管、社区托管/兜底；物业企业填企业全称或统一社会信用代码。"
            ),
            gettext_lazy(
                "日期如 2026-01-01；同一小区的合同时间不能重叠（与已有合同、与本文件其他行）。"
            ),
            gettext_lazy("收费等级：一级至五级；物业费单位：元/㎡·月。"),
        ],
        "back": reverse_lazy("property_mgmt:contract_list"),
        "tab": "contracts",
    },
    "members": {
        "title": gettext_lazy("业委会成员导入模板"),
        "headers": ["社区", "小区", "姓名", "职务", "中共党员", "手机号"],
        "required": ["社区", "小区", "姓名"],
        "notes": [
            gettext_lazy(
                "成员加入该小区今日在任的业主委员会。职务：主任、副主任、委员；一届只能有一位主任。"
            ),
            gettext_lazy("中共党员填“是”或“否”；手机号按文本格式填写。"),
        ],
        "back": reverse_lazy("property_mgmt:committee_list"),
        "tab": "committees",
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
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 18
        for row in range(2, 502):
            sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet(str(_("填写说明")))
    notes.append([str(_("必须填写的列：")) + "、".join(spec["required"])])
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
class Plan:
    kind: str
    rows: int = 0
    items: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    written: int = 0


def _text(row: dict[str, Any], header: str) -> str:
    value = row.get(header)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


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
            _("%(col)s“%(value)s”不是有效日期（如 2026-01-31）。") % {"col": header, "value": text}
        ) from None


def _choice(row: dict[str, Any], header: str, choices: Any) -> str:
    text = _text(row, header)
    if not text:
        return ""
    by_label = {str(label): value for value, label in choices}
    if text in by_label:
        return by_label[text]
    raise ValidationError(
        _("%(col)s“%(value)s”无效，可填：%(options)s")
        % {"col": header, "value": text, "options": "、".join(by_label)}
    )


def read_rows(upload: IO[bytes], kind: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise ValidationError(_("无法读取该文件，请使用下载的 Excel 模板。")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip().rstrip("*") if v is not None else "" for v in next(rows, ())]
    missing = [h for h in TEMPLATES[kind]["headers"] if h not in header]
    if missing:
        raise ValidationError(_("表头与模板不符，缺少列：%(c)s") % {"c": "、".join(missing)})
    found: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        if len(found) >= MAX_ROWS:
            raise ValidationError(_("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS})
        found.append((number, dict(zip(header, values, strict=False))))
    return found


class _Estates:
    """The residential areas the actor keeps, by (community, name): one query."""

    def __init__(self, actor: Any) -> None:
        areas = list(
            Area.objects.visible_to(actor)
            .filter(level__in=[AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA], is_active=True)
            .only("id", "name", "path", "level", "is_active")
        )
        communities = {a.path: a.name for a in areas if a.level == AreaLevel.COMMUNITY}
        self.by_name: dict[tuple[str, str], Area] = {}
        for area in areas:
            if area.level == AreaLevel.RESIDENTIAL_AREA:
                community = communities.get(area.path[: -Area.steplen], "")
                self.by_name[(community, area.name)] = area
        self.actor = actor

    def get(self, row: dict[str, Any]) -> Area:
        key = (_text(row, "社区"), _text(row, "小区"))
        estate = self.by_name.get(key)
        if estate is None:
            raise ValidationError(
                _("未找到%(community)s的小区“%(name)s”（或不在您的范围内）。")
                % {"community": key[0], "name": key[1]}
            )
        if not policies.can_keep(self.actor, estate.path):
            raise ValidationError(_("您不能维护小区“%(name)s”的台账。") % {"name": key[1]})
        return estate


def _required(kind: str, row: dict[str, Any]) -> None:
    empty = [h for h in TEMPLATES[kind]["required"] if not _text(row, h)]
    if empty:
        raise ValidationError(_("必填列未填写：%(c)s") % {"c": "、".join(empty)})


def _plan_contracts(plan: Plan, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    estates = _Estates(actor)
    companies = {c.name: c for c in PropertyCompany.objects.filter(is_active=True)}
    companies.update({c.credit_code: c for c in companies.values()})
    seen: list[tuple[int, Area, date, date]] = []
    for number, row in rows:
        try:
            _required("contracts", row)
            estate = estates.get(row)
            kind = _choice(row, "服务方式", ContractKind.choices)
            company_text = _text(row, "物业企业")
            company = companies.get(company_text.upper()) or companies.get(company_text)
            if company_text and company is None:
                raise ValidationError(_("未找到物业企业“%(name)s”。") % {"name": company_text})
            fee = _text(row, "物业费")
            try:
                fee_value = Decimal(fee) if fee else None
            except InvalidOperation:
                raise ValidationError(_("物业费“%(v)s”不是数字。") % {"v": fee}) from None
            values: dict[str, Any] = {
                "area": estate,
                "kind": kind,
                "company": company,
                "starts_on": _date(row, "起始日期"),
                "ends_on": _date(row, "终止日期"),
                "number": _text(row, "合同编号")[:40],
                "fee_level": _choice(row, "收费等级", FeeLevel.choices),
                "fee_per_sqm": fee_value,
            }
            check_contract(
                area=estate,
                kind=kind,
                company=company,
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
                fee_level=values["fee_level"],
                fee_per_sqm=fee_value,
            )
            for other_row, other_area, start, end in seen:
                if (
                    other_area.pk == estate.pk
                    and start <= values["ends_on"]
                    and end >= values["starts_on"]
                ):
                    raise ValidationError(_("与第 %(row)s 行的合同时间重叠。") % {"row": other_row})
            existing = ServiceContract.objects.filter(
                area=estate, starts_on__lte=values["ends_on"], ends_on__gte=values["starts_on"]
            ).first()
            if existing is not None:
                raise services.companies.overlap_error(existing)
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        seen.append((number, estate, values["starts_on"], values["ends_on"]))
        plan.items.append(values)


def _plan_members(plan: Plan, actor: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
    estates = _Estates(actor)
    today = timezone.localdate()
    chairs: dict[int, int] = {}
    for number, row in rows:
        try:
            _required("members", row)
            estate = estates.get(row)
            committee = OwnersCommittee.objects.filter(
                area=estate, term_starts_on__lte=today, term_ends_on__gte=today
            ).first()
            if committee is None:
                raise ValidationError(
                    _("小区“%(name)s”没有在任的业主委员会。") % {"name": estate.name}
                )
            role = _choice(row, "职务", CommitteeRole.choices) or CommitteeRole.MEMBER
            party = _text(row, "中共党员")
            if party not in ("", "是", "否"):
                raise ValidationError(_("中共党员须填“是”或“否”。"))
            phone_value = row.get("手机号")
            if isinstance(phone_value, int | float):
                raise ValidationError(_("手机号须按文本格式填写。"))
            services.committees.clean_member(
                committee,
                name=_text(row, "姓名"),
                role=role,
                household=None,
                party_member=None,
                phone=_text(row, "手机号"),
            )
            if role == CommitteeRole.CHAIR:
                if committee.pk in chairs:
                    raise ValidationError(
                        _("与第 %(row)s 行同为主任。") % {"row": chairs[committee.pk]}
                    )
                if committee.members.filter(
                    role=CommitteeRole.CHAIR, left_on__isnull=True
                ).exists():
                    raise ValidationError(_("本届业委会已有在任主任。"))
                chairs[committee.pk] = number
        except ValidationError as exc:
            plan.errors.append(RowError(number, "；".join(exc.messages)))
            continue
        plan.items.append(
            {
                "committee": committee,
                "name": _text(row, "姓名"),
                "role": role,
                "is_party_member": party == "是",
                "phone": _text(row, "手机号"),
            }
        )


PLANNERS: dict[str, Callable[[Plan, Any, list[tuple[int, dict[str, Any]]]], None]] = {
    "contracts": _plan_contracts,
    "members": _plan_members,
}
WRITERS: dict[str, Callable[..., Any]] = {
    "contracts": services.contract_create,
    "members": services.member_add,
}


def plan_import(*, actor: Any, kind: str, upload: IO[bytes]) -> Plan:
    """Check every row; write nothing."""
    plan = Plan(kind=kind)
    try:
        rows = read_rows(upload, kind)
    except ValidationError as exc:
        plan.errors.append(RowError(1, "；".join(exc.messages)))
        return plan
    plan.rows = len(rows)
    if not rows:
        plan.errors.append(RowError(2, _("文件中没有数据行。")))
        return plan
    PLANNERS[kind](plan, actor, rows)
    plan.errors.sort(key=lambda e: e.row)
    return plan


def run_import(*, actor: Any, kind: str, upload: IO[bytes]) -> Plan:
    """Check the file; when every row is clean, write them all in one transaction (a refusal
    of any row rolls back the others)."""
    if not policies.can_keep_any(actor):
        raise PermissionDenied
    plan = plan_import(actor=actor, kind=kind, upload=upload)
    if plan.errors:
        return plan
    with transaction.atomic():
        for item in plan.items:
            WRITERS[kind](actor=actor, **item)
            plan.written += 1
    return plan

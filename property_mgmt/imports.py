"""Excel import of contracts and owners' committee members: a downloadable template, a check of
every row (with the file's other rows and the database), and an all-or-nothing write through
the services. A file with one bad row imports nothing; the page lists each bad row (its Excel
row number) and the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import imports
from common.importjobs import import_runner
from common.imports import RowCheck, Rows, choice, day, text, yes_no
from governance.models import Area, AreaLevel, PropertyCompany

from . import policies, services
from .models import CommitteeRole, ContractKind, FeeLevel, OwnersCommittee, ServiceContract
from .services.companies import check_contract

MAX_ROWS = 2000


@dataclass(frozen=True)
class PropertyTemplate(imports.Template):
    """A template and where its page sits: the ledger it returns to and its tab."""

    back: Any = ""
    tab: str = ""
    max_rows: int = MAX_ROWS


TEMPLATES: dict[str, PropertyTemplate] = {
    "contracts": PropertyTemplate(
        title=gettext_lazy("物业服务合同导入模板"),
        headers=[
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
        required=["社区", "小区", "服务方式", "起始日期", "终止日期"],
        notes=[
            gettext_lazy("同一小区的合同时间不能重叠（与已有合同、与本文件其他行）。"),
        ],
        formats={
            "社区": gettext_lazy("社区全称"),
            "小区": gettext_lazy("该社区小区的名称"),
            "服务方式": imports.options(ContractKind.choices),
            "物业企业": gettext_lazy("企业全称或统一社会信用代码；服务方式为物业企业时填写"),
            "起始日期": imports.DATE_FORMAT,
            "终止日期": imports.DATE_FORMAT,
            "收费等级": imports.options(FeeLevel.choices),
            "物业费": gettext_lazy("数字，单位 元/㎡·月，如 1.20"),
        },
        back=reverse_lazy("property_mgmt:contract_list"),
        tab="contracts",
    ),
    "members": PropertyTemplate(
        title=gettext_lazy("业委会成员导入模板"),
        headers=["社区", "小区", "姓名", "职务", "中共党员", "手机号"],
        required=["社区", "小区", "姓名"],
        notes=[
            gettext_lazy(
                "成员加入该小区今日在任的业主委员会。职务：主任、副主任、委员；一届只能有一位主任。"
            ),
        ],
        formats={
            "社区": gettext_lazy("社区全称"),
            "小区": gettext_lazy("该社区小区的名称"),
            "职务": imports.options(CommitteeRole.choices),
            "中共党员": imports.YES_NO_FORMAT,
            "手机号": imports.TEXT_FORMAT,
        },
        back=reverse_lazy("property_mgmt:committee_list"),
        tab="committees",
    ),
}


def template_workbook(kind: str) -> bytes:
    return imports.template_workbook(TEMPLATES[kind])


@dataclass
class Plan(imports.ImportPlan):
    items: list[dict[str, Any]] = field(default_factory=list)
    written: int = 0


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
        key = (text(row, "社区"), text(row, "小区"))
        estate = self.by_name.get(key)
        if estate is None:
            raise ValidationError(
                _("未找到%(community)s的小区“%(name)s”（或不在您的范围内）。")
                % {"community": key[0], "name": key[1]}
            )
        if not policies.can_keep(self.actor, estate.path):
            raise ValidationError(_("您不能维护小区“%(name)s”的台账。") % {"name": key[1]})
        return estate


def _fee(row: dict[str, Any], header: str) -> Decimal | None:
    fee = text(row, header)
    try:
        return Decimal(fee) if fee else None
    except InvalidOperation:
        raise ValidationError(_("物业费“%(v)s”不是数字。") % {"v": fee}) from None


def _plan_contracts(plan: Plan, actor: Any, rows: Rows) -> None:
    spec = TEMPLATES["contracts"]
    estates = _Estates(actor)
    companies = {c.name: c for c in PropertyCompany.objects.filter(is_active=True)}
    companies.update({c.credit_code: c for c in companies.values()})
    seen: list[tuple[int, Area, date, date]] = []
    for number, row in rows:
        check = RowCheck(number, row)
        check(imports.required, row, spec)
        estate = check(estates.get, row) if text(row, "社区") and text(row, "小区") else None
        kind = check.cell(choice, "服务方式", ContractKind.choices, default="")
        company_text = text(row, "物业企业")
        company = companies.get(company_text.upper()) or companies.get(company_text)
        if company_text and company is None:
            check.messages.append(_("未找到物业企业“%(name)s”。") % {"name": company_text})
        values: dict[str, Any] = {
            "area": estate,
            "kind": kind,
            "company": company,
            "starts_on": check.cell(day, "起始日期"),
            "ends_on": check.cell(day, "终止日期"),
            "number": text(row, "合同编号")[:40],
            "fee_level": check.cell(choice, "收费等级", FeeLevel.choices, default=""),
            "fee_per_sqm": check.cell(_fee, "物业费"),
        }
        if check.ok and estate is not None:
            check(
                check_contract,
                **{k: v for k, v in values.items() if k != "number"},
            )
        if check.ok and estate is not None:
            for other_row, other_area, start, end in seen:
                if (
                    other_area.pk == estate.pk
                    and start <= values["ends_on"]
                    and end >= values["starts_on"]
                ):
                    check.messages.append(_("与第 %(row)s 行的合同时间重叠。") % {"row": other_row})
                    break
            existing = ServiceContract.objects.filter(
                area=estate, starts_on__lte=values["ends_on"], ends_on__gte=values["starts_on"]
            ).first()
            if existing is not None:
                check.messages.extend(services.companies.overlap_error(existing).messages)
        if not check.report(plan) or estate is None:
            continue
        seen.append((number, estate, values["starts_on"], values["ends_on"]))
        plan.items.append(values)


def _phone(row: dict[str, Any], header: str) -> str:
    if isinstance(row.get(header), int | float):
        raise ValidationError(_("手机号须按文本格式填写。"))
    return text(row, header)


def _plan_members(plan: Plan, actor: Any, rows: Rows) -> None:
    spec = TEMPLATES["members"]
    estates = _Estates(actor)
    today = timezone.localdate()
    chairs: dict[int, int] = {}
    for number, row in rows:
        check = RowCheck(number, row)
        check(imports.required, row, spec)
        estate = check(estates.get, row) if text(row, "社区") and text(row, "小区") else None
        committee = None
        if estate is not None:
            committee = OwnersCommittee.objects.filter(
                area=estate, term_starts_on__lte=today, term_ends_on__gte=today
            ).first()
            if committee is None:
                check.messages.append(
                    _("小区“%(name)s”没有在任的业主委员会。") % {"name": estate.name}
                )
        role = check.cell(choice, "职务", CommitteeRole.choices, default="") or CommitteeRole.MEMBER
        party = check.cell(yes_no, "中共党员", default=False)
        phone = check.cell(_phone, "手机号", default="")
        if committee is not None and check.ok:
            check(
                services.committees.clean_member,
                committee,
                name=text(row, "姓名"),
                role=role,
                household=None,
                party_member=None,
                phone=phone,
            )
        if committee is not None and role == CommitteeRole.CHAIR:
            if committee.pk in chairs:
                check.messages.append(
                    _("与第 %(row)s 行同为主任。") % {"row": chairs[committee.pk]}
                )
            elif committee.members.filter(role=CommitteeRole.CHAIR, left_on__isnull=True).exists():
                check.messages.append(_("本届业委会已有在任主任。"))
            else:
                chairs[committee.pk] = number
        if not check.report(plan) or committee is None:
            continue
        plan.items.append(
            {
                "committee": committee,
                "name": text(row, "姓名"),
                "role": role,
                "is_party_member": party,
                "phone": phone,
            }
        )


PLANNERS: dict[str, Callable[[Plan, Any, Rows], None]] = {
    "contracts": _plan_contracts,
    "members": _plan_members,
}
WRITERS: dict[str, Callable[..., Any]] = {
    "contracts": services.contract_create,
    "members": services.member_add,
}


def plan_import(
    *, actor: Any, kind: str, upload: IO[bytes], progress: imports.Progress = imports.SILENT
) -> Plan:
    """Check every row; write nothing."""
    read, rows = imports.start_plan(upload, TEMPLATES[kind], kind, progress)
    plan = Plan(kind=kind, rows=read.rows, errors=read.errors)
    if plan.errors:
        return plan
    PLANNERS[kind](plan, actor, rows)
    plan.errors.sort(key=lambda e: e.row)
    return plan


def run_import(
    *, actor: Any, kind: str, upload: IO[bytes], progress: imports.Progress = imports.SILENT
) -> Plan:
    """Check the file without a transaction; when every row is clean, write them all in one
    transaction (a refusal of any row, e.g. a contract someone saved in between, rolls back
    the others)."""
    if not policies.can_keep_any(actor):
        raise PermissionDenied
    plan = plan_import(actor=actor, kind=kind, upload=upload, progress=progress)
    if plan.errors:
        return plan
    progress.phase(imports.WRITING, len(plan.items))
    with transaction.atomic():
        for item in plan.items:
            WRITERS[kind](actor=actor, **item)
            plan.written += 1
            progress(plan.written)
    return plan


@import_runner(summary=lambda plan: _("已导入 %(n)s 条记录。") % {"n": plan.written})
def import_job(
    *, actor: Any, upload: Any, params: dict[str, Any], progress: imports.Progress
) -> Plan:
    """The worker's side of the property import pages (``common.importjobs``)."""
    return run_import(actor=actor, kind=params["kind"], upload=upload, progress=progress)

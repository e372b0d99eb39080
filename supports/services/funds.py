"""Writes of the community funds (两项经费): budgets and spending entries, one by one or from
an Excel file.

Concurrency: every write that changes what a budget has left locks the budget's row
(``select_for_update``) before it sums the spending, so two entries recorded at once can never
together take a budget past its amount: the second waits for the first and then sees it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import Conflict
from common.importjobs import import_runner
from governance.models import Area, AreaLevel

from .. import imports, policies
from ..models import FundBudget, FundKind, FundSpending, SpendingPurpose
from ._base import audit, require, system_or, today, user_or_none

MAX_VOUCHER_BYTES = 10 * 1024 * 1024
#: Accepted voucher files, recognised by their first bytes (the name and the browser's type
#: are not trusted).
VOUCHER_TYPES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
CENT = Decimal("0.01")


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def spent_of(budget: FundBudget) -> Decimal:
    total = budget.spendings.aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


@transaction.atomic
def budget_set(
    *,
    actor: Any,
    community: Area,
    year: int,
    kind: str,
    amount: Decimal,
    note: str = "",
    expected_updated_at: datetime | None = None,
) -> FundBudget:
    """Allot (or change) a community's budget of one kind for a year. A budget cannot drop
    below what has been spent from it; an edit made on a stale copy is refused (409)."""
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("经费预算须下达到社区。")})
    system_or(actor, lambda: policies.can_set_budget(actor, community.path))
    errors = {}
    if kind not in FundKind.values:
        errors["kind"] = _("请选择经费类别。")
    if amount < 0:
        errors["amount"] = _("预算金额不能为负数。")
    elif amount != amount.quantize(CENT):
        errors["amount"] = _("金额最多保留两位小数。")
    if not 2000 <= year <= today().year + 1:
        errors["year"] = _("年度无效。")
    if errors:
        raise ValidationError(errors)
    budget = (
        FundBudget.objects.select_for_update()
        .filter(community=community, year=year, kind=kind)
        .first()
    )
    created = budget is None
    if budget is None:
        budget = FundBudget(community=community, area_path=community.path, year=year, kind=kind)
    else:
        if expected_updated_at is not None and budget.updated_at != expected_updated_at:
            raise Conflict(_("该预算已被他人修改，请刷新后重新填写。"))
        spent = spent_of(budget)
        if amount < spent:
            raise ValidationError(
                {
                    "amount": _("已支出 %(spent)s 元，预算不能低于已支出金额。")
                    % {"spent": _money(spent)}
                }
            )
    before = budget.amount
    budget.amount, budget.note, budget.set_by = amount, note.strip(), user_or_none(actor)
    budget.full_clean(validate_unique=False)
    budget.save()
    audit(
        actor=actor,
        target=budget,
        event="fund.budget_set",
        created=created,
        amount=str(amount),
        before=None if created else str(before),
    )
    return budget


def check_voucher(upload: Any) -> tuple[ContentFile[bytes], str]:
    """A voucher must be a PDF, JPEG or PNG of at most 10 MB, recognised by its content."""
    if (upload.size or 0) > MAX_VOUCHER_BYTES:
        raise ValidationError({"voucher": _("凭证附件不能超过 10 MB。")})
    data = upload.read()
    for magic, content_type, extension in VOUCHER_TYPES:
        if data.startswith(magic):
            return ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}"), content_type
    raise ValidationError({"voucher": _("凭证附件须为 PDF、JPG 或 PNG 文件。")})


def _check_entry(
    budget: FundBudget, *, spent_on: date, purpose: str, amount: Decimal, left: Decimal
) -> dict[str, str]:
    errors = {}
    if spent_on.year != budget.year:
        errors["spent_on"] = _("支出日期须在 %(year)s 年内。") % {"year": budget.year}
    elif spent_on > today():
        errors["spent_on"] = _("支出日期不能晚于今天。")
    if purpose not in SpendingPurpose.values:
        errors["purpose"] = _("请选择用途。")
    if amount <= 0:
        errors["amount"] = _("金额须大于 0。")
    elif amount != amount.quantize(CENT):
        errors["amount"] = _("金额最多保留两位小数。")
    elif amount > left:
        errors["amount"] = _("超出预算：%(kind)s余额 %(left)s 元，本笔 %(amount)s 元。") % {
            "kind": budget.get_kind_display(),
            "left": _money(left),
            "amount": _money(amount),
        }
    return errors


@transaction.atomic
def spending_record(
    *,
    actor: Any,
    budget: FundBudget,
    spent_on: date,
    purpose: str,
    description: str,
    amount: Decimal,
    approver: str,
    voucher_no: str = "",
    voucher: Any = None,
) -> FundSpending:
    """Record a payment out of a budget. Refused when it would take the budget's spending past
    its amount; the budget row is locked first, so concurrent entries cannot both slip in."""
    budget = FundBudget.objects.select_for_update().get(pk=budget.pk)
    system_or(actor, lambda: policies.can_record_spending(actor, budget.area_path))
    left = budget.amount - spent_of(budget)
    errors = _check_entry(budget, spent_on=spent_on, purpose=purpose, amount=amount, left=left)
    if not approver.strip():
        errors["approver"] = _("请填写审批人。")
    stored, content_type = None, ""
    if voucher is not None:
        try:
            stored, content_type = check_voucher(voucher)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    entry = FundSpending(
        budget=budget,
        area_path=budget.area_path,
        spent_on=spent_on,
        purpose=purpose,
        description=description.strip(),
        amount=amount,
        approver=approver.strip(),
        voucher_no=voucher_no.strip(),
        voucher_type=content_type,
        recorded_by=user_or_none(actor),
    )
    if stored is not None:
        entry.voucher.save(stored.name or "voucher", stored, save=False)
    entry.full_clean(exclude=["voucher"])
    entry.save()
    audit(
        actor=actor,
        target=entry,
        event="fund.spend",
        created=True,
        budget=budget.pk,
        amount=str(amount),
    )
    return entry


SPENDING_TEMPLATE = imports.Template(
    title=gettext_lazy("经费支出导入模板"),
    headers=("支出日期", "经费类别", "用途", "事由", "金额（元）", "审批人", "凭证号"),
    required=("支出日期", "经费类别", "用途", "事由", "金额（元）", "审批人"),
    notes=(
        gettext_lazy("每行一笔支出，导入到所选社区和年度的预算。经费类别：")
        + "、".join(str(label) for label in FundKind.labels),
        gettext_lazy("用途：") + "、".join(str(label) for label in SpendingPurpose.labels),
        gettext_lazy("支出合计不能超过该类经费的预算余额；凭证附件请在导入后逐笔上传。"),
    ),
    formats={
        "支出日期": imports.DATE_FORMAT,
        "经费类别": imports.options(FundKind.choices),
        "用途": imports.options(SpendingPurpose.choices),
        "事由": gettext_lazy("文本，最多 200 字"),
        "金额（元）": gettext_lazy("数字，最多两位小数，如 1200.50"),
    },
)


def _plan_spending(
    plan: imports.ImportPlan, rows: list[tuple[int, dict]], budgets: dict[str, FundBudget]
) -> None:
    left = {kind: budget.amount - spent_of(budget) for kind, budget in budgets.items()}
    for number, row in rows:
        check = imports.RowCheck(number, row)
        check(imports.required, row, SPENDING_TEMPLATE)
        kind = check.cell(imports.choice, "经费类别", FundKind.choices)
        budget = budgets.get(kind) if kind else None
        if kind and budget is None:
            check.messages.append(
                _("该社区本年度尚未下达%(kind)s预算。") % {"kind": FundKind(kind).label}
            )
        spent_on = check.cell(imports.day, "支出日期")
        amount = check.cell(imports.amount, "金额（元）")
        purpose = check.cell(imports.choice, "用途", SpendingPurpose.choices)
        description = imports.text(row, "事由")
        if len(description) > 200:
            check.messages.append(_("事由不能超过 200 字。"))
        if budget is not None and spent_on is not None and amount is not None and purpose:
            errors = _check_entry(
                budget, spent_on=spent_on, purpose=purpose, amount=amount, left=left[kind]
            )
            check.messages.extend(str(m) for m in errors.values())
        if not check.report(plan) or budget is None or amount is None or spent_on is None:
            continue
        left[kind] -= amount
        plan.objects.append(
            FundSpending(
                budget=budget,
                area_path=budget.area_path,
                spent_on=spent_on,
                purpose=purpose,
                description=description,
                amount=amount,
                approver=imports.text(row, "审批人")[:50],
                voucher_no=imports.text(row, "凭证号")[:40],
            )
        )


def spending_import(
    *,
    actor: Any,
    community: Area,
    year: int,
    upload: IO[bytes],
    progress: imports.Progress = imports.SILENT,
) -> imports.ImportPlan:
    """Import a file of spending entries into a community's budgets of ``year``: every row is
    checked (the running total against each budget's balance included) and nothing is written
    unless the whole file is clean. Returns the plan, whose ``errors`` list each bad row.

    The file is read and checked without a lock; the write locks the budgets and checks the
    rows again against their balances as they are then (another entry may have been saved)."""
    require(actor is None or policies.can_record_spending(actor, community.path))
    plan, rows = imports.start_plan(upload, SPENDING_TEMPLATE, progress=progress)
    if plan.errors:
        return plan
    budgets = FundBudget.objects.filter(community=community, year=year)
    _plan_spending(plan, rows, {budget.kind: budget for budget in budgets})
    if plan.errors:
        return plan
    progress.phase(imports.WRITING, len(rows))
    with transaction.atomic():
        plan = imports.ImportPlan(rows=len(rows))
        _plan_spending(plan, rows, {budget.kind: budget for budget in budgets.select_for_update()})
        if not plan.errors:
            _write_spending(actor=actor, community=community, year=year, plan=plan)
    return plan


def _write_spending(*, actor: Any, community: Area, year: int, plan: imports.ImportPlan) -> None:
    recorder = user_or_none(actor)
    for entry in plan.objects:
        entry.recorded_by = recorder
    FundSpending.objects.bulk_create(plan.objects)
    audit(
        actor=actor,
        target=community,
        event="fund.import",
        created=True,
        year=year,
        rows=len(plan.objects),
        total=str(sum((entry.amount for entry in plan.objects), Decimal("0"))),
    )


@import_runner(summary=lambda plan: _("已导入 %(n)s 笔支出。") % {"n": len(plan.objects)})
def spending_import_job(
    *, actor: Any, upload: Any, params: dict[str, Any], progress: imports.Progress
) -> imports.ImportPlan:
    """The worker's side of the spending import page (``common.importjobs``)."""
    return spending_import(
        actor=actor,
        community=Area.objects.get(pk=params["community"]),
        year=params["year"],
        upload=upload,
        progress=progress,
    )

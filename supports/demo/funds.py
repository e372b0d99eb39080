"""两项经费: for every community 260,000 / 80,000 yuan this year (last year's lower budgets are
flagged by the rule check), with spending entries by purpose."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from governance.models import Area, AreaLevel

from ..models import (
    FundBudget,
    FundKind,
    FundSpending,
)
from ..services import funds

PURPOSE_TEXTS = [
    ("operations", "办公用品及水电费"),
    ("position", "党群服务中心维修改造"),
    ("activities", "主题党日活动"),
    ("services", "“微心愿”服务项目"),
    ("care", "困难群众节日慰问"),
    ("training", "网格员业务培训"),
]


def seed(log: Any, rng: random.Random) -> None:
    if FundBudget.objects.exists():
        log(f"两项经费: 已有 {FundBudget.objects.count()} 条预算，跳过")
        return
    this_year = timezone.localdate().year
    today = timezone.localdate()
    entries: list[FundSpending] = []
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    plan = {
        this_year - 1: {FundKind.WORK: Decimal("200000"), FundKind.SERVICE: Decimal("50000")},
        this_year: {FundKind.WORK: Decimal("260000"), FundKind.SERVICE: Decimal("80000")},
    }
    for year, amounts in plan.items():
        for community in communities:
            for kind, amount in amounts.items():
                budget = funds.budget_set(
                    actor=None,
                    community=community,
                    year=year,
                    kind=kind,
                    amount=amount,
                    note="区财政下达" if year == this_year else "上年度标准",
                )
                share = (
                    Decimal("0.94")
                    if year < this_year
                    else Decimal((today.timetuple().tm_yday / 366) * 0.9).quantize(Decimal("0.01"))
                )
                entries += _spending(budget, amount * share, rng, year, today)
    FundSpending.objects.bulk_create(entries, batch_size=1000)
    log(
        f"两项经费: {len(communities)} 个社区 × 2 年预算，支出 {len(entries)} 笔"
        f"（本年度工作经费 260,000 元、服务群众专项经费 80,000 元）"
    )


def _spending(
    budget: FundBudget, total: Decimal, rng: random.Random, year: int, today: date
) -> list[FundSpending]:
    """Entries adding up to no more than ``total`` (under the budget), dated within the year
    and not after today; bulk-loaded like the other demo ledgers."""
    count = 8 if budget.kind == FundKind.WORK else 5
    last = today if year == today.year else date(year, 12, 31)
    span = (last - date(year, 1, 1)).days
    parts = [Decimal(rng.randint(5, 15)) for _ in range(count)]
    scale = total / sum(parts)
    rows = []
    for index, part in enumerate(parts):
        purpose, text = PURPOSE_TEXTS[(index + budget.pk) % len(PURPOSE_TEXTS)]
        if budget.kind == FundKind.SERVICE and purpose in ("operations", "position"):
            purpose, text = "services", "服务群众专项项目"
        rows.append(
            FundSpending(
                budget=budget,
                area_path=budget.area_path,
                spent_on=date(year, 1, 1) + timedelta(days=(span * (index + 1)) // (count + 1)),
                purpose=purpose,
                description=text,
                amount=(part * scale).quantize(Decimal("1")),
                approver="街道分管领导",
                voucher_no=f"{year}-{budget.pk:04d}-{index + 1:02d}",
            )
        )
    return rows

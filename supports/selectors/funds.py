"""Reads of the community funds: one row per community and year with both budgets, what was
spent and what is left, the district rule check, the spending ledger and spending by
purpose."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import Actor
from governance.models import Area

from ..models import DISTRICT_STANDARD, FundBudget, FundKind, FundSpending, SpendingPurpose
from ..querysets import FUND_ROLES
from ._base import areas_in_scope, ordered, under

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _budget(kind: str, year: int, value: str = "amount") -> Subquery:
    rows = FundBudget.objects.filter(community=OuterRef("pk"), year=year, kind=kind)
    output = MONEY if value == "amount" else IntegerField()
    return Subquery(rows.values(value)[:1], output_field=output)


def _spent(kind: str, year: int) -> Coalesce:
    rows = (
        FundSpending.objects.filter(
            budget__community=OuterRef("pk"), budget__year=year, budget__kind=kind
        )
        .order_by()
        .values(total=Func(F("amount"), function="SUM"))
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Decimal("0"), output_field=MONEY)


def _below(kind: str) -> Q:
    field = f"{kind}_budget"
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": DISTRICT_STANDARD[kind]})


FUND_ORDERINGS = {
    "community": "path",
    "-community": "-path",
    "work": "work_budget",
    "-work": "-work_budget",
    "service": "service_budget",
    "-service": "-service_budget",
    "work_left": "work_left",
    "-work_left": "-work_left",
    "service_left": "service_left",
    "-service_left": "-service_left",
}


def fund_rows(
    *,
    actor: Actor,
    year: int,
    street: Area | None = None,
    flagged: str = "",
    search: str = "",
    ordering: str = "community",
) -> QuerySet[Area]:
    """The communities in scope, each with the year's two budgets, spent and left: one query
    for the page. ``flagged`` "yes" keeps those below the district standard (or with no
    budget), "no" those that meet it."""
    rows = areas_in_scope(actor=actor, roles=FUND_ROLES).select_related(None)
    rows = rows.filter(under("path", street)).annotate(
        work_budget=_budget(FundKind.WORK, year),
        work_budget_id=_budget(FundKind.WORK, year, "pk"),
        work_spent=_spent(FundKind.WORK, year),
        service_budget=_budget(FundKind.SERVICE, year),
        service_budget_id=_budget(FundKind.SERVICE, year, "pk"),
        service_spent=_spent(FundKind.SERVICE, year),
    )
    rows = rows.annotate(
        work_left=F("work_budget") - F("work_spent"),
        service_left=F("service_budget") - F("service_spent"),
    )
    below = _below(FundKind.WORK) | _below(FundKind.SERVICE)
    if flagged == "yes":
        rows = rows.filter(below)
    elif flagged == "no":
        rows = rows.exclude(below)
    if search:
        rows = rows.filter(name__icontains=search)
    return ordered(rows, FUND_ORDERINGS, ordering, "community")


def flags_of(row: Any) -> list[str]:
    """What the district rule says of a row of :func:`fund_rows` (empty: it meets it)."""
    problems = []
    for kind in FundKind.values:
        amount = getattr(row, f"{kind}_budget")
        label = FundKind(kind).label
        if amount is None:
            problems.append(_("未下达%(kind)s") % {"kind": label})
        elif amount < DISTRICT_STANDARD[kind]:
            problems.append(
                _("%(kind)s %(amount)s 元，低于区定标准 %(standard)s 元")
                % {
                    "kind": label,
                    "amount": f"{amount:,.0f}",
                    "standard": f"{DISTRICT_STANDARD[kind]:,.0f}",
                }
            )
    return problems


def budget_get(*, actor: Actor, pk: int) -> FundBudget:
    budgets = FundBudget.objects.visible_to(actor).select_related("community", "set_by")
    budget: FundBudget = get_object_or_404(budgets, pk=pk)
    return budget


@dataclass(frozen=True)
class PurposeLine:
    purpose: str
    label: Any
    amount: Decimal
    entries: int
    share: float


def by_purpose(spendings: QuerySet[FundSpending]) -> list[PurposeLine]:
    """Spending grouped by purpose, largest first, with each purpose's share of the total."""
    rows = list(
        spendings.order_by()
        .values("purpose")
        .annotate(amount=Sum("amount"), entries=Count("pk"))
        .order_by("-amount")
    )
    total = sum((row["amount"] for row in rows), Decimal("0"))
    return [
        PurposeLine(
            purpose=row["purpose"],
            label=SpendingPurpose(row["purpose"]).label,
            amount=row["amount"],
            entries=row["entries"],
            share=float(row["amount"] / total * 100) if total else 0.0,
        )
        for row in rows
    ]


def budget_summary(budget: FundBudget) -> dict[str, Any]:
    spent = budget.spendings.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return {
        "spent": spent,
        "left": budget.amount - spent,
        "used_pct": float(spent / budget.amount * 100) if budget.amount else 0.0,
        "below": budget.below_standard,
        "standard": budget.standard,
    }


SPENDING_ORDERINGS = {
    "date": "spent_on",
    "-date": "-spent_on",
    "amount": "amount",
    "-amount": "-amount",
    "community": ("area_path", "-spent_on"),
    "-community": ("-area_path", "-spent_on"),
}


def spending_list(
    *,
    actor: Actor,
    year: int | None = None,
    kind: str = "",
    purpose: str = "",
    community: int | None = None,
    budget: int | None = None,
    search: str = "",
    ordering: str = "-date",
) -> QuerySet[FundSpending]:
    spendings = FundSpending.objects.visible_to(actor).select_related("budget", "budget__community")
    if year:
        spendings = spendings.filter(budget__year=year)
    if kind:
        spendings = spendings.filter(budget__kind=kind)
    if purpose:
        spendings = spendings.filter(purpose=purpose)
    if community is not None:
        spendings = spendings.filter(budget__community_id=community)
    if budget is not None:
        spendings = spendings.filter(budget_id=budget)
    if search:
        spendings = spendings.filter(
            Q(description__icontains=search)
            | Q(approver__icontains=search)
            | Q(voucher_no__icontains=search)
        )
    return ordered(spendings, SPENDING_ORDERINGS, ordering, "-date")


def spending_get(*, actor: Actor, pk: int) -> FundSpending:
    spending: FundSpending = get_object_or_404(
        FundSpending.objects.visible_to(actor).select_related("budget", "budget__community"),
        pk=pk,
    )
    return spending


def budget_year(*, actor: Actor) -> int | None:
    """The budget year a page or figure shows by default: this year once any budget of it is
    in scope, else the latest earlier year that has one (else the first one planned)."""
    years = set(FundBudget.objects.visible_to(actor).values_list("year", flat=True).distinct())
    if not years:
        return None
    past = [year for year in years if year <= timezone.localdate().year]
    return max(past) if past else min(years)

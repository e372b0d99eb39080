"""The seed report's figures that the three supports record, computed live from the actor's
scope (the dashboards collect them for ``/dashboard/`` and ``GET /api/v1/stats/seed-figures/``).

* ``secretary_studios`` (seed 1, "打造优秀党组织书记工作室1个"): active studios.
* ``studio_problems_solved`` (seed 40, "化解基层疑难杂症40余个"): difficult problems of the
  scope's communities in the state 已化解.
* ``community_work_fund_yuan`` / ``community_service_fund_yuan`` (seed 260,000 / 80,000,
  "提升城市社区两项经费至26万元、8万元"): the smallest budget of that kind allotted to a
  community of the scope in the budget year (this year once any budget of it exists,
  otherwise the latest): what every community is given at least.

``service_kinds``, ``worker_post_kinds`` and ``worker_grades`` are the grids app's
(``grids.figures``). A figure whose records do not exist is left out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.figures import SeedFigure

from . import policies
from .models import DISTRICT_STANDARD, DifficultProblem, FundBudget, FundKind, ProblemState, Studio
from .selectors.funds import budget_year


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _studio_figures(actor: Any) -> list[SeedFigure]:
    figures = []
    studios = Studio.objects.visible_to(actor).filter(is_active=True).count()
    if studios:
        figures.append(
            SeedFigure(
                key="secretary_studios",
                label=_("优秀党组织书记工作室（个）"),
                value=studios,
                seed=1,
                drill=reverse("supports:studio"),
                definition=_("在运行的书记工作室个数。"),
            )
        )
    problems = DifficultProblem.objects.visible_to(actor)
    if problems.exists():
        figures.append(
            SeedFigure(
                key="studio_problems_solved",
                label=_("书记工作室化解疑难问题（个）"),
                value=problems.filter(state=ProblemState.SOLVED).count(),
                seed=40,
                drill=reverse("supports:problem_list") + "?" + urlencode({"state": "solved"}),
                definition=_("辖区内社区提交书记工作室、已化解销号的疑难问题个数。"),
            )
        )
    return figures


FUND_FIGURES = (
    (FundKind.WORK, "community_work_fund_yuan", _("城市社区工作经费（元/年）")),
    (FundKind.SERVICE, "community_service_fund_yuan", _("城市社区服务群众专项经费（元/年）")),
)


def _fund_figures(actor: Any) -> list[SeedFigure]:
    year = budget_year(actor=actor)
    if year is None:
        return []
    lows = dict(
        FundBudget.objects.visible_to(actor)
        .filter(year=year)
        .values_list("kind")
        .annotate(low=Min("amount"))
        .values_list("kind", "low")
    )
    figures = []
    for kind, key, label in FUND_FIGURES:
        if kind not in lows:
            continue
        figures.append(
            SeedFigure(
                key=key,
                label=label,
                value=_number(lows[kind]),
                seed=_number(DISTRICT_STANDARD[kind]),
                drill=reverse("supports:fund_list") + "?" + urlencode({"year": year}),
                definition=_(
                    "该年度辖区内各社区已下达的此项经费预算中的最低额，即每个社区至少获得的金额。"
                ),
            )
        )
    return figures


def seed_figures(actor: Any) -> list[SeedFigure]:
    figures: list[SeedFigure] = []
    if policies.can_view_studio(actor):
        figures += _studio_figures(actor)
    if policies.can_view_funds(actor):
        figures += _fund_figures(actor)
    return figures

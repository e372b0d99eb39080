"""Coverage, ranking and headline tables shown beside the charts."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Satisfaction,
)
from governance.selectors import coverage_for
from grids.models import Grid, Station
from grids.selectors import grid_list

from .. import appraisal
from ..territory import Territory
from .shapes import Cell, Dashboard, Ranking, Table, _labels

# --- Coverage ------------------------------------------------------------------------------------


def coverage_panel(*, actor: Any, territory: Territory) -> dict[str, Any] | None:
    """全域组织覆盖 and the grids: residential areas and buildings with an anchored party
    organisation, grids, staffing breaches and red stations of the territory's area. Counted
    live (the dashboard loads it as a fragment of its own)."""
    area = territory.area
    if area is None:
        return None
    coverage = coverage_for(area)
    grids = Grid.objects.visible_to(actor).filter(area_path__startswith=area.path, is_active=True)
    breaches = grid_list(actor=actor, staffing="breach").filter(area_path__startswith=area.path)
    stations = Station.objects.visible_to(actor).filter(
        area_path__startswith=area.path, is_active=True, kind="red_station"
    )
    return {
        "estates": coverage.estates,
        "estates_covered": coverage.estates_covered,
        "estate_share": coverage.estate_share,
        "buildings": coverage.buildings,
        "buildings_covered": coverage.buildings_covered,
        "building_share": coverage.building_share,
        "grids": grids.count(),
        "breaches": breaches.count(),
        "red_stations": stations.count(),
        "at": timezone.now(),
    }


def satisfaction_labels() -> dict[str, str]:
    return _labels(Satisfaction.choices)


def ranking_table(ranking: Ranking) -> Table:
    """A ranking as a table: rank, unit, score and each input, every number a link."""
    rows = []
    for unit in ranking.units:
        links = unit.links
        rows.append(
            [
                Cell(unit.rank, text=str(unit.rank) if unit.rank else _("无数据")),
                Cell(unit.name, links.get("dashboard", "")),
                Cell(unit.score),
                Cell(unit.input_percent("on_time"), links.get("on_time", ""),
                     _percent_text(unit.input_percent("on_time"))),
                Cell(unit.input_percent("satisfaction"), links.get("satisfaction", ""),
                     _percent_text(unit.input_percent("satisfaction"))),
                Cell(unit.input_percent("reopen"), links.get("reopen", ""),
                     _percent_text(unit.input_percent("reopen"))),
                Cell(unit.input_percent("overdue"), links.get("overdue", ""),
                     _percent_text(unit.input_percent("overdue"))),
                Cell(unit.visits_per_worker),
                Cell(unit.measures.n, links.get("cases", "")),
            ]
        )  # fmt: skip
    return Table(
        key=f"ranking-{ranking.subject}" if not ranking.own_only else "ranking-own",
        title=ranking.title,
        headers=[
            gettext_lazy("名次"),
            gettext_lazy("名称"),
            gettext_lazy("得分"),
            appraisal.TERM_LABELS["on_time"],
            appraisal.TERM_LABELS["satisfaction"],
            appraisal.TERM_LABELS["reopen"],
            appraisal.TERM_LABELS["overdue"],
            appraisal.TERM_LABELS["visits"],
            gettext_lazy("上报事件数"),
        ],
        rows=rows,
        note=ranking.formula,
    )


def _percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value}%"


def kpi_table(board: Dashboard) -> Table:
    """The headline figures as a table (the Excel sheet of the figure cards)."""
    return Table(
        key="kpis",
        title=gettext_lazy("主要指标"),
        headers=[
            gettext_lazy("指标"),
            gettext_lazy("本期"),
            gettext_lazy("上期"),
            gettext_lazy("去年同期"),
            gettext_lazy("单位"),
            gettext_lazy("口径"),
        ],
        rows=[
            [
                Cell(str(k.label)),
                Cell(k.value, k.url),
                Cell(k.previous),
                Cell(k.year_before),
                Cell(k.unit),
                Cell(str(k.definition)),
            ]
            for k in board.kpis
        ],
    )

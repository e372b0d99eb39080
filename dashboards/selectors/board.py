"""The case dashboard of a territory and period: every section, put together."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ..measures import Measures, p90_days
from ..periods import Period
from ..rollup import RollupSource
from ..seed import seed_figures, seed_panel
from ..territory import Territory
from .panels import coverage_panel
from .rankings import rankings
from .shapes import ALL_SECTIONS, CASE_FACETS, Dashboard, Source
from .tables import (
    _areas_table,
    _breakdowns,
    _kpis,
    _seed_table,
    _sum,
    _trend,
    _units_table,
    trend_months,
)


def case_dashboard(
    *,
    actor: Any,
    territory: Territory,
    period: Period,
    source: Source | None = None,
    sections: frozenset[str] = ALL_SECTIONS,
) -> Dashboard:
    """Everything the dashboard page shows for the territory and period (the sections asked
    for). The figures are counted over the cases reported in the period."""
    source = source or RollupSource()
    board = Dashboard(territory=territory, period=period, source=source.name, at=timezone.now())
    previous, year_before = period.previous(), period.year_before()
    months = trend_months(period)
    window_first = min(months[0], previous.first, year_before.first)
    by = None if territory.is_unit else territory.child_level
    rows = source.months(territory, window_first, period.last, by)
    current = _sum(rows, period.first, period.last)
    board.totals = current
    facets: dict[str, dict[str, Measures]] = {}
    if not territory.is_unit and sections & {"kpis", "breakdowns", "units"}:
        facets = source.facets(territory, period, CASE_FACETS)
        board.p90 = p90_days(facets.get("handling", {}))
    if "kpis" in sections:
        board.kpis = _kpis(
            territory,
            period,
            current,
            _sum(rows, previous.first, previous.last),
            _sum(rows, year_before.first, year_before.last),
            board.p90,
        )
        if territory.is_unit:
            board.kpis = [k for k in board.kpis if k.key != "p90_days"]
    if "trend" in sections:
        board.tables["trend"] = _trend(territory, months, rows)
    child_rows = [(c, m) for month, c, m in rows if period.first <= month <= period.last]
    if "areas" in sections and by is not None:
        board.tables["areas"] = _areas_table(territory, period, child_rows, by)
    if "breakdowns" in sections and facets:
        board.tables.update(_breakdowns(territory, period, facets))
    if "units" in sections and facets:
        board.tables["units"] = _units_table(territory, period, facets.get("unit", {}))
    if "rankings" in sections:
        board.rankings = rankings(
            actor=actor, territory=territory, period=period, source=source, child_rows=child_rows
        )
    if "seed" in sections:
        board.seed_figures = seed_figures(actor)
        board.seed = seed_panel(board.seed_figures)
        board.tables["seed"] = _seed_table(board.seed)
    if "coverage" in sections and not territory.is_unit:
        board.coverage = coverage_panel(actor=actor, territory=territory)
    return board

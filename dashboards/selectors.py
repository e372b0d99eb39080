"""What a dashboard shows, for an actor's territory and a period: figures with their
comparisons, tables (each also a chart, an Excel sheet and a set of links), rankings, the seed
report's figures and the coverage panels.

The case figures come from a *source*: the rollups (:class:`~dashboards.rollup.RollupSource`,
always, on every page) or, for the benchmark's naive rows and the tests, the same figures
counted from the case tables (:class:`~dashboards.direct.DirectSource`). A dashboard reads two
or three grouped sums of the source, then names, weights and visits: a constant number of
queries whatever the size of the district.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import RoleGrant, User
from accounts.roles import Role
from cases.models import (
    OPEN_STATES,
    Alert,
    Case,
    CaseSource,
    CaseState,
    Category,
    Satisfaction,
    SupervisionLevel,
    Tier,
)
from cases.selectors import waiting_condition
from common.figures import SeedFigure
from common.territory import AreaLevel
from governance.models import Area, Department, PropertyCompany
from governance.selectors import coverage_for
from grids.models import CommunityWorker, Grid, RecruitmentStatus, Station, Visit
from grids.selectors import grid_list

from . import appraisal
from .appraisal import Ranked
from .drill import drill
from .measures import Measures, p90_days
from .periods import Period, PeriodKind, current_period, month_index, month_of
from .policies import can_view_dashboard
from .rollup import RollupSource
from .seed import SeedRow, seed_figures, seed_panel
from .territory import Territory, territory_for

STEP = Area.steplen
CASE_FACETS = ["state", "tier", "category", "source", "unit", "handling"]
ALL_SECTIONS = frozenset(
    {"kpis", "trend", "areas", "breakdowns", "units", "rankings", "seed", "coverage"}
)


class Source(Protocol):
    name: str

    def facets(
        self, territory: Territory, period: Period, facets: list[str]
    ) -> dict[str, dict[str, Measures]]: ...

    def months(
        self, territory: Territory, first: date, last: date, by: str | None = None
    ) -> list[tuple[date, int, Measures]]: ...

    def units(self, period: Period, kind: str) -> dict[str, Measures]: ...


# --- The shapes the page, the API, the big screen and the report share -------------------------


@dataclass(frozen=True)
class Cell:
    value: Any
    url: str = ""
    text: str | None = None  # what the page shows when not the value itself ("12.5%")

    @property
    def shown(self) -> str:
        if self.text is not None:
            return self.text
        if self.value is None:
            return "—"
        return str(self.value)


ROW_HEADER = '<th scope="row" data-label="{}">{}</th>'
NUMBER_CELL = '<td class="num" data-label="{}">{}</td>'
TEXT_CELL = '<td data-label="{}">{}</td>'


@dataclass
class Table:
    key: str
    title: Any
    headers: list[Any]
    rows: list[list[Cell]]
    chart: dict[str, Any] | None = None
    note: Any = ""

    @property
    def labelled(self) -> list[list[tuple[Any, Cell]]]:
        """Each row's cells with their column's header (a phone shows them as labels)."""
        return [list(zip(self.headers, row, strict=False)) for row in self.rows]

    def body_html(self) -> SafeString:
        """The rows as HTML (rendered here rather than cell by cell in the template: a
        district dashboard has a few thousand cells)."""
        rows = []
        for row in self.rows:
            cells = []
            for index, (header, cell) in enumerate(zip(self.headers, row, strict=False)):
                content = (
                    format_html('<a href="{}">{}</a>', cell.url, cell.shown)
                    if cell.url
                    else conditional_escape(cell.shown)
                )
                if index == 0:
                    cells.append(
                        format_html('<th scope="row" data-label="{}">{}</th>', header, content)
                    )
                else:
                    cells.append(
                        format_html('<td class="num" data-label="{}">{}</td>', header, content)
                    )
            rows.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))  # noqa: S308
        return mark_safe("\n".join(rows))  # noqa: S308

    def export_rows(self) -> list[list[Any]]:
        return [[cell.value for cell in row] for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "headers": [str(h) for h in self.headers],
            "rows": [[{"value": c.value, "url": c.url or None} for c in row] for row in self.rows],
        }


@dataclass(frozen=True)
class Kpi:
    key: str
    label: Any
    value: float | int | None
    unit: str
    url: str
    definition: Any
    previous: float | int | None = None
    year_before: float | int | None = None
    #: Whether a rise is good news (the overdue rate's is not).
    higher_is_better: bool = True

    def _delta(self, other: float | int | None) -> float | None:
        if self.value is None or other is None:
            return None
        return round(float(self.value) - float(other), 1)

    @property
    def delta_previous(self) -> float | None:
        return self._delta(self.previous)

    @property
    def delta_year(self) -> float | None:
        return self._delta(self.year_before)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": str(self.label),
            "value": self.value,
            "unit": self.unit,
            "previous": self.previous,
            "year_before": self.year_before,
            "drill": self.url,
            "definition": str(self.definition),
        }


@dataclass
class Ranking:
    subject: str
    title: Any
    weights: dict[str, int]
    formula: str
    units: list[Ranked]
    #: A unit's own view: the position of its row among ``total`` ranked units.
    own_only: bool = False
    total: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "title": str(self.title),
            "weights": self.weights,
            "formula": self.formula,
            "total": self.total,
            "units": [
                {
                    "key": u.key,
                    "name": u.name,
                    "rank": u.rank,
                    "score": u.score,
                    "inputs": {t: u.input_percent(t) for t in appraisal.TERMS},
                    "cases": u.measures.n,
                    "visits": u.visits,
                    "workers": u.workers,
                    "links": u.links,
                }
                for u in self.units
            ],
        }


@dataclass
class Dashboard:
    territory: Territory
    period: Period
    source: str
    kpis: list[Kpi] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    rankings: list[Ranking] = field(default_factory=list)
    seed: list[SeedRow] = field(default_factory=list)
    seed_figures: list[SeedFigure] = field(default_factory=list)
    coverage: dict[str, Any] | None = None
    totals: Measures = field(default_factory=Measures)
    p90: int | None = None
    at: Any = None

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @property
    def year_before(self) -> Period:
        return self.period.year_before()

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)


# --- Names ---------------------------------------------------------------------------------------


def unit_names(values: Iterable[str]) -> dict[str, str]:
    """Names of handling units ("department:3" → 区住建局), one query per kind present."""
    ids: dict[str, set[int]] = {"department": set(), "company": set(), "area": set()}
    for value in values:
        kind, _sep, pk = value.partition(":")
        if kind in ids and pk.isdigit():
            ids[kind].add(int(pk))
    names: dict[str, str] = {"": _("未派单")}
    models: dict[str, Any] = {"department": Department, "company": PropertyCompany, "area": Area}
    for kind, pks in ids.items():
        if pks:
            for pk, name in models[kind].objects.filter(pk__in=pks).values_list("pk", "name"):
                names[f"{kind}:{pk}"] = name
    return names


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _pct(value: float | None) -> Cell:
    return Cell(value, text="—" if value is None else f"{value}%")


# --- The case dashboard --------------------------------------------------------------------------


def _sum(rows: list[tuple[date, int, Measures]], first: date, last: date) -> Measures:
    return Measures.total(m for month, _child, m in rows if first <= month <= last)


def trend_months(period: Period) -> list[date]:
    """The trend's months: the 12 ending with the period, or the whole period when longer
    (at most 36)."""
    count = min(max(period.months, 12), 36)
    last = month_index(period.last)
    return [month_of(i) for i in range(last - count + 1, last + 1)]


def _kpis(
    territory: Territory,
    period: Period,
    current: Measures,
    previous: Measures,
    year_before: Measures,
    p90: int | None,
) -> list[Kpi]:
    def link(measure: str) -> str:
        return drill(territory, period, measure=measure)

    def kpi(
        key: str,
        label: Any,
        get: Callable[[Measures], Any],
        unit: str,
        measure: str,
        definition: Any,
        better: bool = True,
    ) -> Kpi:
        return Kpi(
            key, label, get(current), unit, link(measure), definition,
            get(previous), get(year_before), better,
        )  # fmt: skip

    percent, cases, days = "%", _("件"), _("个工作日")
    return [
        kpi("reported", gettext_lazy("上报事件数"), lambda m: m.n, cases, "n",
            gettext_lazy("期内上报的事件数。")),
        kpi("closed", gettext_lazy("已办结"), lambda m: m.closed, cases, "closed",
            gettext_lazy("期内上报、现已办结的事件数。")),
        kpi("open", gettext_lazy("未办结"), lambda m: m.open, cases, "open",
            gettext_lazy("期内上报、仍在办理中的事件数。"), better=False),
        kpi("overdue_now", gettext_lazy("当前超期"), lambda m: m.overdue_now, cases,
            "overdue_now", gettext_lazy("未办结且当前环节已超过时限（红灯）的事件数。"),
            better=False),
        kpi("overdue_rate", gettext_lazy("超期率"), lambda m: m.overdue_rate, percent,
            "overdue_ever", gettext_lazy("曾被标记红灯超期的事件 ÷ 上报事件。"), better=False),
        kpi("on_time_rate", gettext_lazy("按期办结率"), lambda m: m.on_time_rate, percent,
            "on_time", gettext_lazy("从未超期的已办结事件 ÷ 已办结事件。")),
        kpi("satisfaction_rate", gettext_lazy("满意率"), lambda m: m.satisfaction_rate, percent,
            "satisfied", gettext_lazy("（满意 + 基本满意）÷ 已评价事件（取最近一次评价）。")),
        kpi("reopen_rate", gettext_lazy("重办率"), lambda m: m.reopen_rate, percent,
            "reopened", gettext_lazy("至少重新办理过一次的事件 ÷ 上报事件。"), better=False),
        kpi("escalation_rate", gettext_lazy("呼叫率"), lambda m: m.escalation_rate, percent,
            "escalated", gettext_lazy("至少呼叫过一次上级（社区呼叫）的事件 ÷ 上报事件。"),
            better=False),
        kpi("average_days", gettext_lazy("平均办理用时"), lambda m: m.average_days, days,
            "handled", gettext_lazy("从上报到办结的工作日数（按工作日历）的平均值。"),
            better=False),
        Kpi("p90_days", gettext_lazy("90% 事件办理用时不超过"), p90, days, link("handled"),
            gettext_lazy("办理用时按工作日向上取整后的第 90 百分位。"), higher_is_better=False),
        kpi("supervised", gettext_lazy("督办中"), lambda m: m.supervised, cases, "supervised",
            gettext_lazy("期内上报、当前处于督办（一般、黄牌、红牌）的事件数。"), better=False),
    ]  # fmt: skip


def _measure_cells(m: Measures, link: Callable[[str], str], columns: Iterable[str]) -> list[Cell]:
    cells = []
    for column in columns:
        if column in ("n", "open", "overdue_now", "closed", "supervised", "urgent", "handled"):
            cells.append(Cell(getattr(m, column), link(column)))
        elif column == "share":
            cells.append(Cell(None))
        elif column == "average_days":
            cells.append(Cell(m.average_days, link("handled")))
        else:
            cells.append(_pct(getattr(m, column)))
    return cells


MEASURE_HEADERS = {
    "n": gettext_lazy("上报"),
    "open": gettext_lazy("未办结"),
    "overdue_now": gettext_lazy("当前超期"),
    "closed": gettext_lazy("已办结"),
    "supervised": gettext_lazy("督办中"),
    "on_time_rate": gettext_lazy("按期办结率"),
    "satisfaction_rate": gettext_lazy("满意率"),
    "reopen_rate": gettext_lazy("重办率"),
    "overdue_rate": gettext_lazy("超期率"),
    "average_days": gettext_lazy("平均用时（工作日）"),
}
AREA_COLUMNS = (
    "n", "open", "overdue_now", "on_time_rate", "satisfaction_rate", "reopen_rate",
    "average_days",
)  # fmt: skip
BREAKDOWN_COLUMNS = ("n", "open", "overdue_now", "on_time_rate", "satisfaction_rate")


def _breakdown(
    key: str,
    title: Any,
    first_header: Any,
    items: list[tuple[str, str, Measures]],
    link: Callable[[str, str], str],
    facet: str,
    chart: str = "bar",
    columns: tuple[str, ...] = BREAKDOWN_COLUMNS,
) -> Table:
    """A table of one facet's values (value, name, measures), its chart and its links."""
    rows = [
        [
            Cell(name, link("n", value)),
            *_measure_cells(m, functools.partial(_swap, link, value), columns),
        ]
        for value, name, m in items
    ]
    return Table(
        key=key,
        title=title,
        headers=[first_header, *(MEASURE_HEADERS[c] for c in columns)],
        rows=rows,
        chart={
            "kind": chart,
            "labels": [name for _v, name, _m in items],
            "series": [{"name": str(MEASURE_HEADERS["n"]), "data": [m.n for _v, _n, m in items]}]
            + (
                [{"name": str(MEASURE_HEADERS["open"]), "data": [m.open for _v, _n, m in items]}]
                if chart == "bar"
                else []
            ),
        },
    )


def _swap(link: Callable[[str, str], str], value: str, measure: str) -> str:
    return link(measure, value)


def _ordered(values: dict[str, Measures], order: list[str]) -> list[tuple[str, Measures]]:
    known = [(v, values[v]) for v in order if v in values and values[v].n]
    rest = sorted(
        ((v, m) for v, m in values.items() if v not in order and m.n), key=lambda x: -x[1].n
    )
    return known + rest


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


def _trend(
    territory: Territory, months: list[date], rows: list[tuple[date, int, Measures]]
) -> Table:
    by_month: dict[date, Measures] = {m: Measures() for m in months}
    for month, _child, measures in rows:
        if month in by_month:
            by_month[month].add(measures)
    table_rows = []
    for month, m in by_month.items():
        one = Period("custom", month, month)

        def link(measure: str, one: Period = one) -> str:
            return drill(territory, one, measure=measure)

        table_rows.append(
            [
                Cell(f"{month:%Y-%m}"),
                *_measure_cells(
                    m, link, ("n", "closed", "open", "overdue_rate", "on_time_rate",
                              "satisfaction_rate")
                ),
            ]
        )  # fmt: skip
    labels = [f"{m:%Y-%m}" for m in by_month]
    return Table(
        key="trend",
        title=gettext_lazy("月度趋势"),
        headers=[
            gettext_lazy("月份"),
            MEASURE_HEADERS["n"],
            MEASURE_HEADERS["closed"],
            MEASURE_HEADERS["open"],
            MEASURE_HEADERS["overdue_rate"],
            MEASURE_HEADERS["on_time_rate"],
            MEASURE_HEADERS["satisfaction_rate"],
        ],
        rows=table_rows,
        chart={
            "kind": "line",
            "labels": labels,
            "series": [
                {"name": str(MEASURE_HEADERS["n"]), "data": [m.n for m in by_month.values()]},
                {
                    "name": str(MEASURE_HEADERS["closed"]),
                    "data": [m.closed for m in by_month.values()],
                },
                {
                    "name": str(MEASURE_HEADERS["satisfaction_rate"]),
                    "data": [m.satisfaction_rate for m in by_month.values()],
                    "percent": True,
                },
            ],
        },
    )


def _areas_table(
    territory: Territory, period: Period, child_rows: list[tuple[int, Measures]], by: str
) -> Table:
    per_child: dict[int, Measures] = {}
    for child, m in child_rows:
        per_child.setdefault(child, Measures()).add(m)
    areas = {a.pk: a for a in Area.objects.filter(pk__in=per_child).order_by("path")}
    items = [(str(pk), areas[pk].name, per_child[pk]) for pk in areas]
    title = gettext_lazy("各街道") if by == AreaLevel.STREET else gettext_lazy("各社区")

    def link(measure: str, value: str) -> str:
        return drill(territory, period, measure=measure, area_id=int(value))

    table = _breakdown(
        "areas", title, gettext_lazy("区域"), items, link, "area", columns=AREA_COLUMNS
    )
    for row, (pk, _name, _m) in zip(table.rows, items, strict=True):
        row[0] = Cell(row[0].value, reverse("dashboards:home") + "?" + urlencode({"area": pk}))
    return table


def _breakdowns(
    territory: Territory, period: Period, facets: dict[str, dict[str, Measures]]
) -> dict[str, Table]:
    def linker(facet: str) -> Callable[[str, str], str]:
        def link(measure: str, value: str) -> str:
            return drill(territory, period, measure=measure, facet=facet, value=value)

        return link

    tables: dict[str, Table] = {}
    states = _labels(CaseState.choices)
    items = [(v, states.get(v, v), m) for v, m in _ordered(facets["state"], list(states))]
    state_table = _breakdown(
        "states", gettext_lazy("按状态"), gettext_lazy("状态"), items, linker("state"), "state",
        chart="pie", columns=("n",),
    )  # fmt: skip
    total = sum(m.n for _v, _n, m in items)
    for row, (_v, _n, m) in zip(state_table.rows, items, strict=True):
        row.append(_pct(round(100 * m.n / total, 1) if total else None))
    state_table.headers.append(gettext_lazy("占比"))
    tables["states"] = state_table
    tiers = _labels(Tier.choices)
    items = [(v, tiers.get(v, v), m) for v, m in _ordered(facets["tier"], list(tiers))]
    tables["tiers"] = _breakdown(
        "tiers", gettext_lazy("按层级"), gettext_lazy("层级"), items, linker("tier"), "tier"
    )
    sources = _labels(CaseSource.choices)
    items = [(v, sources.get(v, v), m) for v, m in _ordered(facets["source"], list(sources))]
    tables["sources"] = _breakdown(
        "sources", gettext_lazy("按来源"), gettext_lazy("来源"), items, linker("source"), "source",
        chart="pie",
    )  # fmt: skip
    tables["categories"] = _categories_table(territory, period, facets["category"])
    tables["supervision"] = _supervision_table(territory, period, facets["state"])
    tables["handling"] = _handling_table(territory, period, facets.get("handling", {}))
    return tables


def _categories_table(territory: Territory, period: Period, values: dict[str, Measures]) -> Table:
    """Two levels: each first-level category with its total, then its second-level ones."""
    categories = {c.pk: c for c in Category.objects.order_by("sort", "code")}
    parents: dict[int, list[tuple[Category, Measures]]] = {}
    for value, m in values.items():
        leaf = categories.get(int(value)) if value.isdigit() else None
        if leaf is None or not m.n:
            continue
        parents.setdefault(leaf.parent_id or leaf.pk, []).append((leaf, m))
    rows: list[list[Cell]] = []
    chart_labels, chart_data = [], []
    ordered = sorted(parents.items(), key=lambda kv: -sum(m.n for _c, m in kv[1]))
    for parent_id, leaves in ordered:
        total = Measures.total(m for _c, m in leaves)
        parent = categories.get(parent_id)
        name = parent.name if parent is not None else str(parent_id)

        def plink(measure: str, pid: int = parent_id) -> str:
            return drill(
                territory, period, measure=measure, facet="category_parent", value=str(pid)
            )

        rows.append(
            [Cell(name, plink("n")), Cell(""), *_measure_cells(total, plink, BREAKDOWN_COLUMNS)]
        )
        chart_labels.append(name)
        chart_data.append(total.n)
        for leaf, m in sorted(leaves, key=lambda x: -x[1].n):

            def llink(measure: str, leaf_id: int = leaf.pk) -> str:
                return drill(
                    territory, period, measure=measure, facet="category", value=str(leaf_id)
                )

            cells = _measure_cells(m, llink, BREAKDOWN_COLUMNS)
            rows.append([Cell(name), Cell(leaf.name, llink("n")), *cells])
    return Table(
        key="categories",
        title=gettext_lazy("按类别"),
        headers=[
            gettext_lazy("一级类别"),
            gettext_lazy("二级类别"),
            *(MEASURE_HEADERS[c] for c in BREAKDOWN_COLUMNS),
        ],
        rows=rows,
        chart={
            "kind": "bar",
            "horizontal": True,
            "labels": chart_labels,
            "series": [{"name": str(MEASURE_HEADERS["n"]), "data": chart_data}],
        },
    )


def _supervision_table(territory: Territory, period: Period, states: dict[str, Measures]) -> Table:
    total = Measures.total(states.values())
    levels = _labels(SupervisionLevel.choices)
    counts = [
        ("sup_ordinary", levels["ordinary"], total.sup_ordinary),
        ("sup_yellow", levels["yellow"], total.sup_yellow),
        ("sup_red", levels["red"], total.sup_red),
        ("supervised", _("合计"), total.supervised),
        ("urgent", _("加急"), total.urgent),
    ]
    return Table(
        key="supervision",
        title=gettext_lazy("督办与加急"),
        headers=[gettext_lazy("督办级别"), gettext_lazy("事件数")],
        rows=[
            [Cell(label), Cell(n, drill(territory, period, measure=measure))]
            for measure, label, n in counts
        ],
        chart={
            "kind": "bar",
            "labels": [label for _m, label, _n in counts[:3]],
            "series": [{"name": _("事件数"), "data": [n for _m, _l, n in counts[:3]]}],
        },
    )


def _handling_table(territory: Territory, period: Period, values: dict[str, Measures]) -> Table:
    buckets = sorted((int(v), m.n) for v, m in values.items() if v.isdigit() and m.n)
    total = sum(n for _b, n in buckets)
    running = 0
    rows = []
    for bucket, n in buckets:
        running += n
        rows.append(
            [
                Cell(bucket, text=_("不超过 %(n)s 个工作日") % {"n": bucket}),
                Cell(n, drill(territory, period, measure="n", facet="handling", value=str(bucket))),
                _pct(round(100 * running / total, 1) if total else None),
            ]
        )
    return Table(
        key="handling",
        title=gettext_lazy("办理用时分布"),
        headers=[
            gettext_lazy("办理用时（向上取整）"),
            gettext_lazy("事件数"),
            gettext_lazy("累计占比"),
        ],
        rows=rows,
        chart={
            "kind": "bar",
            "labels": [str(b) for b, _n in buckets],
            "series": [{"name": _("事件数"), "data": [n for _b, n in buckets]}],
        },
    )


def _units_table(territory: Territory, period: Period, values: dict[str, Measures]) -> Table:
    names = unit_names(values)
    items = [
        (value, names.get(value, value), m)
        for value, m in sorted(values.items(), key=lambda kv: -kv[1].n)
        if m.n
    ]

    def link(measure: str, value: str) -> str:
        return drill(territory, period, measure=measure, facet="unit", value=value)

    return _breakdown(
        "units", gettext_lazy("按承办单位"), gettext_lazy("承办单位（当前主办）"), items, link,
        "unit", columns=AREA_COLUMNS,
    )  # fmt: skip


def _seed_table(rows: list[SeedRow]) -> Table:
    return Table(
        key="seed",
        title=gettext_lazy("“343工作机制”报告数据"),
        headers=[
            gettext_lazy("指标"),
            gettext_lazy("现值"),
            gettext_lazy("报告数"),
            gettext_lazy("口径"),
        ],
        rows=[
            [
                Cell(str(row.label)),
                Cell(row.figure.value, row.figure.drill)
                if row.figure is not None
                else Cell(None, text=_("尚未录入")),
                Cell(row.seed),
                Cell(str(row.figure.definition) if row.figure is not None else ""),
            ]
            for row in rows
        ],
    )


# --- Rankings ------------------------------------------------------------------------------------

#: The cases behind each input of a score.
INPUT_MEASURES = {
    "cases": "n",
    "on_time": "on_time",
    "satisfaction": "satisfied",
    "reopen": "reopened",
    "overdue": "overdue_ever",
}


def input_links(territory: Territory, period: Period, **where: Any) -> dict[str, str]:
    return {
        key: drill(territory, period, measure=measure, **where)
        for key, measure in INPUT_MEASURES.items()
    }


def _area_visits(actor: Any, period: Period, level: str) -> dict[str, int]:
    """Visits in the period by the path of their street or community."""
    depth = 2 if level == AreaLevel.STREET else 3
    rows = (
        Visit.objects.visible_to(actor)
        .filter(visited_on__gte=period.first, visited_on__lte=period.last_day)
        .annotate(prefix=Substr("area_path", 1, depth * STEP))
        .order_by()
        .values_list("prefix")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def _area_workers(level: str, paths: Iterable[str]) -> dict[str, int]:
    """Community workers in post (not left) by street or community path: a count, not the
    roster, so every area viewer's ranking has it."""
    depth = 2 if level == AreaLevel.STREET else 3
    condition = Q()
    for path in paths:
        condition |= Q(area_path__startswith=path)
    rows = (
        CommunityWorker.objects.filter(condition)
        .exclude(status=RecruitmentStatus.LEFT)
        .annotate(prefix=Substr("area_path", 1, depth * STEP))
        .order_by()
        .values_list("prefix")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def _area_ranking(
    actor: Any,
    territory: Territory,
    period: Period,
    level: str,
    measures: dict[int, Measures],
    weights: dict[str, int],
) -> Ranking:
    areas = list(Area.objects.filter(pk__in=measures).order_by("path"))
    visits = _area_visits(actor, period, level)
    workers = _area_workers(level, [a.path for a in areas])
    units = [
        Ranked(
            key=str(a.pk),
            name=a.name,
            measures=measures[a.pk],
            visits=visits.get(a.path, 0),
            workers=workers.get(a.path, 0),
        )
        for a in areas
    ]

    def links(unit: Ranked) -> dict[str, str]:
        area_id = int(unit.key)
        links = input_links(territory, period, area_id=area_id)
        links["dashboard"] = reverse("dashboards:home") + "?" + urlencode({"area": area_id})
        return links

    title = (
        gettext_lazy("街道考核排名") if level == AreaLevel.STREET else gettext_lazy("社区考核排名")
    )
    ranked = appraisal.rank(units, weights, links)
    subject = "streets" if level == AreaLevel.STREET else "communities"
    return Ranking(
        subject, title, weights, appraisal.formula(weights), ranked, total=_ranked_count(ranked)
    )


def _ranked_count(units: list[Ranked]) -> int:
    return sum(1 for u in units if u.rank is not None)


def _unit_ranking(
    territory: Territory, period: Period, source: Source, kind: str, weights: dict[str, int]
) -> Ranking:
    """Departments (or property companies) of the whole district: on a unit's own dashboard,
    its row and position only, never the other units' inputs."""
    values = source.units(period, kind)
    model: Any = Department if kind == "department" else PropertyCompany
    active = model.objects.filter(is_active=True).values_list("pk", "name")
    everyone: dict[str, str] = {f"{kind}:{pk}": name for pk, name in active}
    missing = [v for v in values if v not in everyone]  # inactive now, with cases then
    if missing:
        everyone.update(unit_names(missing))
    units = [
        Ranked(key=value, name=name, measures=values.get(value, Measures()))
        for value, name in everyone.items()
    ]

    def links(unit: Ranked) -> dict[str, str]:
        return input_links(Territory(label=unit.name, unit=unit.key), period)

    ranked = appraisal.rank(units, weights, links)
    title = (
        gettext_lazy("区直部门考核排名")
        if kind == "department"
        else gettext_lazy("物业企业考核排名")
    )
    ranking = Ranking(
        {"department": "departments", "company": "companies"}[kind], title, weights,
        appraisal.formula(weights), ranked,
        total=_ranked_count(ranked),
    )  # fmt: skip
    if territory.is_unit:
        ranking.units = [u for u in ranked if u.key == territory.unit]
        ranking.own_only = True
    return ranking


def _worker_ranking(
    actor: Any,
    territory: Territory,
    period: Period,
    source: Source,
    weights: dict[str, int],
) -> Ranking:
    """Grid workers of the territory: their visits, and the cases they reported."""
    grants = RoleGrant.objects.filter(role=Role.GRID_WORKER, area__isnull=False)
    if not territory.everything:
        grants = grants.filter(
            Q(area_id__in=territory.community_ids) | _under_streets(territory.street_ids)
        )
    user_ids = sorted(set(grants.values_list("user_id", flat=True)))
    users = {u.pk: u.display_name for u in User.objects.filter(pk__in=user_ids, is_active=True)}
    reported = source.facets(territory, period, ["reporter"]).get("reporter", {})
    visits = dict(
        Visit.objects.visible_to(actor)
        .filter(
            visitor_id__in=users,
            visited_on__gte=period.first,
            visited_on__lte=period.last_day,
        )
        .order_by()
        .values_list("visitor_id")
        .annotate(n=Count("id"))
    )
    units = [
        Ranked(
            key=str(pk),
            name=name,
            measures=reported.get(str(pk), Measures()),
            visits=visits.get(pk, 0),
        )
        for pk, name in users.items()
    ]

    def links(unit: Ranked) -> dict[str, str]:
        return input_links(territory, period, facet="reporter", value=unit.key)

    ranked = appraisal.rank(units, weights, links)
    return Ranking(
        "grid_workers", gettext_lazy("网格员考核排名"), weights,
        appraisal.formula(weights), ranked, total=_ranked_count(ranked),
    )  # fmt: skip


def _under_streets(street_ids: tuple[int, ...]) -> Q:
    paths = Area.objects.filter(pk__in=street_ids).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(area__path__startswith=path)
    return condition


def rankings(
    *,
    actor: Any,
    territory: Territory,
    period: Period,
    source: Source,
    child_rows: list[tuple[int, Measures]] | None = None,
) -> list[Ranking]:
    """The appraisal rankings of a dashboard: on the district's, streets, communities,
    departments, property companies and grid workers; on a street's, its communities and
    grid workers; on a community's, its grid workers; on a unit's, its own position."""
    weights = appraisal.all_weights()
    if territory.is_unit:
        return [
            _unit_ranking(territory, period, source, territory.unit_kind, weights["departments"])
        ]
    result = []
    level = territory.child_level
    if level is not None:
        if child_rows is None:
            rows = source.months(territory, period.first, period.last, level)
            child_rows = [(c, m) for _month, c, m in rows]
        per_child: dict[int, Measures] = {}
        for child, m in child_rows:
            per_child.setdefault(child, Measures()).add(m)
        result.append(_area_ranking(actor, territory, period, level, per_child, weights["areas"]))
        if level == AreaLevel.STREET:
            rows = source.months(territory, period.first, period.last, AreaLevel.COMMUNITY)
            per_community: dict[int, Measures] = {}
            for _month, child, m in rows:
                per_community.setdefault(child, Measures()).add(m)
            result.append(
                _area_ranking(
                    actor, territory, period, AreaLevel.COMMUNITY, per_community, weights["areas"]
                )
            )
    if territory.everything:
        result.append(
            _unit_ranking(territory, period, source, "department", weights["departments"])
        )
        result.append(_unit_ranking(territory, period, source, "company", weights["departments"]))
    result.append(_worker_ranking(actor, territory, period, source, weights["grid_workers"]))
    return result


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


# --- The role home pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeFigure:
    key: str
    label: Any
    value: Any
    url: str
    unit: str = ""


def work_figures(*, actor: Any) -> list[HomeFigure]:
    """What waits for the actor (待我办理), how much of it falls due today, and the overdue and
    supervised open cases of their scope: one aggregate over the open cases they may see."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(timezone.localdate(), time.min, tzinfo=tz)
    tomorrow = start + timedelta(days=1)
    waiting = waiting_condition(actor)
    counts = (
        Case.objects.visible_to(actor)
        .filter(state__in=sorted(OPEN_STATES))
        .aggregate(
            waiting=Count("pk", filter=waiting),
            due_today=Count("pk", filter=waiting & Q(due_at__gte=start, due_at__lt=tomorrow)),
            overdue=Count("pk", filter=Q(alert=Alert.RED)),
            supervised=Count("pk", filter=~Q(supervision="")),
        )
    )
    queue = reverse("cases:queue")
    return [
        HomeFigure("waiting", gettext_lazy("待我办理"), counts["waiting"], queue, _("件")),
        HomeFigure("due_today", gettext_lazy("今日到期"), counts["due_today"], queue, _("件")),
        HomeFigure(
            "overdue", gettext_lazy("已超期"), counts["overdue"], f"{queue}?tab=overdue", _("件")
        ),
        HomeFigure(
            "supervised",
            gettext_lazy("督办中"),
            counts["supervised"],
            f"{queue}?tab=supervised",
            _("件"),
        ),
    ]


HOME_KPIS = ("reported", "open", "overdue_now", "on_time_rate", "satisfaction_rate")


def home_dashboard(*, actor: Any) -> dict[str, Any] | None:
    """The few dashboard figures of the actor's scope for their home page (this year), and,
    for a department or company, its place in the appraisal ranking."""
    if not can_view_dashboard(actor):
        return None
    try:
        territory = territory_for(actor)
    except Http404:
        return None
    period = current_period(PeriodKind.YEAR)
    sections = frozenset({"kpis", "rankings"}) if territory.is_unit else frozenset({"kpis"})
    board = case_dashboard(actor=actor, territory=territory, period=period, sections=sections)
    query = {"unit": territory.unit} if territory.is_unit else {}
    result: dict[str, Any] = {
        "territory": territory,
        "period": period,
        "kpis": [k for k in board.kpis if k.key in HOME_KPIS],
        "url": reverse("dashboards:home") + (f"?{urlencode(query)}" if query else ""),
    }
    if board.rankings:
        ranking = board.rankings[0]
        own = ranking.units[0] if ranking.units else None
        result["rank"] = {"title": ranking.title, "rank": own.rank if own else None,
                          "total": ranking.total, "score": own.score if own else None}  # fmt: skip
    return result

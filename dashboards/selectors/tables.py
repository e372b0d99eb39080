"""The case dashboard's tables: headline figures, trend, areas and breakdowns."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    CaseSource,
    CaseState,
    Category,
    SupervisionLevel,
    Tier,
)
from common.territory import AreaLevel
from governance.models import Area

from ..drill import drill
from ..measures import Measures
from ..periods import Period, month_index, month_of
from ..seed import SeedRow
from ..territory import Territory
from .shapes import Cell, Kpi, Table, _labels, _pct, unit_names

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

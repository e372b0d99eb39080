"""The shapes the dashboard page, the API, the big screen and the report share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.figures import SeedFigure
from governance.models import Area, Department, PropertyCompany

from .. import appraisal
from ..appraisal import Ranked
from ..measures import Measures
from ..periods import Period
from ..seed import SeedRow
from ..territory import Territory

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

"""考核排名: streets, communities, departments (and property companies) and grid workers
ranked by one published formula whose weights the district admin keeps
(:class:`~dashboards.models.AppraisalWeights`).

    得分 = 100 × Σ wᵢ·sᵢ ÷ Σ wᵢ, over the inputs a unit has, where
    s(按期办结) = 按期办结率, s(满意) = 满意率, s(未重办) = 1 − 重办率, s(未超期) = 1 − 超期率,
    s(走访) = 人均走访 ÷ 最高人均走访 among the units ranked together.

An input with nothing to measure (no closed case: no on-time rate) leaves the sum with its
weight; a unit with no input at all is listed without a rank. Equal scores share a rank.
Counted, like every dashboard figure, over the cases reported in the period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .measures import Measures
from .models import AppraisalSubject, AppraisalWeights

TERMS = ("on_time", "satisfaction", "reopen", "overdue", "visits")
TERM_LABELS = {
    "on_time": _("按期办结率"),
    "satisfaction": _("满意率"),
    "reopen": _("未重办率"),
    "overdue": _("未超期率"),
    "visits": _("人均走访"),
}
DEFAULT_WEIGHTS: dict[str, dict[str, int]] = {
    AppraisalSubject.AREAS: {
        "on_time": 30, "satisfaction": 30, "reopen": 10, "overdue": 20, "visits": 10,
    },
    AppraisalSubject.DEPARTMENTS: {
        "on_time": 35, "satisfaction": 35, "reopen": 15, "overdue": 15, "visits": 0,
    },
    AppraisalSubject.GRID_WORKERS: {
        "on_time": 20, "satisfaction": 20, "reopen": 10, "overdue": 10, "visits": 40,
    },
}  # fmt: skip


def weights_of(subject: str, rows: Iterable[AppraisalWeights] | None = None) -> dict[str, int]:
    """The subject's weights: the admin's row, or the defaults of the first migration."""
    for row in rows if rows is not None else AppraisalWeights.objects.filter(subject=subject):
        if row.subject == subject:
            return {term: int(getattr(row, term)) for term in TERMS}
    return dict(DEFAULT_WEIGHTS[subject])


def all_weights() -> dict[str, dict[str, int]]:
    rows = list(AppraisalWeights.objects.all())
    return {subject: weights_of(subject, rows) for subject in AppraisalSubject.values}


def formula(weights: dict[str, int]) -> str:
    """The formula with the weights in force, as the page states it."""
    parts = [f"{weights[t]}×{TERM_LABELS[t]}" for t in TERMS if weights.get(t)]
    used = "+".join(str(weights[t]) for t in TERMS if weights.get(t))
    return str(
        _("得分 = 100 × (%(parts)s) ÷ (%(used)s)；无数据的指标连同其权重不计入")
        % {"parts": " + ".join(parts), "used": used}
    )


@dataclass
class Ranked:
    key: str
    name: str
    measures: Measures
    visits: int | None = None
    workers: int | None = None
    inputs: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None
    links: dict[str, str] = field(default_factory=dict)

    @property
    def visits_per_worker(self) -> float | None:
        if self.visits is None:
            return None
        if self.workers is None:  # a person: their own visits
            return float(self.visits)
        return round(self.visits / self.workers, 1) if self.workers else None

    def input_percent(self, term: str) -> float | None:
        value = self.inputs.get(term)
        return None if value is None else round(100 * value, 1)


def _inputs(m: Measures) -> dict[str, float | None]:
    return {
        "on_time": m.on_time / m.closed if m.closed else None,
        "satisfaction": m.satisfied / m.rated if m.rated else None,
        "reopen": 1 - m.reopened / m.n if m.n else None,
        "overdue": 1 - m.overdue_ever / m.n if m.n else None,
    }


def rank(
    units: list[Ranked], weights: dict[str, int], link: Callable[[Ranked], dict[str, str]] | None
) -> list[Ranked]:
    """Score and rank ``units`` (in place), best first; unranked ones last by name."""
    best = max((u.visits_per_worker or 0 for u in units), default=0)
    for unit in units:
        unit.inputs = _inputs(unit.measures)
        per_worker = unit.visits_per_worker
        unit.inputs["visits"] = per_worker / best if per_worker is not None and best else None
        used = [(weights.get(t, 0), unit.inputs[t]) for t in TERMS if weights.get(t, 0)]
        present = [(w, s) for w, s in used if s is not None]
        total = sum(w for w, _s in present)
        unit.score = round(100 * sum(w * s for w, s in present) / total, 1) if total else None
        if link is not None:
            unit.links = link(unit)
    units.sort(key=lambda u: (u.score is None, -(u.score or 0), u.name))
    previous: tuple[float | None, int] = (None, 0)
    for position, unit in enumerate(units, start=1):
        if unit.score is None:
            unit.rank = None
            continue
        if unit.score == previous[0]:
            unit.rank = previous[1]
        else:
            unit.rank = position
            previous = (unit.score, position)
    return units

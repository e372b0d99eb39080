"""What is counted of a set of cases, and the rates the dashboards derive from the counts.

The definitions (stated on the dashboard page, in the API schema and in the monthly report):

* 上报 ``n``: cases reported in the period (by the local date of the report), in the scope;
* 未办结 ``open``: of those, the ones in an open state now; 当前超期 ``overdue_now``: open and
  past the deadline of their current step (red); ``yellow_now``: open and past 70 % of it;
* 超期率: cases that were ever marked overdue (a 红灯超期 row in their timeline) ÷ reported;
* 按期办结率: closed cases never marked overdue ÷ closed cases;
* 满意率: (满意 + 基本满意) ÷ rated cases (the latest rating of each case);
* 重办率: cases reopened at least once ÷ reported; 呼叫率 (社区呼叫): cases escalated at least once
  ÷ reported;
* 办理用时: working time from report to resolution (办结, resolved) in working days of the work
  calendar, for cases resolved now (resolved, verified or closed); the mean, and the p90 of the
  times rounded up to whole working days;
* 督办: cases under supervision now, by the highest card given (一般, 黄牌, 红牌).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from .models import MEASURES

SECONDS_PER_DAY = Decimal(86400)


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Measures:
    n: int = 0
    open: int = 0
    overdue_now: int = 0
    yellow_now: int = 0
    overdue_ever: int = 0
    closed: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    reopened: int = 0
    escalated: int = 0
    supervised: int = 0
    sup_yellow: int = 0
    sup_red: int = 0
    urgent: int = 0
    handled: int = 0
    handling_seconds: Decimal = field(default_factory=Decimal)

    @classmethod
    def from_row(cls, values: Iterable[Any]) -> Measures:
        """From the measure columns in ``MEASURES`` order, then ``handling_seconds``."""
        values = list(values)
        counts = {name: int(v or 0) for name, v in zip(MEASURES, values, strict=False)}
        return cls(**counts, handling_seconds=Decimal(values[len(MEASURES)] or 0))

    def add(self, other: Measures) -> Measures:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @classmethod
    def total(cls, items: Iterable[Measures]) -> Measures:
        result = cls()
        for item in items:
            result.add(item)
        return result

    def key(self) -> tuple[Any, ...]:
        """Every count, and the handling time to the millisecond: what tests compare."""
        counts = tuple(getattr(self, name) for name in MEASURES)
        return (*counts, round(self.handling_seconds, 3))

    # --- rates ---

    @property
    def sup_ordinary(self) -> int:
        return self.supervised - self.sup_yellow - self.sup_red

    @property
    def overdue_rate(self) -> float | None:
        return share(self.overdue_ever, self.n)

    @property
    def on_time_rate(self) -> float | None:
        return share(self.on_time, self.closed)

    @property
    def satisfaction_rate(self) -> float | None:
        return share(self.satisfied, self.rated)

    @property
    def reopen_rate(self) -> float | None:
        return share(self.reopened, self.n)

    @property
    def escalation_rate(self) -> float | None:
        return share(self.escalated, self.n)

    @property
    def closed_rate(self) -> float | None:
        return share(self.closed, self.n)

    @property
    def average_days(self) -> float | None:
        if not self.handled:
            return None
        return round(float(self.handling_seconds / self.handled / SECONDS_PER_DAY), 1)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: getattr(self, name) for name in MEASURES}
        data.update(
            sup_ordinary=self.sup_ordinary,
            overdue_rate=self.overdue_rate,
            on_time_rate=self.on_time_rate,
            satisfaction_rate=self.satisfaction_rate,
            reopen_rate=self.reopen_rate,
            escalation_rate=self.escalation_rate,
            average_days=self.average_days,
        )
        return data


def p90_days(histogram: Mapping[Any, Any]) -> int | None:
    """The 90th percentile of handling times rounded up to whole working days, from the
    ``handling`` facet (bucket → cases): the smallest bucket holding 90 % of the cases."""
    counts: dict[int, int] = {}
    for bucket, value in histogram.items():
        n = value.n if isinstance(value, Measures) else int(value)
        if n:
            counts[int(bucket)] = counts.get(int(bucket), 0) + n
    total = sum(counts.values())
    if not total:
        return None
    running = 0
    for bucket in sorted(counts):
        running += counts[bucket]
        if running * 10 >= total * 9:
            return bucket
    return max(counts)

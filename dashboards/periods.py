"""Periods of the dashboards: whole calendar months (the rollups count by month of report).

This month, this quarter, this year, or a custom range of months; each compares with the
period of the same length just before it and with the same months a year earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


PERIOD_CHOICES = [
    (PeriodKind.MONTH, _("本月")),
    (PeriodKind.QUARTER, _("本季度")),
    (PeriodKind.YEAR, _("本年")),
    (PeriodKind.CUSTOM, _("自定义")),
]
DEFAULT_KIND = PeriodKind.YEAR
#: The longest custom range: ten years of months.
MAX_MONTHS = 120


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str | None) -> date | None:
    """ "2026-03" → 2026-03-01; anything else → None."""
    if not text:
        return None
    try:
        year, month = (int(part) for part in str(text).split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Period:
    kind: str
    first: date  # first day of the first month
    last: date  # first day of the last month (inclusive)

    @property
    def months(self) -> int:
        return month_index(self.last) - month_index(self.first) + 1

    def month_starts(self) -> list[date]:
        return [month_of(i) for i in range(month_index(self.first), month_index(self.last) + 1)]

    @property
    def end(self) -> date:
        """The day after the period."""
        return month_of(month_index(self.last) + 1)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def previous(self) -> Period:
        """The same number of months just before."""
        first = month_index(self.first) - self.months
        return Period(PeriodKind.CUSTOM, month_of(first), month_of(first + self.months - 1))

    def year_before(self) -> Period:
        return Period(
            PeriodKind.CUSTOM,
            month_of(month_index(self.first) - 12),
            month_of(month_index(self.last) - 12),
        )

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware moments in the portal's time zone."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.first, time.min, tzinfo=tz),
            datetime.combine(self.end, time.min, tzinfo=tz),
        )

    @property
    def label(self) -> str:
        if self.months == 1:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m} — {self.last:%Y-%m}"

    def query(self) -> dict[str, str]:
        """The query parameters that name this period on the dashboard's links."""
        if self.kind == PeriodKind.CUSTOM:
            return {"period": self.kind, "from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}
        return {"period": self.kind}

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from": f"{self.first:%Y-%m}",
            "to": f"{self.last:%Y-%m}",
            "first_day": self.first.isoformat(),
            "last_day": self.last_day.isoformat(),
        }


def current_period(kind: str, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    this = month_of(month_index(today))
    if kind == PeriodKind.QUARTER:
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(kind, first, this)
    if kind == PeriodKind.YEAR:
        return Period(kind, date(today.year, 1, 1), this)
    return Period(PeriodKind.MONTH, this, this)


def period_from(params: Any, today: date | None = None) -> Period:
    """The period a query string asks for (``period``, and ``from`` / ``to`` for custom);
    an unknown or malformed request falls back to the default, never to an error."""
    kind = params.get("period") or DEFAULT_KIND
    if kind == PeriodKind.CUSTOM:
        first, last = parse_month(params.get("from")), parse_month(params.get("to"))
        if first is None and last is None:
            return current_period(DEFAULT_KIND, today)
        first = first or last
        last = last or first
        assert first is not None and last is not None
        if last < first:
            first, last = last, first
        if month_index(last) - month_index(first) >= MAX_MONTHS:
            first = month_of(month_index(last) - MAX_MONTHS + 1)
        return Period(PeriodKind.CUSTOM, first, last)
    if kind not in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR):
        kind = DEFAULT_KIND
    return current_period(kind, today)


def report_month(params: Any, today: date | None = None) -> Period:
    """The month of a monthly report: ``month=2026-10``, by default the last complete month."""
    today = today or timezone.localdate()
    month = parse_month(params.get("month")) or month_of(month_index(today) - 1)
    return Period(PeriodKind.CUSTOM, month, month)

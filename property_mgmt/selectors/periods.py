"""Periods the figures are counted over: months, quarters, years, in local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

#: The mean length of a month in days: rates "per month" divide by days / this.
MONTH_DAYS = 365.25 / 12


@dataclass(frozen=True)
class Period:
    """[start, end) in local days."""

    start: date
    end: date
    label: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def months(self) -> float:
        return self.days / MONTH_DAYS

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.min, tzinfo=tz),
        )


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_starts(start: date, months: int) -> list[date]:
    first = date(start.year, start.month, 1)
    return [add_months(first, n) for n in range(months)]


def year_to_date(today: date | None = None) -> Period:
    """1 January of this year to the end of today."""
    today = today or timezone.localdate()
    return Period(
        date(today.year, 1, 1), today + timedelta(days=1), _("%(y)d 年以来") % {"y": today.year}
    )


def same_span_last_year(period: Period) -> Period:
    """The same days one year earlier (同期)."""

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return Period(back(period.start), back(period.end), _("上年同期"))


def quarter(value: str = "", today: date | None = None) -> Period:
    """``2026Q3``; by default the last complete quarter."""
    today = today or timezone.localdate()
    if value:
        try:
            year_text, q_text = value.upper().split("Q")
            year, q = int(year_text), int(q_text)
            if not 1 <= q <= 4 or not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            raise ValidationError({"quarter": _("季度格式如 2026Q3。")}) from None
    else:
        q = (today.month - 1) // 3  # the quarter before the current one
        year = today.year
        if q == 0:
            year, q = year - 1, 4
    start = date(year, 3 * (q - 1) + 1, 1)
    return Period(start, add_months(start, 3), f"{year}Q{q}")


def quarter_options(today: date | None = None, count: int = 8) -> list[str]:
    today = today or timezone.localdate()
    year, q = today.year, (today.month - 1) // 3 + 1
    options = []
    for _n in range(count):
        options.append(f"{year}Q{q}")
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    return options


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1), str(year))

"""Working-day arithmetic over the work calendar (法定节假日 and 调休).

A working day is Monday to Friday unless the calendar lists it as a holiday; a Saturday or
Sunday is a working day when the calendar lists it as a make-up day. A limit of N working days
runs N whole working days of clock time from the start, skipping every non-working day; a start
on a non-working day begins counting at the next working day's midnight. Fractions count too:
the yellow mark sits at 70 % of the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from .models import WorkCalendarDay

YELLOW_SHARE = Decimal("0.7")
#: How far ahead the calendar is loaded for one computation; limits are days to weeks.
_HORIZON_DAYS = 400


@dataclass(frozen=True)
class WorkCalendar:
    """The calendar exceptions of a date range, loaded with one query."""

    exceptions: dict[date, bool]

    @classmethod
    def load(cls, start: date, days: int = _HORIZON_DAYS) -> WorkCalendar:
        rows = WorkCalendarDay.objects.filter(
            date__gte=start, date__lte=start + timedelta(days=days)
        ).values_list("date", "is_working_day")
        return cls(exceptions=dict(rows))

    def is_working_day(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start: datetime, days: Decimal | float | int) -> datetime:
        """``start`` plus ``days`` working days of clock time. Days are counted in local time
        (``TIME_ZONE``): a holiday runs from local midnight to local midnight, whatever time
        zone ``start`` carries (the services pass ``timezone.now()``, which is UTC)."""
        tz = timezone.get_current_timezone()
        moment = timezone.localtime(start, tz) if timezone.is_aware(start) else start
        remaining = timedelta(days=float(days))
        while True:
            day = moment.date()
            next_midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
            if self.is_working_day(day):
                left_today = next_midnight - moment
                if remaining <= left_today:
                    return moment + remaining
                remaining -= left_today
            moment = next_midnight

    def working_days_between(self, start: date, end: date) -> int:
        """Whole working days in [start, end)."""
        count = 0
        day = start
        while day < end:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count


def deadlines(start: datetime, days: Decimal) -> tuple[datetime, datetime]:
    """(yellow mark, deadline) of a step of ``days`` working days starting at ``start``."""
    calendar = WorkCalendar.load(timezone.localtime(start).date())
    return (
        calendar.add_working_days(start, days * YELLOW_SHARE),
        calendar.add_working_days(start, days),
    )


#: From this day of the year on, admins are told when next year's calendar is missing (the
#: State Council publishes the holidays in November).
WARN_FROM = (11, 1)


def calendar_years() -> set[int]:
    """The years the work calendar has been entered for (any listed day counts)."""
    return {
        day.year
        for day in WorkCalendarDay.objects.dates("date", "year")  # one grouped query
    }


def missing_year(moment: datetime | date | None, years: set[int] | None = None) -> int | None:
    """The year of ``moment`` when the calendar of that year has not been entered: a deadline
    there was counted on plain Mondays to Fridays, which the case page must say."""
    if moment is None:
        return None
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    known = calendar_years() if years is None else years
    return None if day.year in known else day.year


def year_to_enter(today: date | None = None) -> int | None:
    """Next year, from 1 November on, when its calendar has not been entered yet (else None);
    this year's at any time of the year when even that is missing."""
    today = today or timezone.localdate()
    known = calendar_years()
    if today.year not in known:
        return today.year
    if (today.month, today.day) >= WARN_FROM and today.year + 1 not in known:
        return today.year + 1
    return None

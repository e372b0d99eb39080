"""Time in integer microseconds and the work calendar's arithmetic by table lookup."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .plan import DAY, LoadError


class Clock:
    """Time as integer microseconds from local midnight of the first day, with the working-day
    arithmetic of :class:`cases.calendar.WorkCalendar` done by table lookup instead of a day
    loop: ``work(t)`` is the working time elapsed up to ``t`` and :meth:`from_work` its
    inverse, so ``from_work(work(t) + d)`` equals ``WorkCalendar.add_working_days(t, d)`` to
    the microsecond (for d > 0), and a life planned in working time can be squeezed by scaling.

    The days are local days (``TIME_ZONE``, without DST), as ``add_working_days`` counts them:
    a holiday runs from local midnight to local midnight."""

    def __init__(self, first: date, days: int, exceptions: dict[date, bool], local: ZoneInfo):
        self.first = first
        self.days = days
        working = [
            exceptions.get(first + timedelta(d), (first + timedelta(d)).weekday() < 5)
            for d in range(days)
        ]
        self.working = working
        cumulative = [0] * (days + 1)
        for d in range(days):
            cumulative[d + 1] = cumulative[d] + (1 if working[d] else 0)
        self.cumulative = cumulative
        self.working_days = [d for d in range(days) if working[d]]
        self.day_text = [(first + timedelta(d)).isoformat() for d in range(days)]
        self.day_compact = [(first + timedelta(d)).strftime("%Y%m%d") for d in range(days)]
        self.epoch = datetime(first.year, first.month, first.day, tzinfo=local)
        offsets = {
            (self.epoch + timedelta(days=d)).astimezone(local).utcoffset()
            for d in range(0, days, 7)
        }
        if len(offsets) != 1:
            raise LoadError(f"generate_load needs a time zone without DST, not {local}")
        offset = offsets.pop() or timedelta(0)
        minutes = int(offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        self.offset_text = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def of(self, moment: datetime) -> int:
        return (moment - self.epoch) // timedelta(microseconds=1)

    def work(self, t: int) -> int:
        d = t // DAY
        base = self.cumulative[d] * DAY
        return base + (t - d * DAY) if self.working[d] else base

    def from_work(self, x: int) -> int:
        k = (x - 1) // DAY
        return self.working_days[k] * DAY + (x - k * DAY)

    def text(self, t: int) -> str:
        d, rest = divmod(t, DAY)
        seconds, micro = divmod(rest, 1_000_000)
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        return (
            f"{self.day_text[d]} {hours:02d}:{minutes:02d}:{seconds:02d}.{micro:06d}"
            f"{self.offset_text}"
        )

    def local_compact_date(self, t: int) -> str:
        return self.day_compact[t // DAY]

    def utc_iso(self, t: int) -> str:
        return self.aware(t).isoformat()

    def aware(self, t: int) -> datetime:
        return self.epoch + timedelta(microseconds=t)


_US_CACHE: dict[Decimal, int] = {}


def days_us(days: Decimal) -> int:
    """``timedelta(days=float(days))`` in microseconds, as the calendar computes it."""
    value = _US_CACHE.get(days)
    if value is None:
        value = timedelta(days=float(days)) // timedelta(microseconds=1)
        _US_CACHE[days] = value
    return value

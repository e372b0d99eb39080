"""Milestone deadlines on the work calendar of ``cases`` (法定节假日 and 调休): a milestone's
yellow mark sits at 70 % of its working days, as a case step's does, and a milestone not done
by the end of its due day is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cases.calendar import YELLOW_SHARE, WorkCalendar


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def warn_day(starts_on: date, due_on: date, calendar: WorkCalendar | None = None) -> date:
    """The day the yellow mark falls on: 70 % of the working days from the start of
    ``starts_on`` to the end of ``due_on``."""
    calendar = calendar or WorkCalendar.load(starts_on, (due_on - starts_on).days + 2)
    span = calendar.working_days_between(starts_on, due_on + timedelta(days=1))
    if span == 0:
        return due_on
    mark = calendar.add_working_days(_local_midnight(starts_on), YELLOW_SHARE * span)
    return min(timezone.localtime(mark).date(), due_on)


def due_after(starts_on: date, working_days: int) -> date:
    """The last day of a step of ``working_days`` working days from ``starts_on``."""
    calendar = WorkCalendar.load(starts_on, working_days * 2 + 30)
    end = calendar.add_working_days(_local_midnight(starts_on), working_days)
    return (timezone.localtime(end) - timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class Flag:
    """``alert``: "" (on time), "yellow" or "overdue"; ``late_days``: working days past due."""

    alert: str
    late_days: int = 0


def flag(
    *, due_on: date, warn_on: date, done_on: date | None, today: date, calendar: WorkCalendar
) -> Flag:
    if done_on is not None:
        return Flag("")
    if today > due_on:
        return Flag("overdue", calendar.working_days_between(due_on + timedelta(days=1), today))
    if today >= warn_on:
        return Flag("yellow")
    return Flag("")


def flag_all(milestones: list, today: date | None = None) -> None:
    """Set ``.flag`` on each milestone, with the calendar loaded once for all of them."""
    if not milestones:
        return
    today = today or timezone.localdate()
    start = min(m.due_on for m in milestones)
    calendar = WorkCalendar.load(start, max((today - start).days, 0) + 2)
    for milestone in milestones:
        milestone.flag = flag(
            due_on=milestone.due_on,
            warn_on=milestone.warn_on,
            done_on=milestone.done_on,
            today=today,
            calendar=calendar,
        )

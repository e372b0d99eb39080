"""Fitting a planned life into the three years, and the marks time leaves on it: urgency
(加急) and supervision (督办) by the level above, and the overdue sweep's yellow and red marks
where a step ran past them."""

from __future__ import annotations

from cases.calendar import YELLOW_SHARE
from cases.models import Step, SupervisionLevel
from cases.workflow import Action

from .clock import days_us
from .lives import ONE_DAY, Life
from .plan import MINUTE


def fit(life: Life, avail: int) -> None:
    """Squeeze the life into the working time there was before the end, if it does not
    fit: every offset is working time from the report, so it is one factor."""
    last = max(item.offset for item in life.items)
    last = max([last, *(run.end for run in life.steps if run.end is not None)])
    if last < avail:
        return
    factor = avail * (0.3 + 0.6 * life.rng.random()) / last
    for item in life.items:
        item.offset = int(item.offset * factor)
    for run in life.steps:
        run.start = int(run.start * factor)
        if run.end is not None:
            run.end = int(run.end * factor)
        run.approvals = [(int(at * factor), days) for at, days in run.approvals]


def urgency(life: Life, avail: int) -> bool:
    """加急 at the report (no timeline row) or later; 督办 by the level above now and
    then, while the case is open. Returns the urgent flag at the report."""
    rng = life.rng
    urgent = life.extra == "urgent" or rng.random() < 0.02
    if rng.random() < 0.01 and len(life.steps) > 1:
        run = life.steps[1]
        at = run.start + int(((run.end or avail) - run.start) * 0.3)
        if at < avail:
            life.add(at, Action.MARK_URGENT)
    handling = [run for run in life.steps if run.step == Step.HANDLE]
    if handling and (life.extra == "supervised" or rng.random() < 0.004):
        run = handling[-1]
        at = run.start + int(((run.end or avail) - run.start) * 0.4)
        if at < avail:
            life.add(at, Action.SUPERVISE, detail={"level": SupervisionLevel.ORDINARY})
    return urgent


def sweep(life: Life, avail: int) -> None:
    """What ``sweep_overdue`` wrote while each step ran: a yellow mark at 70 % of the
    limit, a red one when it passed (each at the next sweep, within five minutes), and
    now and then a supervision by the level above after a red mark. An approved extension
    moves both marks and clears the alert."""
    rng = life.rng
    for run in life.steps:
        end = avail if run.end is None else min(run.end, avail)
        days = run.days
        sub_start = run.start
        for boundary, added in [*sorted(run.approvals), (end, 0)]:
            sub_end = min(boundary, end)
            warn = run.start + days_us(days * YELLOW_SHARE)
            due = run.start + days_us(days)
            lag = int(rng.random() * 5 * MINUTE)
            if due <= sub_start:
                if sub_start + lag < sub_end:
                    life.add(sub_start + lag, Action.OVERDUE, detail={"due": due})
            else:
                yellow = max(warn, sub_start) + lag
                if yellow < sub_end and yellow < due:
                    life.add(yellow, Action.WARN, detail={"due": due})
                red = due + lag
                if red < sub_end:
                    life.add(red, Action.OVERDUE, detail={"due": due})
                    if rng.random() < 0.25:
                        level = rng.choice(("ordinary", "yellow", "yellow", "red"))
                        at = red + int(days_us(ONE_DAY) * (0.2 + 2 * rng.random()))
                        if at < sub_end:
                            life.add(at, Action.SUPERVISE, detail={"level": level})
            if boundary >= end:
                break
            days += added
            sub_start = boundary

"""Fitting a planned life into the three years, and the marks time leaves on it: extensions
that keep an open case on time, urgency (加急) and supervision (督办) by the level above, and
the overdue sweep's yellow and red marks where a step ran past them."""

from __future__ import annotations

from cases.calendar import YELLOW_SHARE
from cases.models import Step, SupervisionLevel
from cases.services import MAX_EXTENSION_DAYS
from cases.workflow import Action

from .clock import days_us
from .lives import ONE_DAY, Life, S
from .plan import MINUTE

EXTENSION = (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION)


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


def keep_on_time(life: Life, avail: int) -> None:
    """A case open and on time at the end: one at a unit (in progress) whose handling step
    would have run past its limit asked for more time, in time, and had it approved, until
    the deadline lies beyond the end (延期, at most 30 working days at a time, as the service
    allows). A pending request planned in the step moves after the approvals. Other states
    are kept on time by their age (``CaseMaker._final``)."""
    if life.final != S.IN_PROGRESS or not life.steps or life.steps[-1].end is not None:
        return
    rng, run = life.rng, life.steps[-1]
    requests = [
        item for item in life.items if item.offset >= run.start and item.action in EXTENSION
    ]
    pending = None
    if requests and requests[-1].action == Action.REQUEST_EXTENSION:
        pending = requests.pop()
        life.items.remove(pending)
    dispatched = [i.offset for i in life.items if i.action == Action.DISPATCH]
    low = max([run.start, *dispatched, *(item.offset for item in requests)])
    days = run.days + sum(added for _at, added in run.approvals)
    elapsed = avail - run.start
    # The deadline after the last approval: the end falls at 25-70 % of it.
    target = int(elapsed / days_us(ONE_DAY) / (0.25 + 0.45 * rng.random())) + 1
    for _ in range(6):
        due = run.start + days_us(days)
        if due > avail or due <= low:
            break
        added = max(1, min(MAX_EXTENSION_DAYS, target - int(days)))
        asked = low + int((due - low) * (0.4 + 0.4 * rng.random()))
        decided = asked + max(1, int((due - asked) * (0.2 + 0.6 * rng.random())))
        life.add(asked, Action.REQUEST_EXTENSION, detail={"days": added})
        life.add(decided, Action.APPROVE_EXTENSION, detail={"days": added})
        run.approvals.append((decided, added))
        days += added
        low = decided
    if pending is not None:
        pending.offset = low + int((avail - low) * (0.2 + 0.7 * rng.random()))
        life.items.append(pending)


def supervise_running(life: Life, avail: int) -> None:
    """督办 by the level above of an open case that is on time: a case that matters to
    someone, while its present step runs."""
    if not life.steps:
        return
    run = life.steps[-1]
    at = run.start + int((avail - run.start) * (0.2 + 0.7 * life.rng.random()))
    if at < avail:
        life.add(at, Action.SUPERVISE, detail={"level": SupervisionLevel.ORDINARY})

"""Cases (a million at scale 1), each with its timeline, assignments and supervision.

A case's life is planned as the transitions of ``cases.workflow`` at offsets of *working time*
after the report (:class:`Life`): durations are drawn as shares of the category's limits,
escalations move it up a tier, dispatches name lead and cooperating units. Because every offset
is working time, squeezing a life into the time left before :data:`~.plan.END_DATE` is a
multiplication. The overdue sweep's yellow and red marks are added where a step ran past them.
:meth:`CaseMaker.write` then replays the timeline in order, applying what each service does
(state, tier, running step, assignments started and ended, supervision), and writes the rows.
Which state a case is in at the end depends on its age: recent cases are mostly open, a small
share of old ones are stuck (and overdue)."""

from __future__ import annotations

import bisect
import math
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone

from accounts.personal_data import encrypt
from cases.calendar import YELLOW_SHARE, WorkCalendar
from cases.models import (
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseSource,
    CaseState,
    Category,
    CategoryLimit,
    Satisfaction,
    Step,
    Supervision,
    SupervisionLevel,
    Tier,
)
from cases.services import DEFAULT_LIMITS
from cases.workflow import Action

from .clock import days_us
from .copying import NULL, esc, jsonb
from .district import Loader, Node
from .names import (
    CATEGORY_DEPARTMENTS,
    CATEGORY_WEIGHTS,
    DESCRIPTION_TAILS,
    NOTES,
    SOURCES,
    UNSATISFIED_NOTES,
    cumulative,
    pick,
)
from .plan import CALENDAR_HORIZON, DAY, END_DATE, HOUR, MINUTE, LoadError

S = CaseState
#: The step whose deadline runs in each open state (none once verified).
OPEN_STEP = {
    S.REPORTED: Step.ACCEPT,
    S.ACCEPTED: Step.HANDLE,
    S.IN_PROGRESS: Step.HANDLE,
    S.RESOLVED: Step.VERIFY,
}
#: 社区呼叫: the tier a case escalates to (``cases.policies.next_tier``).
TIER_UP: dict[str, str] = {
    Tier.GRID: Tier.STREET,
    Tier.COMMUNITY: Tier.STREET,
    Tier.STREET: Tier.DISTRICT,
}
SUPERVISION_RANK = {"": 0, "ordinary": 1, "yellow": 2, "red": 3}
#: Actions after which no deadline, or a new one, runs: the alert starts afresh.
STEP_CHANGES = frozenset(
    {
        Action.ACCEPT,
        Action.ESCALATE,
        Action.HANDLE,
        Action.RESOLVE,
        Action.REJECT,
        Action.MERGE,
        Action.VERIFY,
        Action.RATE,
    }
)
#: Relative number of reports in each hour of the day (local time).
HOURLY = (2, 1, 1, 1, 2, 5, 12, 30, 60, 80, 80, 70, 50, 50, 70, 80, 80, 70, 50, 40, 30, 20, 10, 5)
ONE_DAY = Decimal(1)


class Showcase(NamedTuple):
    """A recent open case planted in the first community (see :data:`SHOWCASE`)."""

    final: str
    code: str
    escalations: int = 0
    lead: str = ""  # who leads once dispatched: "area", "dept" (the first one) or "company"
    extra: str = ""  # "coop", "extension" (pending), "urgent" or "supervised"


#: A fixed handful of recent open cases in the first community, about 32 at any scale, so
#: every benchmark account has work in its queue even at scale 0.002: the community and grid
#: desks, the street and district desks (escalated cases), the first department's liaison.
SHOWCASE = [
    Showcase(S.REPORTED, "HJ01"),
    Showcase(S.ACCEPTED, "HJ01"),
    Showcase(S.IN_PROGRESS, "HJ01", lead="area"),
    Showcase(S.IN_PROGRESS, "SZ01", lead="dept", extra="coop"),
    Showcase(S.RESOLVED, "HJ03", lead="area"),
    Showcase(S.VERIFIED, "AQ02", lead="area"),
    Showcase(S.ACCEPTED, "HJ01", escalations=1),
    Showcase(S.IN_PROGRESS, "SZ01", escalations=1, lead="dept"),
    Showcase(S.REPORTED, "MJ01"),
    Showcase(S.ACCEPTED, "SZ01", escalations=1),
    Showcase(S.IN_PROGRESS, "HJ02", lead="area", extra="extension"),
    Showcase(S.REPORTED, "SZ02"),
    Showcase(S.IN_PROGRESS, "WY01", lead="company"),
    Showcase(S.RESOLVED, "SZ01", lead="dept"),
    Showcase(S.IN_PROGRESS, "AQ03", lead="dept", extra="urgent"),
    Showcase(S.IN_PROGRESS, "MS01", lead="area", extra="supervised"),
]
SHOWCASE_DAYS = 45


class Unit(NamedTuple):
    """A handling unit, as ``cases.services.Unit`` names it."""

    kind: str  # "area", "department" or "company"
    pk: int
    name: str

    @property
    def key(self) -> str:
        return str((self.kind, self.pk))


class Item:
    """One timeline row being planned, at ``offset`` working microseconds after the report.
    Transitions name the states they lead from and to; the others (replies, extensions,
    urgency, supervision, sweep marks) leave the state as it is."""

    __slots__ = ("action", "detail", "from_state", "offset", "order", "to_state", "unit", "units")

    def __init__(
        self,
        offset: int,
        action: str,
        from_state: str | None = None,
        to_state: str | None = None,
        *,
        detail: dict[str, Any] | None = None,
        unit: Unit | None = None,
        units: tuple[Unit, ...] = (),
    ) -> None:
        self.offset = offset
        self.action = action
        self.from_state = from_state
        self.to_state = to_state
        self.order = 0
        self.detail = detail or {}
        self.unit = unit
        self.units = units


class StepRun:
    """A deadline that ran: a step from ``start`` to ``end`` (None: still running at the end),
    of ``days`` working days plus the extensions approved on the way."""

    __slots__ = ("approvals", "days", "end", "start", "step")

    def __init__(self, step: str, start: int, days: Decimal) -> None:
        self.step = step
        self.start = start
        self.end: int | None = None
        self.days = days
        self.approvals: list[tuple[int, int]] = []


class Life:
    """One case's life, planned from the state it is to be in at the end."""

    def __init__(
        self,
        maker: CaseMaker,
        category: Category,
        community: Node,
        estate: Node | None,
        final: str,
        show: Showcase | None,
    ) -> None:
        assert community.parent is not None
        self.maker = maker
        self.rng = maker.rng
        self.category = category
        self.code = category.code
        self.community = community
        self.estate = estate
        self.street = community.parent
        self.final = final
        self.show = show
        self.lead_want = show.lead if show else ""
        self.extra = show.extra if show else ""
        self.tier: str = category.start_tier
        self.items = [Item(0, Action.REPORT, "", S.REPORTED)]
        self.steps: list[StepRun] = []
        self.off = 0

    # -- helpers --

    def add(self, offset: int, action: str, *states: str, **extra: Any) -> None:
        self.items.append(Item(offset, action, *states, **extra))

    def transition(self, action: str, from_state: str, to_state: str, **extra: Any) -> None:
        self.add(self.off, action, from_state, to_state, **extra)

    def open_step(self, step: str) -> None:
        days = self.maker.limits[(self.category.pk, self.tier)][step]
        self.steps.append(StepRun(step, self.off, days))

    def close_step(self) -> None:
        self.steps[-1].end = self.off

    def duration(self, step: str, quick: bool) -> int:
        """How long a step took, in working microseconds: mostly within its limit, sometimes
        past the yellow mark, now and then overdue, rarely far overdue."""
        rng = self.rng
        x = rng.random()
        if quick:
            share = (
                0.02 + 0.5 * rng.random()
                if x < 0.88
                else 0.52 + 0.48 * rng.random()
                if x < 0.98
                else 1.0 + 2.0 * rng.random()
            )
        elif x < 0.8:
            share = 0.05 + 0.6 * rng.random()
        elif x < 0.96:
            share = 0.65 + 0.35 * rng.random()
        elif x < 0.99:
            share = 1.0 + 1.5 * rng.random()
        else:
            share = 2.5 + 5.5 * rng.random()
        days = self.maker.limits[(self.category.pk, self.tier)][step]
        return max(MINUTE, int(days_us(days) * share))

    def lead(self, want: str = "") -> Unit:
        """The lead unit of a dispatch at the current tier: the community office, the
        residential area's property company, a department for the category or the street
        office, as a desk of that tier would choose."""
        rng, maker, estate = self.rng, self.maker, self.estate
        departments = CATEGORY_DEPARTMENTS.get(self.code, [0])
        if want == "dept":
            return maker.departments[0]
        if want == "company" and estate is not None and estate.company_id:
            return maker.companies[estate.company_id]
        if want == "area":
            return maker.area_unit(self.community)

        def department() -> Unit:
            index = departments[0] if rng.random() < 0.7 else rng.choice(departments)
            return maker.departments[index]

        if self.tier in (Tier.GRID, Tier.COMMUNITY):
            company = estate.company_id if estate is not None else None
            if self.code.startswith("WY") and company and rng.random() < 0.8:
                return maker.companies[company]
            return department() if rng.random() < 0.12 else maker.area_unit(self.community)
        if self.tier == Tier.STREET:
            return department() if rng.random() < 0.6 else maker.area_unit(self.street)
        return department()

    # -- the plan --

    def plan(self) -> None:
        rng, final = self.rng, self.final
        self.open_step(Step.ACCEPT)
        if final == S.REPORTED:
            return
        if final == S.REJECTED:
            self.off = self.duration(Step.ACCEPT, True)
            self.close_step()
            self.transition(Action.REJECT, S.REPORTED, S.REJECTED)
            return
        if final == S.MERGED and rng.random() < 0.7:
            self.off = self.duration(Step.ACCEPT, True) // 4 + MINUTE
            self.close_step()
            self.transition(Action.MERGE, S.REPORTED, S.MERGED)
            return
        on_the_spot = (
            self.tier == Tier.GRID
            and final not in (S.ACCEPTED, S.IN_PROGRESS, S.MERGED)
            and self.show is None
            and rng.random() < 0.75
        )
        self.off = self.duration(Step.ACCEPT, True)
        self.close_step()
        if on_the_spot:
            # 即时办结: the grid worker solves it where it was found.
            self.transition(Action.HANDLE, S.REPORTED, S.RESOLVED)
            self.open_step(Step.VERIFY)
            self.verify_and_rate(reopening=False)
            return
        self.transition(Action.ACCEPT, S.REPORTED, S.ACCEPTED)
        self.open_step(Step.HANDLE)
        if final == S.MERGED:
            self.off += self.duration(Step.HANDLE, True) // 3 + MINUTE
            self.close_step()
            self.transition(Action.MERGE, S.ACCEPTED, S.MERGED)
            return
        self.escalate()
        rounds = 2 if final == S.CLOSED and rng.random() < 0.04 else 1
        for round_ in range(rounds):
            if not self.handle() or not self.verify_and_rate(reopening=round_ < rounds - 1):
                return

    def escalate(self) -> None:
        """社区呼叫: the desk calls the tier above after part of a handling step, now and then
        after dispatching first (the unit is released)."""
        rng = self.rng
        if self.show is not None:
            count = self.show.escalations
        else:
            x = rng.random()
            boost = 0.25 if self.final == S.ACCEPTED else 0.0
            count = 2 if x < 0.03 + boost / 3 else 1 if x < 0.14 + boost else 0
        for _ in range(count):
            if self.tier not in TIER_UP:
                return
            span = self.duration(Step.HANDLE, False) // 2 + MINUTE
            before = S.ACCEPTED
            if rng.random() < 0.3:
                self.add(
                    self.off + span // 5,
                    Action.DISPATCH,
                    S.ACCEPTED,
                    S.IN_PROGRESS,
                    unit=self.lead(),
                )
                before = S.IN_PROGRESS
            self.off += span
            self.close_step()
            from_tier, self.tier = self.tier, TIER_UP[self.tier]
            self.transition(Action.ESCALATE, before, S.ACCEPTED, detail={"from_tier": from_tier})
            self.open_step(Step.HANDLE)

    def handle(self) -> bool:
        """The handling step at the current tier: handled on the spot, or dispatched (with a
        send-back now and then, replies, extensions) up to the resolution. False where the
        case stays (accepted or in progress at the end)."""
        rng, final = self.rng, self.final
        span = self.duration(Step.HANDLE, False)
        start = self.off
        if final == S.ACCEPTED:
            if rng.random() < 0.15:
                lead = self.lead()
                self.add(start + span // 10, Action.DISPATCH, S.ACCEPTED, S.IN_PROGRESS, unit=lead)
                self.add(start + span // 4, Action.SEND_BACK, S.IN_PROGRESS, S.ACCEPTED)
            return False
        on_the_spot = (
            self.tier in (Tier.GRID, Tier.COMMUNITY)
            and final != S.IN_PROGRESS
            and not self.lead_want
            and rng.random() < 0.12
        )
        if on_the_spot:
            self.off = start + span
            self.close_step()
            self.transition(Action.HANDLE, S.ACCEPTED, S.RESOLVED)
            self.open_step(Step.VERIFY)
            return True
        at = start + int(span * (0.03 + 0.15 * rng.random()))
        lead = self.lead(self.lead_want)
        if not self.lead_want and rng.random() < 0.05:
            # 回退: the unit returns it; the desk dispatches to another one.
            self.add(at, Action.DISPATCH, S.ACCEPTED, S.IN_PROGRESS, unit=lead)
            at += int(span * 0.1)
            self.add(at, Action.SEND_BACK, S.IN_PROGRESS, S.ACCEPTED)
            at += int(span * 0.05)
            previous = lead
            for _ in range(3):
                lead = self.lead()
                if lead != previous:
                    break
            if lead == previous:
                maker = self.maker
                lead = (
                    maker.area_unit(self.community) if lead.kind != "area" else maker.departments[0]
                )
        cooperating: tuple[Unit, ...] = ()
        if self.extra == "coop" or rng.random() < 0.25:
            coop = (
                self.maker.area_unit(self.community)
                if lead.kind != "area"
                else self.maker.departments[CATEGORY_DEPARTMENTS.get(self.code, [0])[0]]
            )
            if coop != lead:
                cooperating = (coop,)
        self.add(at, Action.DISPATCH, S.ACCEPTED, S.IN_PROGRESS, unit=lead, units=cooperating)
        for unit in cooperating:
            if final != S.IN_PROGRESS or rng.random() < 0.7:
                self.add(
                    at + int((start + span - at) * (0.2 + 0.6 * rng.random())),
                    Action.REPLY,
                    unit=unit,
                )
        if rng.random() < 0.25:
            self.add(start + int(span * 0.9), Action.REPLY, unit=lead)
        pending = self.extra == "extension" or (final == S.IN_PROGRESS and rng.random() < 0.1)
        if pending or rng.random() < 0.06:
            days = 1 + int(rng.random() * 10)
            asked = start + int(span * (0.5 + 0.3 * rng.random()))
            self.add(asked, Action.REQUEST_EXTENSION, detail={"days": days})
            if not pending:
                decided = asked + int(span * (0.02 + 0.08 * rng.random()))
                if rng.random() < 0.7:
                    self.add(decided, Action.APPROVE_EXTENSION, detail={"days": days})
                    self.steps[-1].approvals.append((decided, days))
                else:
                    self.add(decided, Action.REFUSE_EXTENSION, detail={"days": days})
                span = max(span, decided - start + MINUTE)
        if final == S.IN_PROGRESS:
            return False
        self.off = start + span
        self.close_step()
        self.transition(Action.RESOLVE, S.IN_PROGRESS, S.RESOLVED)
        self.open_step(Step.VERIFY)
        return True

    def verify_and_rate(self, *, reopening: bool) -> bool:
        """On-site verification and the resident's rating (or a close without one). True
        where the resident was not satisfied and the case goes round again."""
        rng, final = self.rng, self.final
        if final == S.RESOLVED:
            return False
        self.off += self.duration(Step.VERIFY, True)
        self.close_step()
        self.transition(Action.VERIFY, S.RESOLVED, S.VERIFIED)
        if final == S.VERIFIED:
            return False
        self.off += int(days_us(ONE_DAY) * (0.05 + 1.5 * rng.random()))
        if reopening:
            unsatisfied = {"satisfaction": Satisfaction.UNSATISFIED}
            self.transition(Action.RATE, S.VERIFIED, S.ACCEPTED, detail=unsatisfied)
            self.open_step(Step.HANDLE)
            return True
        if rng.random() < 0.1:
            self.transition(Action.CLOSE, S.VERIFIED, S.CLOSED)
        else:
            rating = Satisfaction.SATISFIED if rng.random() < 0.78 else Satisfaction.BASICALLY
            self.transition(Action.RATE, S.VERIFIED, S.CLOSED, detail={"satisfaction": rating})
        return False

    # -- fitting it into the three years --

    def fit(self, avail: int) -> None:
        """Squeeze the life into the working time there was before the end, if it does not
        fit: every offset is working time from the report, so it is one factor."""
        last = max(item.offset for item in self.items)
        last = max([last, *(run.end for run in self.steps if run.end is not None)])
        if last < avail:
            return
        factor = avail * (0.3 + 0.6 * self.rng.random()) / last
        for item in self.items:
            item.offset = int(item.offset * factor)
        for run in self.steps:
            run.start = int(run.start * factor)
            if run.end is not None:
                run.end = int(run.end * factor)
            run.approvals = [(int(at * factor), days) for at, days in run.approvals]

    def urgency(self, avail: int) -> bool:
        """加急 at the report (no timeline row) or later; 督办 by the level above now and
        then, while the case is open. Returns the urgent flag at the report."""
        rng = self.rng
        urgent = self.extra == "urgent" or rng.random() < 0.02
        if rng.random() < 0.01 and len(self.steps) > 1:
            run = self.steps[1]
            at = run.start + int(((run.end or avail) - run.start) * 0.3)
            if at < avail:
                self.add(at, Action.MARK_URGENT)
        handling = [run for run in self.steps if run.step == Step.HANDLE]
        if handling and (self.extra == "supervised" or rng.random() < 0.004):
            run = handling[-1]
            at = run.start + int(((run.end or avail) - run.start) * 0.4)
            if at < avail:
                self.add(at, Action.SUPERVISE, detail={"level": SupervisionLevel.ORDINARY})
        return urgent

    def sweep(self, avail: int) -> None:
        """What ``sweep_overdue`` wrote while each step ran: a yellow mark at 70 % of the
        limit, a red one when it passed (each at the next sweep, within five minutes), and
        now and then a supervision by the level above after a red mark. An approved extension
        moves both marks and clears the alert."""
        rng = self.rng
        for run in self.steps:
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
                        self.add(sub_start + lag, Action.OVERDUE, detail={"due": due})
                else:
                    yellow = max(warn, sub_start) + lag
                    if yellow < sub_end and yellow < due:
                        self.add(yellow, Action.WARN, detail={"due": due})
                    red = due + lag
                    if red < sub_end:
                        self.add(red, Action.OVERDUE, detail={"due": due})
                        if rng.random() < 0.25:
                            level = rng.choice(("ordinary", "yellow", "yellow", "red"))
                            at = red + int(days_us(ONE_DAY) * (0.2 + 2 * rng.random()))
                            if at < sub_end:
                                self.add(at, Action.SUPERVISE, detail={"level": level})
                if boundary >= end:
                    break
                days += added
                sub_start = boundary


class Assignment:
    """A ``CaseAssignment`` row while the replay builds it."""

    __slots__ = ("assigned_at", "ended_at", "pk", "replied_at", "reply", "role", "unit")

    def __init__(self, pk: int, role: str, unit: Unit, assigned_at: int) -> None:
        self.pk = pk
        self.role = role
        self.unit = unit
        self.reply = ""
        self.replied_at: int | None = None
        self.assigned_at = assigned_at
        self.ended_at: int | None = None


class CaseMaker:
    """Cases day by day over the three years, in report order (ids follow time), each planned
    by a :class:`Life` and replayed into its rows."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.rng = loader.rng
        self.clock = loader.clock
        self.exceptions = loader.exceptions
        self.calendars: dict[date, WorkCalendar] = {}
        self.end = loader.end
        self.people = loader.people
        t = self.territory = loader.territory
        users = loader.users
        self.first_community = t.communities[0].id
        self.first_street = t.streets[0].id
        self.first_department = loader.departments[0].pk
        self.community_staff = users.community_staff.pk
        self.street_staff = users.street_staff.pk
        self.district_admin = users.district_admin.pk
        self.grid_worker = users.grid_worker.pk
        self.liaison = users.department_liaison.pk
        self.departments = [Unit("department", d.pk, d.name) for d in loader.departments]
        self.companies = {c.pk: Unit("company", c.pk, c.name) for c in loader.companies}
        self.units: dict[int, Unit] = {}
        self.community_cum = list(cumulative(0.7 + 0.6 * self.rng.random() for _ in t.communities))
        leaves = sorted(
            (c for c in loader.categories.values() if c.parent_id is not None),
            key=lambda c: c.code,
        )
        self.leaves = leaves
        self.leaf_by_code = {c.code: c for c in leaves}
        self.leaf_cum = list(cumulative(CATEGORY_WEIGHTS.get(c.code, 3) for c in leaves))
        self.sources = [source for source, _weight in SOURCES]
        self.source_cum = list(cumulative(weight for _source, weight in SOURCES))
        self.limits = self._limits(leaves)
        from cases.demo import TITLES

        self.titles = TITLES
        self.last_in_community: dict[int, tuple[int, str]] = {}
        self.supervision_pk = self.event_pk = self.assignment_pk = 0
        self.cases = loader.writer(
            Case,
            [
                "id",
                "number",
                "title",
                "description",
                "category",
                "source",
                "state",
                "tier",
                "area",
                "area_path",
                "street",
                "community",
                "address",
                "longitude",
                "latitude",
                "reporter",
                "contact_name",
                "contact_phone",
                "is_urgent",
                "supervision",
                "step",
                "step_started_at",
                "step_days",
                "warn_at",
                "due_at",
                "alert",
                "extension_requested_days",
                "satisfaction",
                "reopen_count",
                "duplicate_of",
                "created_at",
                "updated_at",
                "resolved_at",
                "closed_at",
            ],
        )
        self.events = loader.writer(
            CaseEvent,
            [
                "id",
                "case",
                "action",
                "actor",
                "at",
                "from_state",
                "to_state",
                "tier",
                "note",
                "detail",
            ],
        )
        self.assignments = loader.writer(
            CaseAssignment,
            [
                "id",
                "case",
                "role",
                "unit_area",
                "department",
                "company",
                "person",
                "reply",
                "replied_at",
                "assigned_at",
                "ended_at",
            ],
        )
        self.supervisions = loader.writer(Supervision, ["id", "case", "level", "by", "note", "at"])

    def _limits(self, leaves: list[Category]) -> dict[tuple[int, str], dict[str, Decimal]]:
        """``cases.services.limit_days`` for every leaf and tier, loaded once."""
        rows = {
            (limit.category_id, limit.tier): limit
            for limit in CategoryLimit.objects.filter(
                category_id__in={c.pk for c in leaves} | {c.parent_id for c in leaves}
            )
        }
        result: dict[tuple[int, str], dict[str, Decimal]] = {}
        for category in leaves:
            for tier in Tier.values:
                limit = rows.get((category.pk, tier)) or rows.get((category.parent_id or 0, tier))
                if limit is not None:
                    values = (limit.accept_days, limit.handle_days, limit.verify_days)
                else:
                    values = DEFAULT_LIMITS[tier]
                result[(category.pk, tier)] = {
                    Step.ACCEPT: Decimal(values[0]),
                    Step.HANDLE: Decimal(values[1]),
                    Step.VERIFY: Decimal(values[2]),
                }
        return result

    def area_unit(self, node: Node) -> Unit:
        unit = self.units.get(node.id)
        if unit is None:
            unit = self.units[node.id] = Unit("area", node.id, node.name)
        return unit

    # -- the run --

    def run(self, counts: dict[str, int]) -> None:
        loader, clock, rng = self.loader, self.clock, self.rng
        started = time.perf_counter()
        self.cases.progress = lambda n: (
            f"    … cases {n:,} / {loader.plan.cases:,}, events {self.events.count:,}"
            f" ({time.perf_counter() - started:.0f} s)"
        )
        first_day = clock.of(
            datetime.combine(loader.start_date, datetime.min.time(), tzinfo=loader.tz)
        )
        days = (END_DATE - loader.start_date).days + 1
        per_day = self._per_day(loader.start_date, days, loader.plan.cases)
        showcase_from = self.end - SHOWCASE_DAYS * DAY
        every = max(1, sum(per_day[-SHOWCASE_DAYS - 1 :]) // (2 * len(SHOWCASE)))
        hour_cum = list(cumulative(HOURLY))
        case_id = recent = shown = 0
        for d, n in enumerate(per_day):
            day_start = first_day + d * DAY
            limit = self.end - day_start if d == days - 1 else DAY
            moments = []
            for _ in range(n):
                while True:
                    hour = bisect.bisect_right(hour_cum, rng.random() * hour_cum[-1])
                    moment = hour * HOUR + int(rng.random() * HOUR)
                    if moment < limit:
                        break
                moments.append(day_start + moment)
            moments.sort()
            for t0 in moments:
                case_id += 1
                show = None
                if t0 >= showcase_from:
                    if recent % every == 0:
                        show = SHOWCASE[shown % len(SHOWCASE)]
                        shown += 1
                    recent += 1
                self.make(case_id, t0, show)
        for writer in (self.cases, self.events, self.assignments, self.supervisions):
            writer.flush()
        counts["cases"] = self.cases.count
        counts["case events"] = self.events.count
        counts["case assignments"] = self.assignments.count
        counts["supervisions"] = self.supervisions.count

    def _per_day(self, start: date, days: int, total: int) -> list[int]:
        """Cases per day: a 30 % rise over the three years, quieter weekends and holidays, a
        summer peak; largest remainder, so the total is exact."""
        clock = self.clock
        weights = []
        for d in range(days):
            day = start + timedelta(d)
            weight = 1 + 0.3 * d / days
            weight *= 1 + 0.12 * math.sin((day.timetuple().tm_yday - 100) / 365 * 2 * math.pi)
            if not clock.working[(day - clock.first).days]:
                weight *= 0.55
            weights.append(weight)
        scale = total / sum(weights)
        shares = [w * scale for w in weights]
        counts = [int(s) for s in shares]
        order = sorted(range(days), key=lambda i: (int(shares[i]) - shares[i], i))
        for i in order[: total - sum(counts)]:
            counts[i] += 1
        return counts

    def _final(self, age: float) -> str:
        """The state at the end of a case reported ``age`` days before it: nearly all of the
        last days' cases are open, a fifth of last month's, a few in a hundred of last year's
        (stuck, and overdue); younger open cases wait at the desk, older ones at a unit."""
        rng = self.rng
        p_open = (
            0.95 * math.exp(-age / 2)
            + 0.8 * math.exp(-age / 6)
            + 0.18 * math.exp(-age / 30)
            + 0.025 * math.exp(-age / 300)
        )
        x = rng.random()
        if rng.random() < p_open:
            if age < 1:
                shares = (0.45, 0.70, 0.90, 0.98)
            elif age < 10:
                shares = (0.10, 0.28, 0.73, 0.88)
            else:
                shares = (0.06, 0.28, 0.83, 0.93)
            states = (S.REPORTED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED)
            return next(
                (s for s, share in zip(states, shares, strict=True) if x < share), S.VERIFIED
            )
        return S.REJECTED if x < 0.03 else S.MERGED if x < 0.046 else S.CLOSED

    # -- one case --

    def make(self, pk: int, t0: int, show: Showcase | None) -> None:
        rng, t = self.rng, self.territory
        avail = self.clock.work(self.end) - self.clock.work(t0)
        estate: Node | None
        if show is not None:
            community = t.communities[0]
            estate = area = community.children[0]
            category = self.leaf_by_code.get(show.code) or pick(rng, self.leaves, self.leaf_cum)
        else:
            community = pick(rng, t.communities, self.community_cum)
            x = rng.random()
            if x < 0.25:
                estate, area = None, community
            else:
                estate = area = community.children[int(rng.random() * len(community.children))]
                if x >= 0.55:
                    area = estate.children[int(rng.random() * len(estate.children))]
            category = pick(rng, self.leaves, self.leaf_cum)
        source = pick(rng, self.sources, self.source_cum)
        if category.code.startswith("WY") and rng.random() < 0.5:
            source = CaseSource.PROPERTY
        final = show.final if show is not None else self._final((self.end - t0) / DAY)
        merge_into = self.last_in_community.get(community.id)
        if final == S.MERGED and merge_into is None:
            final = S.REJECTED
        life = Life(self, category, community, estate, final, show)
        life.plan()
        life.fit(avail)
        urgent = life.urgency(avail)
        life.sweep(avail)
        self.write(pk, t0, life, source, area, urgent, merge_into)

    # -- who did it --

    def desk(self, tier: str, life: Life) -> int | None:
        """The benchmark account at the desk of ``tier`` for this case, if there is one."""
        if tier in (Tier.GRID, Tier.COMMUNITY):
            return self.community_staff if life.community.id == self.first_community else None
        if tier == Tier.STREET:
            return self.street_staff if life.street.id == self.first_street else None
        return self.district_admin

    def above(self, tier: str, life: Life) -> int | None:
        if tier in (Tier.GRID, Tier.COMMUNITY):
            return self.street_staff if life.street.id == self.first_street else None
        return self.district_admin

    def on_site(self, life: Life) -> int | None:
        return self.grid_worker if life.community.id == self.first_community else None

    def in_unit(self, unit: Unit | None) -> int | None:
        if unit is None:
            return None
        if unit.kind == "department" and unit.pk == self.first_department:
            return self.liaison
        if unit.kind == "area" and unit.pk == self.first_community:
            return self.community_staff
        if unit.kind == "area" and unit.pk == self.first_street:
            return self.street_staff
        return None

    # -- the replay --

    def write(
        self,
        pk: int,
        t0: int,
        life: Life,
        source: str,
        area: Node,
        urgent: bool,
        merge_into: tuple[int, str] | None,
    ) -> None:
        """Replay the planned timeline in order, applying what each service does, and write
        the case, its events, assignments and supervisions."""
        rng, clock = self.rng, self.clock
        category, community, estate, street = (
            life.category,
            life.community,
            life.estate,
            life.street,
        )
        w0 = clock.work(t0)
        items = life.items
        for order, item in enumerate(items):
            item.order = order
        items.sort(key=lambda i: (i.offset, i.order))

        def moment(offset: int) -> int:
            return t0 if offset == 0 else clock.from_work(w0 + offset)

        number = f"SJ{clock.local_compact_date(t0)}{pk:07d}"
        title = self.titles.get(category.code, category.name)
        title = (f"{estate.name}{title}" if estate is not None else title)[:100]
        description = f"{title}，{DESCRIPTION_TAILS[int(rng.random() * len(DESCRIPTION_TAILS))]}"
        reporter = self.on_site(life) if source == CaseSource.GRID else None
        state, tier = S.REPORTED, category.start_tier
        supervision = satisfaction = alert = ""
        reopen_count = 0
        resolved_at: int | None = None
        closed_at: int | None = None
        extension: int | None = None
        duplicate_of: tuple[int, str] | None = None
        active: list[Assignment] = []
        finished: list[Assignment] = []

        def end_assignments(at: int) -> None:
            for row in active:
                row.ended_at = at
            finished.extend(active)
            active.clear()

        updated = t0
        for item in items:
            at = moment(item.offset)
            action = item.action
            actor: int | None = None
            detail = item.detail
            note = ""
            before = state
            if item.from_state is not None and item.from_state not in ("", before):
                raise LoadError(
                    f"case {pk}: {action} planned from {item.from_state}, replayed from {before}"
                )
            if action == Action.REPORT:
                actor, note, detail = reporter, description[:500], {"source": source}
            elif action in (Action.WARN, Action.OVERDUE):
                detail = {"due_at": clock.utc_iso(clock.from_work(w0 + item.detail["due"]))}
                alert = "yellow" if action == Action.WARN else "red"
                if alert == "red" and not supervision:
                    supervision = SupervisionLevel.ORDINARY
                    self.supervision(pk, supervision, None, "超期自动督办", at)
            elif action == Action.SUPERVISE:
                level = detail["level"]
                actor = self.above(tier, life)
                note = self.note(action)
                self.supervision(pk, level, actor, note, at)
                if SUPERVISION_RANK[level] > SUPERVISION_RANK[supervision]:
                    supervision = level
            elif action == Action.MARK_URGENT:
                if urgent:
                    continue
                urgent, actor, note = True, self.desk(tier, life), self.note(action)
            else:
                note = self.note(action)
                if action == Action.ACCEPT:
                    actor, state = self.desk(tier, life), S.ACCEPTED
                elif action == Action.REJECT:
                    actor, state, closed_at = self.desk(tier, life), S.REJECTED, at
                elif action == Action.MERGE:
                    actor, state, closed_at = self.desk(tier, life), S.MERGED, at
                    duplicate_of = merge_into
                    detail = {"into": merge_into[1] if merge_into else ""}
                elif action == Action.HANDLE:
                    actor = self.on_site(life) if before == S.REPORTED else self.desk(tier, life)
                    state, resolved_at = S.RESOLVED, at
                elif action == Action.ESCALATE:
                    actor = self.desk(tier, life)
                    end_assignments(at)
                    state, tier, extension = S.ACCEPTED, TIER_UP[tier], None
                elif action == Action.DISPATCH:
                    actor = self.desk(tier, life)
                    end_assignments(at)
                    assert item.unit is not None
                    self.assignment_pk += 1
                    active.append(
                        Assignment(self.assignment_pk, AssignmentRole.LEAD, item.unit, at)
                    )
                    for unit in item.units:
                        self.assignment_pk += 1
                        active.append(
                            Assignment(self.assignment_pk, AssignmentRole.COOPERATING, unit, at)
                        )
                    detail = {"lead": item.unit.key, "cooperating": [u.key for u in item.units]}
                    state = S.IN_PROGRESS
                elif action == Action.REPLY:
                    mine = [row for row in active if row.unit == item.unit]
                    for row in mine:
                        row.reply, row.replied_at = note, at
                    actor = self.in_unit(item.unit)
                    detail = {"units": [row.unit.name for row in mine]}
                elif action == Action.SEND_BACK:
                    actor = self.in_unit(active[0].unit if active else None)
                    end_assignments(at)
                    state, extension = S.ACCEPTED, None
                elif action == Action.REQUEST_EXTENSION:
                    actor = self.in_unit(active[0].unit if active else None)
                    extension = detail["days"]
                elif action in (Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION):
                    actor, extension = self.desk(tier, life), None
                    if action == Action.APPROVE_EXTENSION:
                        alert = ""
                elif action == Action.RESOLVE:
                    actor = self.in_unit(active[0].unit if active else None)
                    state, resolved_at = S.RESOLVED, at
                elif action == Action.VERIFY:
                    actor, state = self.on_site(life), S.VERIFIED
                elif action == Action.RATE:
                    actor, satisfaction = self.on_site(life), detail["satisfaction"]
                    if satisfaction == Satisfaction.UNSATISFIED:
                        note = UNSATISFIED_NOTES[int(rng.random() * len(UNSATISFIED_NOTES))]
                        end_assignments(at)
                        state, resolved_at, closed_at = S.ACCEPTED, None, None
                        reopen_count += 1
                    else:
                        state, closed_at = S.CLOSED, at
                elif action == Action.CLOSE:
                    actor, state, closed_at = self.on_site(life), S.CLOSED, at
                if action in STEP_CHANGES:
                    alert = ""
            self.event_pk += 1
            self.events.add(
                str(self.event_pk),
                str(pk),
                action,
                str(actor) if actor else NULL,
                clock.text(at),
                "" if action == Action.REPORT else before,
                state,
                tier,
                esc(note),
                jsonb(detail),
            )
            updated = at
        # The step still running at the end, with the deadlines the services computed.
        step = OPEN_STEP.get(state, "")
        running = [NULL, NULL, NULL, NULL, ""]
        if step:
            run = life.steps[-1]
            days = run.days + sum(added for _at, added in run.approvals)
            started = moment(run.start)
            warn_at, due_at = self.deadlines(clock.aware(started), days)
            running = [clock.text(started), f"{days:.2f}", str(warn_at), str(due_at), alert]
        for row in [*finished, *active]:
            kind, unit_pk = row.unit.kind, str(row.unit.pk)
            self.assignments.add(
                str(row.pk),
                str(pk),
                row.role,
                unit_pk if kind == "area" else NULL,
                unit_pk if kind == "department" else NULL,
                unit_pk if kind == "company" else NULL,
                NULL,
                esc(row.reply),
                clock.text(row.replied_at) if row.replied_at is not None else NULL,
                clock.text(row.assigned_at),
                clock.text(row.ended_at) if row.ended_at is not None else NULL,
            )
        contact_name = contact_phone = ""
        if source in (CaseSource.RESIDENT, CaseSource.HOTLINE, CaseSource.PROPERTY):
            contact_name = self.people.name("M" if rng.random() < 0.5 else "F")
            contact_phone = encrypt(self.people.phone())
        longitude = latitude = NULL
        if estate is not None and estate.grid_index is not None:
            cell = self.loader.cells[estate.grid_index]
            longitude = f"{cell.min_lon + (cell.max_lon - cell.min_lon) * rng.random():.6f}"
            latitude = f"{cell.min_lat + (cell.max_lat - cell.min_lat) * rng.random():.6f}"
        if estate is None:
            address = f"{community.name}辖区"
        else:
            address = estate.name + (area.name if area is not estate else "")
        self.cases.add(
            str(pk),
            number,
            title,
            description,
            str(category.pk),
            source,
            state,
            tier,
            str(area.id),
            area.path,
            str(street.id),
            str(community.id),
            address,
            longitude,
            latitude,
            str(reporter) if reporter else NULL,
            contact_name,
            contact_phone,
            "t" if urgent else "f",
            supervision,
            step,
            *running,
            str(extension) if extension else NULL,
            satisfaction,
            str(reopen_count),
            str(duplicate_of[0]) if duplicate_of else NULL,
            clock.text(t0),
            clock.text(updated),
            clock.text(resolved_at) if resolved_at is not None else NULL,
            clock.text(closed_at) if closed_at is not None else NULL,
        )
        if state not in (S.MERGED, S.REJECTED):
            self.last_in_community[community.id] = (pk, number)

    def note(self, action: str) -> str:
        notes = NOTES.get(action, [""])
        return notes[int(self.rng.random() * len(notes))]

    def deadlines(self, start: datetime, days: Decimal) -> tuple[datetime, datetime]:
        """``cases.calendar.deadlines`` without its query (the copy thread owns the
        connection): the calendar it loads (from the start's local date, its horizon ahead)
        and the same arithmetic, so the stored deadlines are the services' to the
        microsecond, their time zone handling included."""
        first = timezone.localtime(start, self.loader.tz).date()
        calendar = self.calendars.get(first)
        if calendar is None:
            last = first + timedelta(days=CALENDAR_HORIZON)
            calendar = self.calendars[first] = WorkCalendar(
                exceptions={d: w for d, w in self.exceptions if first <= d <= last}
            )
        return (
            calendar.add_working_days(start, days * YELLOW_SHARE),
            calendar.add_working_days(start, days),
        )

    def supervision(self, case_pk: int, level: str, by: int | None, note: str, at: int) -> None:
        self.supervision_pk += 1
        self.supervisions.add(
            str(self.supervision_pk),
            str(case_pk),
            level,
            str(by) if by else NULL,
            esc(note),
            self.clock.text(at),
        )

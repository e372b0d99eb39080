"""A case's life, planned before a row is written: the transitions of ``cases.workflow`` at
offsets of *working time* after the report. Durations are drawn as shares of the category's
limits, escalations move the case up a tier, dispatches name lead and cooperating units
(:class:`Unit`). Every offset being working time, squeezing a life into the time left before
:data:`~.plan.END_DATE` is a multiplication (:mod:`.marks`)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from cases.models import CaseState, Category, Satisfaction, Step, Tier
from cases.workflow import Action

from .clock import days_us
from .district import Node
from .names import CATEGORY_DEPARTMENTS
from .plan import MINUTE

S = CaseState

#: 社区呼叫: the tier a case escalates to (``cases.policies.next_tier``).
TIER_UP: dict[str, str] = {
    Tier.GRID: Tier.STREET,
    Tier.COMMUNITY: Tier.STREET,
    Tier.STREET: Tier.DISTRICT,
}
ONE_DAY = Decimal(1)


class Showcase(NamedTuple):
    """A recent open case planted in the first community (see :data:`SHOWCASE`)."""

    final: str
    code: str
    escalations: int = 0
    lead: str = ""  # who leads once dispatched: "area", "dept" (the first one) or "company"
    extra: str = ""  # "coop", "extension" (pending), "urgent" or "supervised"


#: A fixed handful of recent open cases in the first community, 16 at any scale, so every
#: benchmark account has work in its queue even at scale 0.002: the community and grid desks,
#: the street and district desks (escalated cases), the first department's liaison. Newest
#: first: the last case reported takes the first, and so on back, so that the states with the
#: shortest deadlines fall to the youngest cases and the showcase is on time.
SHOWCASE = [
    Showcase(S.REPORTED, "HJ01"),
    Showcase(S.REPORTED, "MJ01"),
    Showcase(S.REPORTED, "SZ02"),
    Showcase(S.RESOLVED, "HJ03", lead="area"),
    Showcase(S.RESOLVED, "SZ01", lead="dept"),
    Showcase(S.ACCEPTED, "HJ01"),
    Showcase(S.ACCEPTED, "HJ01", escalations=1),
    Showcase(S.ACCEPTED, "SZ01", escalations=1),
    Showcase(S.IN_PROGRESS, "HJ01", lead="area"),
    Showcase(S.IN_PROGRESS, "SZ01", lead="dept", extra="coop"),
    Showcase(S.VERIFIED, "AQ02", lead="area"),
    Showcase(S.IN_PROGRESS, "SZ01", escalations=1, lead="dept"),
    Showcase(S.IN_PROGRESS, "HJ02", lead="area", extra="extension"),
    Showcase(S.IN_PROGRESS, "WY01", lead="company"),
    Showcase(S.IN_PROGRESS, "AQ03", lead="dept", extra="urgent"),
    Showcase(S.IN_PROGRESS, "MS01", lead="area", extra="supervised"),
]
#: The showcase is spread over about this many days' cases before the end.
SHOWCASE_DAYS = 3


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


class Planner(Protocol):
    """What a life asks of the case maker: the random generator, the category limits and the
    handling units it may name."""

    rng: random.Random
    limits: dict[tuple[int, str], dict[str, Decimal]]
    departments: list[Unit]
    companies: dict[int, Unit]

    def area_unit(self, node: Node) -> Unit: ...


class Life:
    """One case's life, planned from the state it is to be in at the end."""

    def __init__(
        self,
        maker: Planner,
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

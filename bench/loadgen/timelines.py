"""Cases (a million at scale 1), each with its timeline, assignments and supervision.

:class:`CaseMaker` draws cases day by day over the three years in report order (ids follow
time): when, where, which category and source, and the state each is in at the end, which
depends on its age (recent cases are mostly open, a small share of old ones are stuck and
overdue). Each case's life is planned by :class:`~.lives.Life`, fitted into the time there was
and marked by the sweep (:mod:`.marks`), then replayed into its rows (:mod:`.replay`)."""

from __future__ import annotations

import bisect
import math
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from cases.models import OPEN_STATES, CaseSource, Category, CategoryLimit, Step, Tier
from cases.services import DEFAULT_LIMITS

from .district import Loader, Node
from .lives import SHOWCASE, SHOWCASE_DAYS, Life, S, Showcase, Unit
from .marks import fit, keep_on_time, supervise_running, sweep, urgency
from .names import CATEGORY_WEIGHTS, SOURCES, cumulative, pick
from .plan import DAY, END_DATE, HOUR
from .replay import Replay

#: Relative number of reports in each hour of the day (local time).
HOURLY = (2, 1, 1, 1, 2, 5, 12, 30, 60, 80, 80, 70, 50, 50, 70, 80, 80, 70, 50, 40, 30, 20, 10, 5)


class CaseMaker:
    """Cases day by day over the three years, in report order (ids follow time), each planned
    by a :class:`Life` and replayed into its rows."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self.rng = loader.rng
        self.shares = loader.plan.shares
        self.clock = loader.clock
        self.end = loader.end
        t = self.territory = loader.territory
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
        self.replay = Replay(loader)

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
        self.replay.cases.progress = lambda n: (
            f"    … cases {n:,} / {loader.plan.cases:,}, events {self.replay.events.count:,}"
            f" ({time.perf_counter() - started:.0f} s)"
        )
        first_day = clock.of(
            datetime.combine(loader.start_date, datetime.min.time(), tzinfo=loader.tz)
        )
        days = (END_DATE - loader.start_date).days + 1
        per_day = self._per_day(loader.start_date, days, loader.plan.cases)
        # The showcase goes to the newest cases, every ``every``-th counted back from the last
        # one, the states with the shortest deadlines to the youngest (SHOWCASE is in that
        # order), so that it is on time like the district around it.
        every = max(1, sum(per_day[-SHOWCASE_DAYS:]) // len(SHOWCASE))
        total = sum(per_day)
        showcase = {total - k * every: show for k, show in enumerate(SHOWCASE)}
        hour_cum = list(cumulative(HOURLY))
        case_id = 0
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
                self.make(case_id, t0, showcase.get(case_id))
        self.replay.flush(counts)

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

    def _final(self, age: float) -> tuple[str, bool]:
        """The state at the end of a case reported ``age`` days before it, and whether it is
        on time there (:class:`~.plan.Shares`): nearly all of the last day's cases are open,
        most of the last week's, some of the last months' (at a unit, with extensions), and a
        few in a thousand of older ones, stuck and overdue. The youngest open cases wait at
        the desk, older ones at a unit."""
        rng, shares = self.rng, self.shares
        p_on_time = sum(a * math.exp(-age / tau) for a, tau in shares.on_time)
        a, tau = shares.stuck
        p_stuck = a * math.exp(-age / tau) * (1 - math.exp(-age / 15))
        x = rng.random()
        y = rng.random()
        if y < p_on_time:
            if age < 0.7:
                cut = (0.40, 0.65, 0.87, 0.97)
            elif age < 2.5:
                cut = (0.0, 0.15, 0.85, 0.93)
            else:  # only a unit's handling step can have been extended
                cut = (0.0, 0.0, 0.9, 0.9)
            on_time = True
        elif y < min(1.0, p_on_time) + p_stuck:
            cut, on_time = (0.06, 0.28, 0.83, 0.93), False
        else:
            return (S.REJECTED if x < 0.03 else S.MERGED if x < 0.046 else S.CLOSED), False
        states = (S.REPORTED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED)
        final = next((s for s, share in zip(states, cut, strict=True) if x < share), S.VERIFIED)
        return final, on_time

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
        if show is not None:
            final, on_time = show.final, True
        else:
            final, on_time = self._final((self.end - t0) / DAY)
        merge_into = self.replay.last_in_community.get(community.id)
        if final == S.MERGED and merge_into is None:
            final = S.REJECTED
        life = Life(self, category, community, estate, final, show)
        life.plan()
        fit(life, avail)
        if on_time:
            keep_on_time(life, avail)
        urgent = urgency(life, avail)
        if on_time and final in OPEN_STATES and rng.random() < self.shares.supervised_on_time:
            supervise_running(life, avail)
        sweep(life, avail)
        self.replay.write(pk, t0, life, source, area, urgent, merge_into)

"""Scale, counts and the fixed moment the synthetic district is built around."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cases import calendar as case_calendar

SEED = 20261127
#: Bumped whenever the same scale and seed start giving other data: a database loaded by an
#: older generator is loaded again rather than measured as if it were this one.
GENERATOR_VERSION = 3
#: The moment the three years of cases end (the load's "now"): a Friday, 17:30 Beijing time.
END_DATE = date(2026, 11, 27)
END_TIME_OF_DAY = timedelta(hours=17, minutes=30)
YEARS = 3
#: The benchmark accounts' password. Usable only in a benchmark database: the command refuses
#: to run on a database holding anything it did not load.
PASSWORD = "Bench-Load-2026!"
#: Appears in progress lines every this many rows of a large table.
PROGRESS_EVERY = 100_000
CHUNK_ROWS = 20_000

DAY = 86_400_000_000  # microseconds
HOUR = 3_600_000_000
MINUTE = 60_000_000

#: Rows at scale 1; the district and its six streets do not scale.
BASE = {
    "communities": 60,
    "grids": 600,
    "residential_areas": 1_800,
    "buildings": 12_000,
    "households": 300_000,
    "party_members": 20_000,
    "cases": 1_000_000,
}
STREETS = 6
#: How far ahead ``cases.calendar.deadlines`` loads the work calendar.
CALENDAR_HORIZON: int = getattr(case_calendar, "_HORIZON_DAYS", 400)


@dataclass(frozen=True)
class Shares:
    """How open, late and supervised the district is at the end, as a real one is: about 2 %
    of cases open, 5-10 % of those overdue, about 10 % supervised.

    A case reported ``age`` days before the end is still open there, and on time, with the
    probability ``sum(a * exp(-age / tau) for a, tau in on_time)`` (capped at 1): nearly every
    case of the last day, most of the last week's, some of the last months' (those at a unit,
    with extensions approved). It is open and stuck (overdue, in any open state) with the
    probability ``stuck[0] * exp(-age / stuck[1]) * (1 - exp(-age / 15))``. An open case on
    time is supervised (督办) by the level above with the probability ``supervised_on_time``
    (the overdue ones are, by the sweep)."""

    on_time: tuple[tuple[float, float], ...] = ((0.97, 1.5), (0.7, 6.0), (0.6, 25.0))
    stuck: tuple[float, float] = (0.0045, 300.0)
    supervised_on_time: float = 0.015
    #: What the three describe, for the record (``LoadMarker.parameters``).
    targets: tuple[tuple[str, str], ...] = (
        ("open_of_cases", "about 2 %"),
        ("overdue_of_open", "5-10 %"),
        ("supervised_of_open", "about 10 %"),
    )

    def as_dict(self) -> dict[str, object]:
        return {
            "on_time": [list(term) for term in self.on_time],
            "stuck": list(self.stuck),
            "supervised_on_time": self.supervised_on_time,
            "targets": dict(self.targets),
        }


class LoadError(Exception):
    """A load the command must refuse (the message says why and what to do)."""


def _scaled(base: int, scale: Decimal, minimum: int) -> int:
    value = int((Decimal(base) * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(minimum, value)


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind a scale asks for."""

    scale: Decimal
    seed: int
    streets: int
    communities: int
    grids: int
    residential_areas: int
    buildings: int
    households: int
    party_members: int
    cases: int
    shares: Shares = Shares()

    @classmethod
    def for_scale(cls, scale: Decimal | float | str, seed: int = SEED) -> Plan:
        value = Decimal(str(scale)).normalize()
        if value <= 0:
            raise LoadError("--scale must be positive")
        communities = _scaled(BASE["communities"], value, STREETS)
        grids = _scaled(BASE["grids"], value, communities)
        estates = _scaled(BASE["residential_areas"], value, communities)
        buildings = _scaled(BASE["buildings"], value, estates)
        households = _scaled(BASE["households"], value, buildings)
        return cls(
            scale=value,
            seed=seed,
            streets=STREETS,
            communities=communities,
            grids=grids,
            residential_areas=estates,
            buildings=buildings,
            households=households,
            party_members=min(households, _scaled(BASE["party_members"], value, 1)),
            cases=_scaled(BASE["cases"], value, 1),
        )


def split(total: int, parts: int, rng: random.Random, spread: float = 0.3) -> list[int]:
    """``total`` split into ``parts`` counts of at least one each, sizes jittered by
    ``spread`` around the mean (largest remainder, so the sum is exact)."""
    if parts <= 0:
        return []
    if total < parts:
        raise LoadError(f"cannot split {total} into {parts} non-empty parts")
    weights = [1 + spread * (2 * rng.random() - 1) for _ in range(parts)]
    spare = total - parts
    scale = spare / sum(weights)
    shares = [w * scale for w in weights]
    counts = [1 + int(s) for s in shares]
    left = total - sum(counts)
    order = sorted(range(parts), key=lambda i: (int(shares[i]) - shares[i], i))
    for i in order[:left]:
        counts[i] += 1
    return counts

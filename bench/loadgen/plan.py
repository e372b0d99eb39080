"""Scale, counts and the fixed moment the synthetic district is built around."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cases import calendar as case_calendar

SEED = 20261127
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

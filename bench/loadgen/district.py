"""One load of the district: the :class:`Loader` that carries its state from stage to stage
(the random generator, the clock, what earlier stages made) and its plumbing (stages, COPY
writers), and the shapes the stages hang on it (:class:`Node`, :class:`Territory`,
:class:`GridCell`).

The stages themselves live by topic: :mod:`.reference` (departments, companies, categories,
the benchmark accounts, routing rules), :mod:`.territory` (the area tree), :mod:`.party` (party
organisations), :mod:`.staffing` (grids, community workers, staffing), :mod:`.households`
(households, residents, party members, needs) and :mod:`.timelines` (the cases). They run in
that order with the one ``random.Random``: the order is part of the data."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models

from cases.models import Category, WorkCalendarDay
from governance.models import Area, Department, PropertyCompany

from .clock import Clock
from .copying import Copier, Log, TableWriter
from .database import BenchUsers
from .names import People
from .plan import END_DATE, END_TIME_OF_DAY, YEARS, Plan


@dataclass(eq=False)
class Node:
    """An area as the load builds it: its row's id, path, name and code, its place in the
    tree, and what later stages hang on it (a residential area's property company and grid,
    the lowest party organisation anchored on it)."""

    id: int
    path: str
    name: str
    code: str
    level: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    company_id: int | None = None
    grid_index: int | None = None
    org_id: int | None = None
    org_path: str | None = None

    @property
    def depth(self) -> int:
        return len(self.path) // Area.steplen


@dataclass
class Territory:
    district: Node
    streets: list[Node]
    communities: list[Node]
    estates: list[Node]
    buildings: list[Node]
    households_per_building: list[int]


@dataclass
class GridCell:
    id: int
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class Loader:
    """One load, stage by stage, inside the caller's transaction."""

    def __init__(self, plan: Plan, log: Log) -> None:
        self.plan = plan
        self.log = log
        self.rng = random.Random(plan.seed)
        self.people = People(self.rng)
        self.counts: dict[str, int] = {}
        self.stages: list[tuple[str, float]] = []
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.start_date = END_DATE.replace(year=END_DATE.year - YEARS) + timedelta(days=1)
        first = self.start_date - timedelta(days=400)
        horizon = (END_DATE - first).days + 500
        exceptions = dict(
            WorkCalendarDay.objects.filter(
                date__gte=first, date__lt=first + timedelta(days=horizon)
            ).values_list("date", "is_working_day")
        )
        self.clock = Clock(first, horizon, exceptions, self.tz)
        self.exceptions = sorted(exceptions.items())
        self.end = self.clock.of(
            datetime.combine(END_DATE, datetime.min.time(), tzinfo=self.tz) + END_TIME_OF_DAY
        )
        self.copier: Copier | None = None
        # What the stages make, in their order (each reads what the ones before it made).
        self.departments: list[Department] = []
        self.companies: list[PropertyCompany] = []
        self.categories: dict[str, Category] = {}
        self.users: BenchUsers
        self.territory: Territory
        self.cells: list[GridCell] = []

    # -- plumbing --

    def writer(self, model: type[models.Model], names: Sequence[str]) -> TableWriter:
        assert self.copier is not None
        return TableWriter(self.copier, model, names, self.log)

    @contextmanager
    def stage(self, name: str) -> Iterator[dict[str, int]]:
        started = time.perf_counter()
        counts: dict[str, int] = {}
        yield counts
        if self.copier is not None:
            self.copier.wait()
        seconds = time.perf_counter() - started
        self.stages.append((name, seconds))
        self.counts.update(counts)
        rows = ", ".join(f"{label} {n:,}" for label, n in counts.items())
        self.log(
            f"  {name}: {rows} rows in {seconds:.1f} s" if rows else f"  {name} in {seconds:.1f} s"
        )

    @contextmanager
    def copying(self) -> Iterator[None]:
        """The background COPY thread on the load's connection, for the stages inside."""
        connection.ensure_connection()
        self.copier = Copier(connection.connection)
        try:
            yield
        finally:
            self.copier.close()
            self.copier = None

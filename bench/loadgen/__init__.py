"""The synthetic benchmark district behind ``manage.py generate_load --scale S``.

Scale 1 is one district, 6 streets, 60 communities, 600 grids, 1,800 residential areas, 12,000
buildings, 300,000 households (with their residents), 20,000 party members and 1,000,000 cases
over three years with their timelines, assignments and supervisions. Counts scale linearly
except the district and its six streets; every level keeps at least one node per parent, so
scale 0.01 (or 0.002 in the tests) is a small but complete district.

Decisions worth knowing:

* **Deterministic.** One ``random.Random(seed)`` drives everything, in a fixed order; Faker's
  zh_CN name lists are sampled with it (a Faker call per person would cost half a minute at
  scale 1). The three years end at a fixed moment, Friday 2026-11-27 17:30 Beijing time
  (:data:`.plan.END_DATE`), never at "now": the same scale and seed give the same rows. What
  cannot repeat are the Fernet tokens of encrypted fields (random IVs) and password hashes;
  their blind indexes do.
* **As the services would have written it.** Tree paths use treebeard's own path builder,
  alphabet and step length, with ``depth`` and ``numchild`` counted; every denormalised copy
  (``area_path`` on households, residents, members, needs, organisations, grids and cases;
  street and community on cases; ``name_initials``) comes from the same helpers the services
  use. A case's timeline is generated as the transitions of ``cases.workflow`` with their
  services' side effects replayed in order: state, tier, running step with deadlines from the
  work calendar (``cases.calendar``'s own arithmetic, to the microsecond), assignments started
  and ended, extensions, supervision, and the overdue sweep's yellow and red marks and its
  automatic supervision, as of that end. Open cases whose marks fall after it turn yellow or
  red when ``sweep_overdue`` next runs, as they would in a real district.
* **Fast.** Large tables go in with ``COPY … FROM STDIN`` in chunks, from a background thread,
  so PostgreSQL ingests one chunk while Python builds the next; rows carry explicit ids and the
  id sequences are set afterwards, so the ORM inserts after them. The whole load is one
  transaction: it is either all there (with its :class:`~bench.models.LoadMarker` row) or
  not at all, and a failed ``--reload`` leaves the previous load in place. ``VACUUM ANALYZE``
  follows, so the planner has statistics and index-only scans work at once.
* **Safe.** The command wipes the loaded tables before loading, so it refuses a database that
  holds data it did not load (no marker, or accounts other than the ``load_*`` ones) unless
  ``--force`` is given.

The package: :mod:`.plan` (counts and the fixed end), :mod:`.database` (safety, wiping, the
benchmark accounts), :mod:`.copying` (the COPY thread, index juggling), :mod:`.clock` (working
time), :mod:`.names` (what things are called), :mod:`.district` (the load's state and stages),
then the stages in the order they run: :mod:`.reference`, :mod:`.territory`, :mod:`.party`,
:mod:`.staffing`, :mod:`.households`, and the cases: :mod:`.timelines` (which case, when, in
which state at the end), :mod:`.lives` (a case's life planned), :mod:`.marks` (fitted into the
three years, urgency, supervision and the sweep's marks), :mod:`.replay` (its rows).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AuditAction
from accounts.services import audit_record
from bench.models import LoadMarker
from cases.models import OPEN_STATES
from property_mgmt.loadgen import load_property
from volunteers.loadgen import load as load_checkins
from volunteers.loadgen_service import load_service

from .copying import BULK_MODELS, Log, detach_indexes, restore_indexes
from .database import (
    current_marker,
    ensure_bench_users,
    foreign_data,
    loaded_tables,
    personal_data_readable,
    reset_sequences,
    wipe,
)
from .district import Loader
from .households import load_households
from .party import load_party_orgs
from .plan import END_DATE, END_TIME_OF_DAY, GENERATOR_VERSION, PASSWORD, SEED, LoadError, Plan
from .reference import load_reference, load_users_and_routing
from .staffing import load_grids
from .territory import load_territory
from .timelines import CaseMaker

__all__ = [
    "GENERATOR_VERSION",
    "PASSWORD",
    "SEED",
    "LoadError",
    "Plan",
    "Result",
    "generate",
    "parameters",
    "wipe",
]


@dataclass
class Result:
    plan: Plan
    skipped: bool
    seconds: float
    counts: dict[str, int]
    stages: list[tuple[str, float]]


def generate(
    *,
    scale: Decimal | float | str,
    seed: int = SEED,
    reload: bool = False,
    force: bool = False,
    log: Log = print,
) -> Result:
    """Load the synthetic district of ``scale`` unless this database already holds it.

    Everything from the wipe to the marker is one transaction; ``VACUUM ANALYZE`` follows."""
    plan = Plan.for_scale(scale, seed)
    started = time.perf_counter()
    marker = current_marker()
    if marker is not None and marker.finished_at and not reload:
        same = marker.scale == plan.scale and marker.seed == plan.seed
        if same and marker.parameters.get("version") != GENERATOR_VERSION:
            log(
                f"generate_load: this database holds scale {marker.scale} (seed {marker.seed}) "
                f"from generator version {marker.parameters.get('version', 1)}; "
                f"loading it again with version {GENERATOR_VERSION}"
            )
            reload = True
    if marker is not None and marker.finished_at and not reload:
        if marker.scale == plan.scale and marker.seed == plan.seed:
            if not personal_data_readable():
                raise LoadError(
                    "this database was loaded with another PERSONAL_DATA_KEY (other settings): "
                    "its personal data cannot be read here; pass --reload"
                )
            ensure_bench_users()
            return Result(plan, True, time.perf_counter() - started, dict(marker.counts), [])
        raise LoadError(
            f"this database holds the load of scale {marker.scale} (seed {marker.seed}); "
            "pass --reload to replace it"
        )
    foreign = foreign_data(marker)
    if foreign and not force:
        raise LoadError(
            "this database holds data generate_load did not write ("
            + "; ".join(foreign)
            + "): it would be wiped. Use a database of its own, or --force if you mean it"
        )
    log(
        f"generate_load: scale {plan.scale} (seed {plan.seed}) into "
        f"{connection.settings_dict['NAME']}: {plan.communities:,} communities, "
        f"{plan.grids:,} grids, {plan.residential_areas:,} residential areas, "
        f"{plan.buildings:,} buildings, {plan.households:,} households, "
        f"{plan.party_members:,} party members, {plan.cases:,} cases"
    )
    loader = Loader(plan, log)
    with transaction.atomic():
        with loader.stage("wipe"):
            wipe()
            restore = detach_indexes(model._meta.db_table for model in BULK_MODELS)
        marker = LoadMarker.objects.create(
            scale=plan.scale, seed=plan.seed, started_at=timezone.now()
        )
        with loader.copying():
            with loader.stage("reference data") as counts:
                load_reference(loader, counts)
            with loader.stage("areas") as counts:
                load_territory(loader, counts)
            with loader.stage("party organisations") as counts:
                load_party_orgs(loader, counts)
            with loader.stage("users, routing rules") as counts:
                load_users_and_routing(loader, counts)
            with loader.stage("grids and community workers") as counts:
                load_grids(loader, counts)
            with loader.stage("households") as counts:
                load_households(loader, counts)
            with loader.stage("cases") as counts:
                CaseMaker(loader).run(counts)
        with loader.stage("indexes and foreign keys"):
            restore_indexes(restore)
        with loader.stage("sequences"):
            reset_sequences(loaded_tables())
        # The domain apps' rows go in through the ORM, on the loaded district and its ids.
        with loader.stage("双报到: check-ins, projects, members") as counts:
            counts.update(
                load_checkins(scale=float(plan.scale), seed=plan.seed, today=END_DATE, log=log)
            )
        with loader.stage("红色物业: companies, complaints, surveys") as counts:
            counts.update(
                load_property(scale=float(plan.scale), seed=plan.seed, end=END_DATE, log=log)
            )
        with loader.stage("志愿服务: volunteers, activities, attendance") as counts:
            counts.update(load_service(scale=float(plan.scale), seed=plan.seed, log=log))
        marker.finished_at = timezone.now()
        marker.seconds = round(time.perf_counter() - started, 1)
        marker.counts = loader.counts
        marker.parameters = parameters(plan)
        marker.save()
        audit_record(
            action=AuditAction.CREATE,
            username="system",
            target="bench.generate_load",
            detail={"parameters": marker.parameters, "counts": loader.counts},
        )
    with loader.stage("vacuum analyze"):
        vacuum_analyze()
    seconds = time.perf_counter() - started
    LoadMarker.objects.filter(pk=marker.pk).update(seconds=round(seconds, 1))
    return Result(plan, False, seconds, loader.counts, loader.stages)


def vacuum_analyze() -> None:
    """Statistics for the planner and a visibility map for index-only scans. Outside a
    transaction it is VACUUM ANALYZE; inside one (a test's) ANALYZE alone."""
    tables = loaded_tables()
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')
        else:
            cursor.execute("VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in tables))


def parameters(plan: Plan) -> dict[str, Any]:
    """What this load was made with and the shares it came out with (open cases of all, overdue
    and supervised cases of the open ones, timeline rows per case), as of its fixed end."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE state = ANY(%s)), "
            "count(*) FILTER (WHERE state = ANY(%s) AND alert = 'red'), "
            "count(*) FILTER (WHERE state = ANY(%s) AND supervision <> '') FROM cases_case",
            [sorted(str(state) for state in OPEN_STATES)] * 3,
        )
        cases, open_cases, overdue, supervised = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM cases_caseevent")
        (events,) = cursor.fetchone()
    return {
        "version": GENERATOR_VERSION,
        "scale": str(plan.scale),
        "seed": plan.seed,
        "end": f"{END_DATE.isoformat()} {END_TIME_OF_DAY} {settings.TIME_ZONE}",
        "shares": plan.shares.as_dict(),
        "measured": {
            "open_of_cases": round(open_cases / cases, 4) if cases else 0.0,
            "overdue_of_open": round(overdue / open_cases, 4) if open_cases else 0.0,
            "supervised_of_open": round(supervised / open_cases, 4) if open_cases else 0.0,
            "events_per_case": round(events / cases, 2) if cases else 0.0,
        },
    }

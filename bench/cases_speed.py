#!/usr/bin/env python
"""Case handling speed with 100,000 cases: the case list, the queue, their API, a transition.

A script, not a test: it prints p50 / p95 in milliseconds and asserts nothing. It uses its own
database (``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/portal_bench_cases``;
create it first, e.g. ``createdb portal_bench_cases``), migrates it, loads the demo district and
bulk-loads cases with their timeline rows until there are ``--cases`` of them (skipped when
already loaded), then times requests through Django's test client in this process (the full
middleware, scoping, templates and serializers; no network). Targets: lists, queue and API
under 100 ms, a transition under 50 ms.

    .venv/bin/python bench/cases_speed.py [--cases 100000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_cases"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import User  # noqa: E402
from cases.models import (  # noqa: E402
    Case,
    CaseAssignment,
    CaseEvent,
    CaseState,
    Category,
    Step,
    Tier,
)
from cases.services import handlers_refresh  # noqa: E402
from governance.models import Area, Department  # noqa: E402

STATES = [
    (CaseState.CLOSED, 55),
    (CaseState.REPORTED, 8),
    (CaseState.ACCEPTED, 8),
    (CaseState.IN_PROGRESS, 15),
    (CaseState.RESOLVED, 5),
    (CaseState.VERIFIED, 4),
    (CaseState.REJECTED, 3),
    (CaseState.MERGED, 2),
]
BATCH = 5000


def load(total: int) -> None:
    have = Case.objects.count()
    if have >= total:
        print(f"already loaded: {have} cases")
        return
    communities = list(Area.objects.filter(level="community").order_by("path"))
    step = Area.steplen
    streets = {a.path: a for a in Area.objects.filter(level="street")}
    categories = list(Category.objects.filter(parent__isnull=False))
    department = Department.objects.filter(code="D001").first()
    rng = random.Random(2025)
    weights = [w for _s, w in STATES]
    states = [s for s, _w in STATES]
    now = timezone.now()
    made = have
    started = time.perf_counter()
    while made < total:
        n = min(BATCH, total - made)
        cases = []
        for i in range(n):
            state = rng.choices(states, weights)[0]
            community = communities[rng.randrange(len(communities))]
            created = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
            open_step = {
                CaseState.REPORTED: Step.ACCEPT,
                CaseState.ACCEPTED: Step.HANDLE,
                CaseState.IN_PROGRESS: Step.HANDLE,
                CaseState.RESOLVED: Step.VERIFY,
            }.get(state, Step.NONE)
            case = Case(
                number=f"BN{made + i:09d}",
                title=f"压测事件 {made + i}",
                description="压测数据",
                category=categories[rng.randrange(len(categories))],
                state=state,
                tier=Tier.COMMUNITY,
                area=community,
                area_path=community.path,
                street=streets[community.path[: 2 * step]],
                community=community,
                step=open_step,
                step_started_at=created if open_step else None,
                warn_at=created + timedelta(days=2) if open_step else None,
                due_at=created + timedelta(days=3) if open_step else None,
                alert="red" if open_step and created < now - timedelta(days=3) else "",
            )
            case.created_at = created
            cases.append(case)
        Case.objects.bulk_create(cases)
        Case.objects.bulk_update(cases, ["created_at"], batch_size=BATCH)
        events = []
        assignments = []
        for case in cases:
            events.append(
                CaseEvent(
                    case=case, action="report", from_state="", to_state="reported", tier=case.tier
                )
            )
            if case.state not in (CaseState.REPORTED,):
                events.append(
                    CaseEvent(
                        case=case,
                        action="accept",
                        from_state="reported",
                        to_state="accepted",
                        tier=case.tier,
                    )
                )
            if department is not None and case.state == CaseState.IN_PROGRESS:
                assignments.append(CaseAssignment(case=case, role="lead", department=department))
        CaseEvent.objects.bulk_create(events)
        CaseAssignment.objects.bulk_create(assignments)
        handlers_refresh(a.case_id for a in assignments)
        made += n
        print(f"  {made} cases ({time.perf_counter() - started:.0f} s)", flush=True)
    call_command("dbshell", "--", "-c", "VACUUM ANALYZE;")


def timed(call, repeat: int) -> tuple[float, float]:
    call()  # warm up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("seed_demo", allow_demo_passwords=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    load(args.cases)
    print(f"cases in the database: {Case.objects.count()}")

    rows = []
    for username in ("community_staff", "street_staff", "district_leader", "dept_liaison"):
        user = User.objects.get(username=username)
        page = Client()
        page.force_login(user)
        api = APIClient()
        api.force_login(user)
        for label, client, url in [
            ("page /cases/", page, "/cases/"),
            ("page /cases/?state=open&alert=overdue", page, "/cases/?state=open&alert=overdue"),
            ("page /cases/queue/", page, "/cases/queue/"),
            ("api  /api/v1/cases/", api, "/api/v1/cases/"),
            ("api  /api/v1/cases/queue/", api, "/api/v1/cases/queue/"),
        ]:

            def get(client=client, url=url) -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            p50, p95 = timed(get, args.repeat)
            rows.append((username, label, p50, p95))

    # a transition: community staff accept reported cases of their community, one per request
    staff = User.objects.get(username="community_staff")
    community = Area.objects.get(code="370405001001")
    targets = list(
        Case.objects.filter(community=community, state=CaseState.REPORTED).values_list(
            "pk", flat=True
        )[: args.repeat + 1]
    )
    api = APIClient()
    api.force_login(staff)
    pending = iter(targets)

    def accept() -> None:
        pk = next(pending)
        response = api.post(f"/api/v1/cases/{pk}/transitions/", {"action": "accept"}, format="json")
        assert response.status_code == 200, response.content

    if len(targets) > args.repeat:
        p50, p95 = timed(accept, args.repeat)
        rows.append(("community_staff", "api  POST transitions (accept)", p50, p95))

    print(f"\n{'user':<18}{'request':<44}{'p50 ms':>9}{'p95 ms':>9}")
    for username, label, p50, p95 in rows:
        print(f"{username:<18}{label:<44}{p50:>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    main()

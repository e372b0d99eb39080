"""Synthetic 双报到 rows for benchmarks (issue item 7), for the bench loader to call.

``load(scale=1)`` adds 300 unit check-ins (with a resource each), 3,000 co-building projects
(each answering one need with one resource of a unit checked in at its community, in every
state, with two milestones) and 20,000 member check-ins at the communities that exist,
spread over the years before the current one so that the seeded current-year figures stay as
they are. Deterministic for a given ``seed`` (except encrypted phones, whose Fernet tokens are
random by design); every denormalised copy is written as the services write it. Rows go in
with ``bulk_create`` in batches; the bench loader may wrap the call in its own transaction.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.personal_data import blind_index
from governance.models import Area, AreaLevel, Department

from .models import (
    CheckInState,
    CoBuildProject,
    CommunityNeed,
    MemberCheckIn,
    NeedSource,
    NeedState,
    ProjectMilestone,
    ProjectState,
    Resource,
    ResourceKind,
    UnitCheckIn,
    UnitType,
)
from .people import person_key

CHECKINS, PROJECTS, MEMBERS = 300, 3_000, 20_000
BATCH = 2_000
STATES = [
    ProjectState.PROPOSED,
    ProjectState.AGREED,
    ProjectState.IN_PROGRESS,
    ProjectState.IN_PROGRESS,
    ProjectState.COMPLETED,
    ProjectState.COMPLETED,
    ProjectState.CANCELLED,
]


def _count(base: int, scale: float) -> int:
    return max(1, round(base * scale))


@transaction.atomic
def load(
    *,
    scale: float = 1.0,
    seed: int = 14,
    today: date | None = None,
    log: Callable[[str], Any] = print,
) -> dict[str, int]:
    """Add the rows as of ``today`` (default: the local date); returns how many of each were
    added. The first department by code (the benchmark liaison's) serves beside the load's own
    units, so that a department's check-in page has rows."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("path"))
    if not communities:
        raise ValueError("no communities: load the territory first")
    n_checkins = _count(CHECKINS, scale)
    years = [today.year - k for k in range(1, 4)]
    # Units enough for every (unit, community, year) to be new: one per community and year.
    per_unit = len(communities) * len(years)
    existing = Department.objects.filter(code__startswith="LD").count()
    needed = max(0, -(-n_checkins // per_unit) * 4 - existing)
    Department.objects.bulk_create(
        [Department(name=f"负载单位{existing + k:05d}", code=f"LD{existing + k:06d}")
         for k in range(needed)]
    )  # fmt: skip
    first = Department.objects.exclude(code__startswith="LD").order_by("code")[:1]
    units = [*first, *Department.objects.filter(code__startswith="LD").order_by("code")]
    taken = set(
        UnitCheckIn.objects.filter(department__in=units).values_list(
            "department_id", "community_id", "year"
        )
    )
    checkins: list[UnitCheckIn] = []
    k = 0
    while len(checkins) < n_checkins:
        unit = units[k % len(units)]
        community = communities[(k // len(units)) % len(communities)]
        year = years[(k // (len(units) * len(communities))) % len(years)]
        k += 1
        if (unit.pk, community.pk, year) in taken:
            continue
        taken.add((unit.pk, community.pk, year))
        checkins.append(
            UnitCheckIn(
                department=unit, unit_type=rng.choice(UnitType.values), community=community,
                area_path=community.path, year=year, contact_name="联系人",
                commitments="结对共建", state=CheckInState.CONFIRMED,
            )
        )  # fmt: skip
    UnitCheckIn.objects.bulk_create(checkins, batch_size=BATCH)
    resources = [
        Resource(
            checkin=c, department_id=c.department_id, area_path=c.area_path,
            kind=rng.choice(ResourceKind.values), name="志愿服务队", quantity=Decimal(10),
            unit="人",
        )
        for c in checkins
    ]  # fmt: skip
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    log(f"双报到负载: 单位报到 {len(checkins)} 条")

    n_projects = _count(PROJECTS, scale)
    community_of = {c.pk: c for c in communities}
    needs: list[CommunityNeed] = []
    projects: list[CoBuildProject] = []
    uses: list[Resource] = []
    for i in range(n_projects):
        resource = resources[i % len(resources)]
        checkin = resource.checkin
        community = community_of[checkin.community_id]
        state = STATES[i % len(STATES)]
        starts = date(checkin.year, 1, 1) + timedelta(days=rng.randrange(200))
        needs.append(
            CommunityNeed(
                community=community, area_path=community.path, source=NeedSource.TYPED,
                kind="other", title=f"负载需求{i}", raised_on=starts,
                state=NeedState.DONE if state == ProjectState.COMPLETED else NeedState.MATCHED,
            )
        )  # fmt: skip
        projects.append(
            CoBuildProject(
                community=community, area_path=community.path, title=f"负载项目{i:05d}",
                lead_department_id=resource.department_id, unit_ids=[resource.department_id],
                budget=Decimal(rng.randrange(1, 50) * 1000), starts_on=starts,
                ends_on=starts + timedelta(days=120), state=state,
            )
        )  # fmt: skip
        uses.append(resource)
    CommunityNeed.objects.bulk_create(needs, batch_size=BATCH)
    CoBuildProject.objects.bulk_create(projects, batch_size=BATCH)
    CoBuildProject.needs.through.objects.bulk_create(
        [CoBuildProject.needs.through(cobuildproject_id=p.pk, communityneed_id=n.pk)
         for p, n in zip(projects, needs, strict=True)],
        batch_size=BATCH,
    )  # fmt: skip
    CoBuildProject.resources.through.objects.bulk_create(
        [CoBuildProject.resources.through(cobuildproject_id=p.pk, resource_id=r.pk)
         for p, r in zip(projects, uses, strict=True)],
        batch_size=BATCH,
    )  # fmt: skip
    milestones = []
    for project in projects:
        for step, title in ((40, "方案"), (110, "验收")):
            due = project.starts_on + timedelta(days=step)
            done = (
                due
                if project.state == ProjectState.COMPLETED
                or due < today - timedelta(days=rng.randrange(0, 60))
                else None
            )
            milestones.append(
                ProjectMilestone(
                    project=project, area_path=project.area_path, title=title,
                    starts_on=project.starts_on, due_on=due, warn_on=due - timedelta(days=10),
                    done_on=done if project.state != ProjectState.CANCELLED else None,
                )
            )  # fmt: skip
    ProjectMilestone.objects.bulk_create(milestones, batch_size=BATCH)
    log(f"双报到负载: 共建项目 {len(projects)} 个")

    n_members = _count(MEMBERS, scale)
    offset = MemberCheckIn.objects.filter(person_key__startswith="phone:").count()
    employers = [u.name for u in units[:50]]
    employer_ids = {u.name: u.pk for u in units[:50]}
    members = []
    for i in range(n_members):
        community = communities[i % len(communities)]
        phone = f"16{(seed * 1_000_003 + offset + i) % 10**9:09d}"
        employer = employers[i % len(employers)]
        members.append(
            MemberCheckIn(
                name=f"报到党员{offset + i}", employer=employer,
                employer_department_id=employer_ids[employer], branch=f"{employer}党支部",
                phone=phone, phone_hash=blind_index(phone), person_key=person_key(phone=phone),
                community=community, area_path=community.path,
                registered_on=date(years[-1], 1, 1) + timedelta(days=i % 700),
                access_token=secrets.token_urlsafe(24),
            )
        )  # fmt: skip
    MemberCheckIn.objects.bulk_create(members, batch_size=BATCH, ignore_conflicts=True)
    log(f"双报到负载: 党员报到 {len(members)} 名")
    return {
        "unit_checkins": len(checkins),
        "projects": len(projects),
        "member_checkins": len(members),
    }

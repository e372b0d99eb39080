"""The demo district's 2022 "进网格、战疫情" campaign (双报到): members, cadres and volunteers
mobilised into the grids' shifts. Loaded once by volunteers.demo (a second run adds nothing)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from accounts.personal_data import blind_index
from governance.models import Area, AreaLevel
from grids.models import Grid

from .models import (
    Campaign,
    CampaignDuty,
    CampaignPerson,
    CampaignShift,
    CampaignSignup,
    MemberCheckIn,
    PersonKind,
)
from .people import person_key

SEED = 20260414
CAMPAIGN_TITLE = "进网格、战疫情"
CAMPAIGN_PEOPLE = 1736


def seed_campaign(
    log: Any,
    members: list[MemberCheckIn],
    *,
    name: Callable[[random.Random], str],
    phone: Callable[[int], str],
    unit_names: list[str],
) -> None:
    """The 2022 campaign, its shifts in every grid, and the 1,736 people it mobilised: the
    members checked in (``members``), cadres of the units (``unit_names``) and volunteers
    (``name`` and ``phone`` make them as the rest of the demo does)."""
    if Campaign.objects.filter(title=CAMPAIGN_TITLE).exists():
        log("专项行动: 已有，跳过")
        return
    district = Area.objects.filter(level=AreaLevel.DISTRICT).order_by("path").first()
    grids = list(Grid.objects.order_by("code"))
    if district is None or not grids:
        return
    rng = random.Random(SEED + 3)
    starts, ends = date(2022, 3, 14), date(2022, 4, 30)
    campaign = Campaign.objects.create(
        area=district, area_path=district.path, title=CAMPAIGN_TITLE, starts_on=starts,
        ends_on=ends,
        description="“双报到”专项行动：党员干部、志愿者进网格，协助开展防疫宣传、核酸检测、"
        "人员排查、物资供应。",
    )  # fmt: skip
    campaign.target_grids.set(grids)
    duties = CampaignDuty.values
    days = [starts + timedelta(days=d) for d in range(0, (ends - starts).days + 1, 3)]
    shifts = []
    for g, grid in enumerate(grids):
        for d, day in enumerate(days):
            duty = duties[(g + d) % len(duties)]
            begin = time(8, 0) if d % 2 == 0 else time(14, 0)
            shifts.append(
                CampaignShift(
                    campaign=campaign, grid=grid, area_path=grid.area_path, duty=duty, day=day,
                    starts_at=begin, ends_at=time(begin.hour + 4, 0), capacity=30,
                )
            )  # fmt: skip
    CampaignShift.objects.bulk_create(shifts)
    by_grid: dict[int, list[CampaignShift]] = defaultdict(list)
    for shift in shifts:
        by_grid[shift.grid_id].append(shift)
    people = []
    for checkin in members:
        people.append(
            CampaignPerson(
                kind=PersonKind.MEMBER, name=checkin.name, phone=checkin.phone,
                phone_hash=checkin.phone_hash, person_key=checkin.person_key,
                member_checkin=checkin, employer=checkin.employer, area_path=checkin.area_path,
            )
        )  # fmt: skip
    n = 0
    while len(people) < CAMPAIGN_PEOPLE:
        grid = grids[n % len(grids)]
        kind = PersonKind.CADRE if n % 3 == 0 else PersonKind.VOLUNTEER
        number = phone(100000 + n)
        people.append(
            CampaignPerson(
                kind=kind, name=name(rng), phone=number, phone_hash=blind_index(number),
                person_key=person_key(phone=number),
                employer=unit_names[n % len(unit_names)] if kind == PersonKind.CADRE else "",
                area_path=grid.area_path,
            )
        )  # fmt: skip
        n += 1
    CampaignPerson.objects.bulk_create(people, batch_size=1000)
    grid_of_member = {c.pk: c.grid_id for c in members}
    signups: list[CampaignSignup] = []
    used: dict[int, int] = defaultdict(int)
    for index, person in enumerate(people):
        grid_id = grid_of_member.get(person.member_checkin_id or 0) or grids[index % len(grids)].pk
        pool = by_grid[grid_id] or shifts
        for k in range(1 + index % 3):
            shift = pool[(index * 7 + k * 5) % len(pool)]
            if used[shift.pk] >= shift.capacity or any(
                s.shift_id == shift.pk and s.person_id == person.pk for s in signups[-3:]
            ):
                continue
            used[shift.pk] += 1
            signups.append(
                CampaignSignup(
                    shift=shift, person=person, campaign=campaign, grid_id=shift.grid_id,
                    day=shift.day, area_path=shift.area_path, attended=True,
                    hours=Decimal(4) if k % 2 == 0 else Decimal("3.5"),
                )
            )  # fmt: skip
    CampaignSignup.objects.bulk_create(signups, batch_size=2000)
    log(
        f"专项行动: {CAMPAIGN_TITLE}，{len(grids)} 个网格，{len(shifts)} 个班次，"
        f"动员 {len({s.person_id for s in signups})} 人，报名 {len(signups)} 人次"
    )

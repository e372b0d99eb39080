"""The demo district's volunteer service (志愿队伍联心暖群众, 微服务): a volunteer team in each
of the 24 urban volunteer grids with 170 volunteers, the brand teams of 华阳社区 (古城志愿服务队,
老党员之家, 红马甲公益团队), 508 volunteer activities of which 272 brand activities, 126 talks
with 2,750 attendances, 124 party-member activities at the 28 red stations; attendance with
approved hours (so stars), the points ledger and shop, 微心愿 in every state, and micro-services
with their records.

Idempotent: loaded once (a second run finds the grid teams and adds nothing). Rows go in with
bulk_create with every denormalised copy as the services write it; hours and points balances
are the sums of the rows written."""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from accounts.personal_data import blind_index
from governance.models import Area, AreaLevel, Resident, VulnerableTag
from grids.models import Grid, Station, StationKind

from .models import (
    Activity,
    ActivityKind,
    ActivityState,
    Attendance,
    AttendanceState,
    ClaimantKind,
    MemberCheckIn,
    MicroKind,
    MicroService,
    MicroServiceRecord,
    PointsEntry,
    PointsReason,
    Redemption,
    ShopItem,
    SignupChannel,
    TeamKind,
    TeamMembership,
    Volunteer,
    VolunteerSource,
    VolunteerTeam,
    Wish,
    WishState,
)
from .people import person_key

SEED = 20260415
HUAYANG = "370405001001"
GRID_TEAMS = 24
VOLUNTEERS = 170
PLAIN_ACTIVITIES = 236
BRAND_ACTIVITIES = 272
TALKS = 126
TALK_ATTENDANCES = 2750
STATION_ACTIVITIES = 124
POINTS_PER_HOUR = 10
BRAND_TEAMS = [
    ("古城志愿服务队", "古城文化讲解、文明引导、关爱老人"),
    ("老党员之家", "老党员传帮带、政策宣讲、邻里调解"),
    ("红马甲公益团队", "助老助残、关爱留守儿童、环境整治"),
]
PROGRAMMES = ["情暖万家", "留守儿童关爱", "助童计划", "幸福小屋工程", "孤困老人救助", "情暖夕阳红",
              "女童保护"]  # fmt: skip
PLAIN_TITLES = [
    ("独居老人上门探访", [VulnerableTag.LIVING_ALONE, VulnerableTag.WIDOWED_ORPHANED]),
    ("重残人员助浴理发", [VulnerableTag.SEVERE_DISABILITY]),
    ("留守儿童课业辅导", [VulnerableTag.LEFT_BEHIND_CHILD]),
    ("楼道环境清理", []),
    ("空巢老人代购送药", [VulnerableTag.EMPTY_NEST, VulnerableTag.LIVING_ALONE]),
    ("鳏寡孤独节日慰问", [VulnerableTag.WIDOWED_ORPHANED]),
]
TALK_TOPICS = ["防范电信网络诈骗", "消防安全与应急救护", "社保医保政策解读"]
STATION_TITLES = [
    "党员示范岗便民服务",
    "红色驿站政策宣讲",
    "驿站邻里调解",
    "党员义务理发",
    "爱心驿站助老",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建华秀英海燕志强丽娟德明晓东桂兰春梅国庆文静红霞永刚玉珍立新淑芬卫国凤英明亮小燕"
WISHES = ["一台收音机", "冬季棉被", "助听器", "学习用品", "轮椅", "电热水壶", "一次家电维修",
          "课外书籍", "老花镜", "过冬棉衣"]  # fmt: skip
ITEMS = [("毛巾", 20, 80), ("洗衣液", 50, 60), ("大米（5公斤）", 100, 40), ("食用油", 120, 30)]
MICRO = [
    (MicroKind.PUBLIC_GOOD, "爱心理发", "红马甲公益团队"),
    (MicroKind.PUBLIC_GOOD, "家电义务维修", "古城志愿服务队"),
    (MicroKind.EMPLOYMENT, "就业岗位推介", "社区就业服务站"),
    (MicroKind.EMPLOYMENT, "技能培训报名", "区人力资源和社会保障局"),
    (MicroKind.CLASS, "四点半课堂", "老党员之家"),
    (MicroKind.CLASS, "智能手机使用课", "红马甲公益团队"),
    (MicroKind.ELDERLY, "助餐送餐", "社区长者食堂"),
    (MicroKind.ELDERLY, "上门健康随访", "社区卫生服务站"),
]


def _name(rng: random.Random) -> str:
    given = GIVEN[rng.randrange(0, len(GIVEN), 2) :][:2]
    return SURNAMES[rng.randrange(len(SURNAMES))] + given


def _phone(n: int) -> str:
    return f"17{n % 10}{(n * 48271 + 15) % 10**8:08d}"


def _photo() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (320, 240), (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def _team_grids() -> list[Grid]:
    """The urban volunteer grids: those without a red station, 华阳社区's first."""
    grids = list(
        Grid.objects.filter(is_active=True, stations__isnull=True)
        .select_related("community")
        .order_by("code")
    )
    grids.sort(key=lambda g: (g.community.code != HUAYANG, g.code))
    return grids[:GRID_TEAMS]


def seed(log: Any) -> None:
    if VolunteerTeam.objects.filter(kind=TeamKind.GRID).exists():
        count = VolunteerTeam.objects.filter(kind=TeamKind.GRID).count()
        log(f"志愿服务: 已有 {count} 支网格志愿服务队，跳过")
        return
    grids = _team_grids()
    if len(grids) < GRID_TEAMS:
        log("志愿服务: 网格不足，跳过")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    huayang = Area.objects.get(code=HUAYANG)
    teams, volunteers, members_of = _teams_and_volunteers(rng, grids, huayang)
    log(f"志愿服务: 网格志愿服务队 {GRID_TEAMS} 支，品牌队伍 {len(BRAND_TEAMS)} 支")
    log(f"志愿服务: 志愿者 {len(volunteers)} 名")
    activities = _activities(rng, teams, huayang, now)
    approved = _attendance(rng, activities, members_of, volunteers, now)
    log(f"志愿服务: 活动 {len(activities)} 场，确认签到 {len(approved)} 条")
    _points_and_shop(rng, approved, volunteers, huayang)
    _wishes(rng, volunteers, huayang, now)
    _micro(rng, teams, volunteers, huayang)
    log("志愿服务: 积分、积分超市、微心愿和微服务已载入")


def _teams_and_volunteers(
    rng: random.Random, grids: list[Grid], huayang: Area
) -> tuple[list[VolunteerTeam], list[Volunteer], dict[int, list[Volunteer]]]:
    teams = [
        VolunteerTeam(
            name=f"{g.name}志愿服务队", kind=TeamKind.GRID, community=g.community,
            area_path=g.area_path, grid=g, focus="助老助残、环境整治、邻里守望",
            founded_on=datetime(2022, 3, 5).date(),
        )
        for g in grids
    ] + [
        VolunteerTeam(
            name=name, kind=TeamKind.BRAND, community=huayang, area_path=huayang.path,
            focus=focus, founded_on=datetime(2021, 7, 1).date(),
        )
        for name, focus in BRAND_TEAMS
    ]  # fmt: skip
    VolunteerTeam.objects.bulk_create(teams)
    residents: dict[str, list[Resident]] = defaultdict(list)
    for person in Resident.objects.filter(is_active=True, tags=[]).order_by("id")[:3000]:
        residents[person.area_path[: 3 * Area.steplen]].append(person)
    members: dict[str, list[MemberCheckIn]] = defaultdict(list)
    for checkin in MemberCheckIn.objects.filter(ended_on__isnull=True).order_by("id"):
        members[checkin.area_path].append(checkin)
    taken = set(Volunteer.objects.values_list("person_key", flat=True))
    volunteers: list[Volunteer] = []
    team_of: list[VolunteerTeam] = []
    for index in range(VOLUNTEERS):
        team = teams[index % GRID_TEAMS]
        community = team.community
        resident: Resident | None = None
        member: MemberCheckIn | None = None
        source = VolunteerSource.OUTSIDER
        if index % 3 == 0 and residents[community.path]:
            resident = residents[community.path].pop(0)
            source, name, phone = VolunteerSource.RESIDENT, resident.name, resident.phone
            key = f"resident:{resident.pk}"
        elif index % 3 == 1 and members[community.path]:
            member = members[community.path].pop(0)
            source, name, phone = VolunteerSource.MEMBER, member.name, member.phone
            key = member.person_key
        else:
            name, phone = _name(rng), _phone(index)
            key = person_key(phone=phone)
        if key in taken:
            name, phone, resident, member = _name(rng), _phone(index + 1000), None, None
            source, key = VolunteerSource.OUTSIDER, person_key(phone=_phone(index + 1000))
        taken.add(key)
        volunteers.append(
            Volunteer(
                name=name, source=source, resident=resident, member_checkin=member, phone=phone,
                phone_hash=blind_index(phone) if phone else "", person_key=key,
                community=community, area_path=community.path,
                skills=rng.choice(["理发", "维修", "医护", "教学", "文艺", "驾驶", ""]),
                availability=rng.choice(["周末", "工作日晚上", "随时", "节假日"]),
                access_token=secrets.token_urlsafe(24),
                registered_on=datetime(2022, 3, 5).date() + timedelta(days=index * 3),
            )
        )  # fmt: skip
        team_of.append(team)
    Volunteer.objects.bulk_create(volunteers)
    memberships = [
        TeamMembership(team=t, volunteer=v, area_path=t.area_path, joined_on=v.registered_on)
        for t, v in zip(team_of, volunteers, strict=True)
    ]
    members_of: dict[int, list[Volunteer]] = defaultdict(list)
    for t, v in zip(team_of, volunteers, strict=True):
        members_of[t.pk].append(v)
    local = [v for v in volunteers if v.area_path == huayang.path]
    for k, team in enumerate(teams[GRID_TEAMS:]):
        chosen = local[k::3][:20]
        memberships += [
            TeamMembership(
                team=team, volunteer=v, area_path=team.area_path, joined_on=v.registered_on
            )
            for v in chosen
        ]  # fmt: skip
        members_of[team.pk] = chosen
        team.leader = chosen[0] if chosen else None
    for team in teams[:GRID_TEAMS]:
        team.leader = members_of[team.pk][0]
    TeamMembership.objects.bulk_create(memberships)
    VolunteerTeam.objects.bulk_update(teams, ["leader"])
    return teams, volunteers, members_of


def _moment(rng: random.Random, now: datetime, k: int, total: int) -> datetime:
    days = 700 - (700 * k) // max(total, 1)
    day = (now - timedelta(days=days)).date()
    return timezone.make_aware(datetime.combine(day, time(rng.choice([8, 9, 14, 15]), 0)))


def _activities(
    rng: random.Random, teams: list[VolunteerTeam], huayang: Area, now: datetime
) -> list[Activity]:
    grid_teams, brand_teams = teams[:GRID_TEAMS], teams[GRID_TEAMS:]
    rows: list[Activity] = []
    for k in range(PLAIN_ACTIVITIES):
        team = grid_teams[k % len(grid_teams)]
        title, tags = PLAIN_TITLES[k % len(PLAIN_TITLES)]
        start = _moment(rng, now, k, PLAIN_ACTIVITIES)
        rows.append(Activity(
            title=title, kind=ActivityKind.VOLUNTEER, team=team, community=team.community,
            area_path=team.area_path, grid=team.grid, place=f"{team.grid}居民楼院",
            starts_at=start, ends_at=start + timedelta(hours=2), capacity=10,
            target_tags=list(tags),
        ))  # fmt: skip
    for k in range(BRAND_ACTIVITIES):
        team = brand_teams[k % len(brand_teams)]
        programme = PROGRAMMES[k % len(PROGRAMMES)]
        start = _moment(rng, now, k, BRAND_ACTIVITIES)
        rows.append(Activity(
            title=f"{programme}·{team.name}", kind=ActivityKind.BRAND, programme=programme,
            team=team, community=huayang, area_path=huayang.path, place="华阳社区党群服务中心",
            starts_at=start, ends_at=start + timedelta(hours=3, minutes=30), capacity=25,
            target_tags=[VulnerableTag.LEFT_BEHIND_CHILD] if "童" in programme
            else [VulnerableTag.LIVING_ALONE, VulnerableTag.WIDOWED_ORPHANED],
        ))  # fmt: skip
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    base, extra = divmod(TALK_ATTENDANCES, TALKS)
    for k in range(TALKS):
        community = communities[k % len(communities)]
        topic = TALK_TOPICS[k % len(TALK_TOPICS)]
        start = _moment(rng, now, k, TALKS)
        rows.append(Activity(
            title=f"{topic}宣讲", kind=ActivityKind.TALK, programme=topic, community=community,
            area_path=community.path, place=f"{community.name}议事厅", starts_at=start,
            ends_at=start + timedelta(hours=1, minutes=30), capacity=60,
            attendance_count=base + (1 if k < extra else 0), state=ActivityState.CLOSED,
        ))  # fmt: skip
    stations = list(
        Station.objects.filter(kind=StationKind.RED_STATION).select_related("grid").order_by("id")
    )
    for k in range(STATION_ACTIVITIES if stations else 0):
        station = stations[k % len(stations)]
        start = _moment(rng, now, k, STATION_ACTIVITIES)
        community_path = station.area_path[: 3 * Area.steplen]
        rows.append(Activity(
            title=STATION_TITLES[k % len(STATION_TITLES)], kind=ActivityKind.STATION,
            community_id=station.grid.community_id, area_path=community_path, grid=station.grid,
            station=station, place=station.name, starts_at=start,
            ends_at=start + timedelta(hours=2), capacity=8,
        ))  # fmt: skip
    # The latest ones are still open for sign-up (the phone page has something to offer).
    for activity in rows[PLAIN_ACTIVITIES - 12 : PLAIN_ACTIVITIES]:
        activity.starts_at = now + timedelta(days=3 + activity.starts_at.day % 10)
        activity.ends_at = activity.starts_at + timedelta(hours=2)
    Activity.objects.bulk_create(rows, batch_size=500)
    _residents_served(rows, now)
    return rows


def _residents_served(rows: list[Activity], now: datetime) -> None:
    """Past activities for target groups served two residents of those groups each."""
    tagged: dict[str, list[Resident]] = defaultdict(list)
    for resident in Resident.objects.filter(is_active=True, tags__len__gt=0).order_by("id"):
        tagged[resident.area_path[: 3 * Area.steplen]].append(resident)
    links = []
    served = []
    for k, activity in enumerate(rows):
        if not activity.target_tags or activity.starts_at > now:
            continue
        fitting = [
            r for r in tagged.get(activity.area_path, []) if set(r.tags) & set(activity.target_tags)
        ]
        chosen = [fitting[(k + j) % len(fitting)] for j in range(2)] if fitting else []
        for resident in dict.fromkeys(chosen):
            links.append(
                Activity.residents_served.through(activity_id=activity.pk, resident_id=resident.pk)
            )
        activity.served_count = len(dict.fromkeys(chosen))
        served.append(activity)
    Activity.residents_served.through.objects.bulk_create(links, batch_size=1000)
    Activity.objects.bulk_update(served, ["served_count"], batch_size=500)


def _attendance(
    rng: random.Random, activities: list[Activity], members_of: dict[int, list[Volunteer]],
    volunteers: list[Volunteer], now: datetime,
) -> list[Attendance]:  # fmt: skip
    by_community: dict[str, list[Volunteer]] = defaultdict(list)
    for v in volunteers:
        by_community[v.area_path].append(v)
    rows: list[Attendance] = []
    for activity in activities:
        if activity.kind == ActivityKind.TALK:
            continue
        pool = members_of.get(activity.team_id or 0) or by_community.get(activity.area_path, [])
        if not pool:
            continue
        future = activity.starts_at > now
        lead = pool[:1] if activity.kind == ActivityKind.BRAND else []
        count = min(len(pool), rng.randint(3, 6))
        chosen = list(dict.fromkeys(lead + rng.sample(pool, count)))
        for v in chosen[: 1 if future else None]:
            approved = not future and rng.random() > 0.05
            hours = Decimal(str(activity.length_hours)) if approved else Decimal(0)
            rows.append(Attendance(
                activity=activity, volunteer=v, area_path=activity.area_path,
                state=AttendanceState.APPROVED if approved
                else (AttendanceState.SIGNED_UP if future else AttendanceState.ABSENT),
                channel=rng.choice([SignupChannel.STAFF, SignupChannel.PHONE]),
                signed_up_at=activity.starts_at - timedelta(days=2),
                checked_in_at=activity.starts_at if approved else None,
                checked_out_at=activity.ends_at if approved else None, hours=hours,
                approved_at=activity.ends_at if approved else None,
            ))  # fmt: skip
    Attendance.objects.bulk_create(rows, batch_size=1000)
    return [a for a in rows if a.state == AttendanceState.APPROVED]


def _points_and_shop(
    rng: random.Random, approved: list[Attendance], volunteers: list[Volunteer], huayang: Area
) -> None:
    entries: list[PointsEntry] = []
    hours: dict[int, Decimal] = defaultdict(Decimal)
    balance: dict[int, int] = defaultdict(int)
    for a in sorted(approved, key=lambda a: a.activity.starts_at):
        hours[a.volunteer.pk] += a.hours
        points = int(a.hours * POINTS_PER_HOUR)
        balance[a.volunteer.pk] += points
        entries.append(PointsEntry(
            volunteer=a.volunteer, area_path=a.area_path, reason=PointsReason.HOURS, delta=points,
            balance=balance[a.volunteer.pk], attendance=a, note=f"{a.hours}h",
        ))  # fmt: skip
    items = [
        ShopItem(community=huayang, area_path=huayang.path, name=name, points=cost, stock=stock)
        for name, cost, stock in ITEMS
    ]
    ShopItem.objects.bulk_create(items)
    redemptions: list[tuple[PointsEntry, Redemption]] = []
    local = sorted(
        (v for v in volunteers if v.area_path == huayang.path), key=lambda v: -balance[v.pk]
    )
    for k, v in enumerate(local[:30]):
        item = items[k % len(items)]
        if balance[v.pk] < item.points or item.stock < 1:
            continue
        balance[v.pk] -= item.points
        item.stock -= 1
        entry = PointsEntry(
            volunteer=v, area_path=v.area_path, reason=PointsReason.REDEEM, delta=-item.points,
            balance=balance[v.pk], note=f"{item.name} × 1",
        )  # fmt: skip
        entries.append(entry)
        redemptions.append((entry, Redemption(
            item=item, volunteer=v, area_path=v.area_path, quantity=1, points=item.points,
        )))  # fmt: skip
    PointsEntry.objects.bulk_create(entries, batch_size=1000)
    for entry, redemption in redemptions:
        redemption.entry = entry
    Redemption.objects.bulk_create([r for _e, r in redemptions])
    ShopItem.objects.bulk_update(items, ["stock"])
    for v in volunteers:
        v.hours, v.points = hours[v.pk], balance[v.pk]
    Volunteer.objects.bulk_update(volunteers, ["hours", "points"], batch_size=500)


def _wishes(rng: random.Random, volunteers: list[Volunteer], huayang: Area, now: datetime) -> None:
    counts = {
        WishState.POSTED: 5, WishState.PUBLISHED: 8, WishState.CLAIMED: 6,
        WishState.FULFILLED: 5, WishState.CONFIRMED: 6, WishState.THANKED: 10,
    }  # fmt: skip
    states = [state for state, n in counts.items() for _k in range(n)]
    tagged = list(
        Resident.objects.filter(area_path__startswith=huayang.path, tags__len__gt=0).order_by("id")[
            : len(states)
        ]
    )
    local = [v for v in volunteers if v.area_path == huayang.path]
    photo = _photo()
    for k, state in enumerate(states):
        resident = tagged[k] if k < len(tagged) else None
        posted = now - timedelta(days=60 - k)
        wish = Wish(
            community=huayang, area_path=huayang.path, resident=resident,
            beneficiary=resident.name if resident else _name(rng), title=WISHES[k % len(WISHES)],
            state=state, posted_at=posted,
        )  # fmt: skip
        order = list(WishState.values).index(state)
        if state != WishState.POSTED:
            # Two wishes wait long on the board: 45 days and 10 days.
            wish.published_at = (
                now - timedelta(days=(45, 10)[k % 2])
                if state == WishState.PUBLISHED
                else posted + timedelta(days=1)
            )
        if order >= list(WishState.values).index(WishState.CLAIMED):
            volunteer = local[k % len(local)]
            wish.claimant_kind, wish.claimant_name = ClaimantKind.VOLUNTEER, volunteer.name
            wish.claimant_volunteer, wish.claimed_at = volunteer, posted + timedelta(days=3)
        if order >= list(WishState.values).index(WishState.FULFILLED):
            wish.fulfilled_at = posted + timedelta(days=8)
            wish.fulfil_note = "已送到心愿人家中"
            wish.photo.save("wish.jpg", ContentFile(photo), save=False)
        if order >= list(WishState.values).index(WishState.CONFIRMED):
            wish.confirmed_at = posted + timedelta(days=9)
        if state == WishState.THANKED:
            wish.thanks, wish.thanked_at = "感谢志愿者的帮助！", posted + timedelta(days=10)
        wish.save()
        if wish.confirmed_at and wish.claimant_volunteer is not None:
            v = Volunteer.objects.select_for_update().get(pk=wish.claimant_volunteer.pk)
            PointsEntry.objects.create(
                volunteer=v, area_path=v.area_path, reason=PointsReason.WISH, delta=20,
                balance=v.points + 20, wish=wish, note=wish.title,
            )  # fmt: skip
            Volunteer.objects.filter(pk=v.pk).update(points=v.points + 20)


def _micro(
    rng: random.Random, teams: list[VolunteerTeam], volunteers: list[Volunteer], huayang: Area
) -> None:
    by_name = {t.name: t for t in teams}
    services = [
        MicroService(
            kind=kind, title=title, community=huayang, area_path=huayang.path,
            team=by_name.get(provider), provider=provider,
        )
        for kind, title, provider in MICRO
    ]  # fmt: skip
    MicroService.objects.bulk_create(services)
    served = list(
        Resident.objects.filter(area_path__startswith=huayang.path, tags__len__gt=0).order_by(
            "-id"
        )[:40]
    )
    local = [v for v in volunteers if v.area_path == huayang.path]
    today = timezone.localdate()
    records = []
    for k, service in enumerate(services):
        for j in range(5):
            resident = served[(k * 5 + j) % len(served)] if served else None
            records.append(MicroServiceRecord(
                service=service, area_path=service.area_path, resident=resident,
                resident_name=resident.name if resident else _name(rng),
                served_on=today - timedelta(days=7 * j + k), volunteer=local[(k + j) % len(local)],
                note="服务完成，居民满意",
            ))  # fmt: skip
    MicroServiceRecord.objects.bulk_create(records)

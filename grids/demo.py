"""The demo district's grids and their people (台儿庄区). Idempotent: found by code or name.

The seed report's figures: 24 urban grids with volunteer teams, 28 new grids each with a red
station (红色驿站) and a party member model post, 34 community workers (3岗18级, 五员),
1,180 visits of which 132 solved problems through cases that were closed (seeded once
households exist in covered buildings, after the case categories of cases.demo).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import role_grant_add, user_create
from cases.models import Case, CaseEvent, Category, Notification, Satisfaction
from cases.services import case_handle, case_rate, case_verify
from cases.workflow import Action
from governance.models import Area, AreaLevel

from . import services
from .models import (
    CommunityWorker,
    FiveDuty,
    Grid,
    GridKind,
    GridPost,
    GridStaffing,
    SalaryScale,
    ServiceKind,
    StationKind,
    Visit,
    VisitKind,
    WorkerPost,
)

HUAYANG = "370405001001"
RURAL_STREET = "370405100000"
VOLUNTEER_GRIDS = 24
STATION_GRIDS = 28
WORKERS = 34
VISITS = 1180
SOLVED = 132
#: Visits whose problem's case is still being handled (they colour the grid map).
OPEN_PROBLEMS = 36

# Boundaries: a lattice of cells around 台儿庄 (about 117.73°E, 34.56°N); cells never overlap.
ORIGIN = (117.705, 34.545)
CELL = (0.006, 0.004)
COLUMNS = 8

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建华",
    "秀英",
    "海燕",
    "志强",
    "丽娟",
    "德明",
    "晓东",
    "桂兰",
    "春梅",
    "国庆",
    "文静",
    "红霞",
    "永刚",
    "玉珍",
    "立新",
    "淑芬",
    "卫国",
    "凤英",
    "明亮",
    "小燕",
]
COURSES = [
    "社区治理能力提升培训",
    "网格化服务管理实务",
    "矛盾纠纷调解技巧",
    "消防安全与应急救护",
    "社保医保政策解读",
    "党建引领基层治理专题",
]
HEARD = [
    "了解家庭生活情况，老人身体尚好",
    "反映楼道照明损坏",
    "咨询医保报销政策",
    "反映小区垃圾清运不及时",
    "希望增加老年活动场所",
    "子女外出务工，独居老人需关照",
    "反映下水道堵塞",
    "咨询就业帮扶政策",
    "对物业服务总体满意",
    "宣传防范电信网络诈骗",
]
#: Problems found on visits: (case category of cases.demo, description). Categories a grid
#: worker may handle on the spot (grid or community tier).
PROBLEMS = [
    ("MS03", "楼道照明损坏，老人夜间出行不便"),
    ("HJ01", "单元门口垃圾堆放，清运不及时"),
    ("MJ01", "楼上卫生间漏水，邻里产生矛盾"),
    ("WY02", "小区绿化带杂草丛生"),
    ("AQ02", "楼道内私拉电线给电动车充电"),
    ("MS01", "独居老人家庭生活困难，申请临时救助"),
]


def _cell_polygon(index: int) -> dict[str, Any]:
    col, row = index % COLUMNS, index // COLUMNS
    x0 = ORIGIN[0] + col * CELL[0]
    y0 = ORIGIN[1] + row * CELL[1]
    x1, y1 = x0 + CELL[0] * 0.96, y0 + CELL[1] * 0.96
    mid = (x0 + x1) / 2
    ring = [
        [round(x0, 6), round(y0, 6)],
        [round(x1, 6), round(y0, 6)],
        [round(x1, 6), round(y1, 6)],
        [round(mid, 6), round(y1 - CELL[1] * 0.12, 6)],
        [round(x0, 6), round(y1, 6)],
        [round(x0, 6), round(y0, 6)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]


def _salary_table(log: Any) -> None:
    base: dict[str, int] = {WorkerPost.HEAD: 4200, WorkerPost.DEPUTY: 3800, WorkerPost.STAFF: 3200}
    step: dict[str, int] = {WorkerPost.HEAD: 130, WorkerPost.DEPUTY: 115, WorkerPost.STAFF: 100}
    this_year = timezone.localdate().year
    rows = [
        SalaryScale(
            year=year,
            post=post,
            grade=grade,
            monthly_amount=Decimal(base[post] + step[post] * (grade - 1) + (year - 2024) * 60),
        )
        for year in (this_year - 1, this_year)
        for post in WorkerPost.values
        for grade in range(1, 19)
    ]
    SalaryScale.objects.bulk_create(rows, ignore_conflicts=True)
    log(f"薪酬标准: {SalaryScale.objects.count()} 条")


def _communities() -> list[Area]:
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    # 华阳社区 first: the pilot of the 15-minute red service circle gets the most grids.
    communities.sort(key=lambda area: (area.code != HUAYANG, area.code))
    return communities


def _workers(communities: list[Area]) -> dict[int, list[CommunityWorker]]:
    by_community: dict[int, list[CommunityWorker]] = {c.pk: [] for c in communities}
    existing = CommunityWorker.objects.filter(community__in=communities)
    for worker in existing:
        by_community[worker.community_id].append(worker)
    if existing.exists():
        return by_community
    duties = FiveDuty.values
    hired = date(2019, 3, 1)
    grid_user = User.objects.filter(username="grid_worker").first()
    for n in range(WORKERS):
        community = communities[n % len(communities)]
        rank = len(by_community[community.pk])
        post = WorkerPost.HEAD if rank == 0 else WorkerPost.DEPUTY if rank < 3 else WorkerPost.STAFF
        user = None
        name = _name(n)
        if n == WORKERS - 1 and grid_user is not None:  # the grid_worker demo account
            community = communities[0]
            post, name, user = WorkerPost.STAFF, grid_user.full_name or "赵磊", grid_user
        worker = services.worker_create(
            actor=None,
            community=community,
            name=name,
            post=post,
            grade=1 + (n * 5) % 18,
            duty=duties[n % len(duties)],
            is_party_member=n % 3 != 2,
            hired_on=hired + timedelta(days=37 * n),
            user=user,
        )
        services.training_add(
            actor=None,
            worker=worker,
            course=COURSES[n % len(COURSES)],
            hours=Decimal("8.0") + n % 4 * 4,
            trained_on=date(2025, 4, 10) + timedelta(days=11 * n),
            organiser="台儿庄区委组织部",
        )
        by_community[community.pk].append(worker)
    return by_community


def seed(log: Any) -> None:
    _salary_table(log)
    communities = _communities()
    if not communities:
        log("网格: 没有社区，跳过")
        return
    workers = _workers(communities)
    if Grid.objects.exists():
        # The district's grids are loaded once: a later run (even with more communities in the
        # tree by then) adds none, so the demo keeps the seed's 24 + 28 grids.
        log(f"网格: 已有 {Grid.objects.count()} 个，跳过")
        _worker_accounts(log, workers)
        _visits(log)
        return
    estates: dict[str, list[Area]] = {}
    for estate in Area.objects.filter(level=AreaLevel.RESIDENTIAL_AREA).order_by("path"):
        estates.setdefault(estate.path[: -Area.steplen], []).append(estate)
    # Contiguous blocks of cells per community: 华阳社区 takes a larger share.
    total = VOLUNTEER_GRIDS + STATION_GRIDS
    shares = [total // len(communities)] * len(communities)
    shares[0] += total - sum(shares)
    index = 0
    created = 0
    start = date(2022, 1, 1)
    for community, share in zip(communities, shares, strict=True):
        rural = community.path[: -Area.steplen] == _street_path(RURAL_STREET)
        community_workers = [w for w in workers[community.pk] if w.status != "left"]
        community_estates = estates.get(community.path, [])
        for local in range(share):
            number = index + 1
            code = f"{community.code}G{local + 1:02d}"
            with_station = index >= VOLUNTEER_GRIDS
            grid = Grid.objects.filter(code=code).first()
            if grid is None:
                grid = services.grid_create(
                    actor=None,
                    community=community,
                    code=code,
                    name=f"{community.name}第{local + 1}网格",
                    kind=GridKind.RURAL if rural else GridKind.URBAN,
                    boundary=_cell_polygon(index),
                    note="新建网格（红色驿站）" if with_station else "城市网格志愿服务队",
                )
                created += 1
                for estate in community_estates[local::share]:
                    services.grid_cover_area(actor=None, grid=grid, area=estate)
                _staff(grid, community_workers, local, number, start)
                if with_station:
                    _station(grid, community_estates[local::share], number)
            index += 1
    log(f"网格: 新建 {created} 个，共 {Grid.objects.count()} 个")
    log(f"社区工作者: {CommunityWorker.objects.count()} 名")
    _worker_accounts(log, workers)
    _visits(log)


def worker_username(community: Area, number: int) -> str:
    """The demo account of a community's n-th worker: ``cw_<last six digits of the community
    code>_<n>``, e.g. ``cw_001001_2`` (README, demo accounts)."""
    return f"cw_{community.code[-6:]}_{number}"


def _worker_accounts(log: Any, workers: dict[int, list[CommunityWorker]]) -> None:
    """Every community worker signs in: an account with the grid worker role on its own
    community (the demo password), made once; the grid_worker demo account is one of them."""
    communities = {a.pk: a for a in Area.objects.filter(pk__in=list(workers))}
    made = 0
    for community_id, staff in workers.items():
        community = communities[community_id]
        for number, worker in enumerate(sorted(staff, key=lambda w: w.pk), start=1):
            if worker.user_id:
                continue
            username = worker_username(community, number)
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor=None,
                    username=username,
                    full_name=worker.name,
                    password=settings.DEMO_PASSWORD,
                    validate=False,
                )
                made += 1
            role_grant_add(actor=None, user=user, role=Role.GRID_WORKER, area=community)
            CommunityWorker.objects.filter(pk=worker.pk).update(user=user)
            worker.user = user
    log(f"社区工作者账号: 新建 {made} 个（cw_社区编码后六位_序号）")


def _visitors() -> dict[int, list[Any]]:
    """Per grid, the accounts that visit its households: its posted grid workers with an
    account, else any worker account of its community."""
    by_community: dict[int, list[Any]] = {}
    for worker in CommunityWorker.objects.filter(user__isnull=False).select_related("user"):
        by_community.setdefault(worker.community_id, []).append(worker.user)
    posted: dict[int, list[Any]] = {}
    staffings = GridStaffing.objects.filter(
        post=GridPost.WORKER, ended_on__isnull=True, worker__user__isnull=False
    ).select_related("worker__user")
    for staffing in staffings.order_by("grid_id", "pk"):
        if staffing.worker is not None:
            posted.setdefault(staffing.grid_id, []).append(staffing.worker.user)
    return {
        grid.pk: posted.get(grid.pk) or by_community.get(grid.community_id, [])
        for grid in Grid.objects.filter(is_active=True).only("id", "community_id")
    }


def _street_path(code: str) -> str:
    street = Area.objects.filter(code=code).values_list("path", flat=True).first()
    return street or "-"


def _staff(
    grid: Grid, workers: list[CommunityWorker], local: int, number: int, start: date
) -> None:
    if not workers:
        return
    office = [w for w in workers if not w.user_id] or workers
    leader = office[0] if len(office) < 2 else office[1 + local % (len(office) - 1)]
    services.staffing_assign(
        actor=None, grid=grid, post=GridPost.LEADER, worker=leader, started_on=start
    )
    # A few grids break the rule on purpose, so the staffing check has something to show.
    if number % 13 != 5:
        services.staffing_assign(
            actor=None,
            grid=grid,
            post=GridPost.SECRETARY,
            person_name=_name(100 + number),
            started_on=start,
        )
    grid_workers = [w for w in workers if w.user_id] if local == 0 else []
    count = 1 + local % 2
    # the grid's leader is not also one of its grid workers (the roster would list it twice)
    pool = (
        [w for w in workers if w not in grid_workers and not w.user_id and w != leader]
        or [w for w in workers if w != leader]
        or workers
    )
    for k in range(len(pool)):
        if len(grid_workers) >= count:
            break
        grid_workers.append(pool[(local * 2 + k) % len(pool)])
    if number % 17 == 9:
        grid_workers = []
    for worker in grid_workers:
        services.staffing_assign(
            actor=None, grid=grid, post=GridPost.WORKER, worker=worker, started_on=start
        )


def _station(grid: Grid, estates: list[Area], number: int) -> None:
    services_offered = [ServiceKind.STATION, ServiceKind.VOLUNTEER, ServiceKind.CONVENIENCE]
    if number % 2:
        services_offered.append(ServiceKind.CULTURE)
    station = services.station_create(
        actor=None,
        grid=grid,
        kind=StationKind.RED_STATION,
        name=f"{grid.name}红色驿站",
        residential_area=estates[0] if estates else None,
        address=f"{grid.community.name}{number}号服务用房",
        opening_hours="周一至周日 8:30—17:30",
        services=services_offered,
        opened_on=date(2022, 6, 1),
    )
    services.model_post_add(
        actor=None,
        station=station,
        title="党员示范岗",
        member_name=_name(200 + number),
        duty="政策宣讲、便民服务、邻里调解",
        since=date(2022, 6, 1),
    )


def _visits(log: Any) -> None:
    """1,180 visits, 132 of them solving the problem they found through a case that was
    reported, handled on the spot, verified and closed, and a few more whose case is still
    open; only once households sit in covered buildings, and only once (a second run finds
    the visits and adds none). Each grid's households are visited by its own grid workers
    (their community's worker accounts), who report the problems through the case service;
    the case categories come from cases.demo, which runs first."""
    from governance.models import Household

    if Visit.objects.exists():
        log(f"民情走访: 已有 {Visit.objects.count()} 次，跳过")
        return
    categories = {
        c.code: c
        for c in Category.objects.filter(code__in={code for code, _text in PROBLEMS})
        if c.is_active
    }
    visitors = _visitors()
    if not any(visitors.values()) or len(categories) < len({code for code, _t in PROBLEMS}):
        log("民情走访: 缺少社区工作者账号或事件类别，暂不生成")
        return
    pairs: list[tuple[Grid, Any]] = []
    for grid in Grid.objects.filter(is_active=True).prefetch_related("coverages"):
        if not visitors.get(grid.pk):
            continue
        paths = [c.area_path for c in grid.coverages.all() if c.is_active]
        for path in paths:
            households = Household.objects.filter(building__path__startswith=path)
            for household in households.select_related("building")[:60]:
                pairs.append((grid, household))
    if not pairs:
        log("民情走访: 网格覆盖的楼栋中尚无住户，暂不生成")
        return
    rng = random.Random(343)
    today = timezone.localdate()
    with_problems = SOLVED + OPEN_PROBLEMS

    def visitor(grid: Grid, n: int) -> Any:
        accounts = visitors[grid.pk]
        return accounts[n % len(accounts)]

    visits = []
    for n in range(VISITS - with_problems):
        grid, household = pairs[n % len(pairs)]
        visited = today - timedelta(days=rng.randint(1, 700))
        visits.append(
            Visit(
                grid=grid,
                household=household,
                area_path=household.area_path,
                visitor=visitor(grid, n),
                visited_on=visited,
                kind=VisitKind.DOOR if n % 5 else VisitKind.PHONE,
                heard=HEARD[n % len(HEARD)],
                follow_up_on=visited + timedelta(days=14) if n % 9 == 0 else None,
                followed_up=n % 9 == 0 and visited + timedelta(days=14) < today,
            )
        )
    Visit.objects.bulk_create(visits)
    backdated: list[tuple[Case, date]] = []
    for n in range(with_problems):
        grid, household = pairs[(n * 7) % len(pairs)]
        actor = visitor(grid, n)
        solved = n < SOLVED
        code, text = PROBLEMS[n % len(PROBLEMS)]
        # an open problem was found in the last days: its case is not overdue from the start
        visited = today - timedelta(days=rng.randint(20, 600) if solved else 0)
        visit = services.visit_log(
            actor=actor,
            grid=grid,
            household=household,
            visited_on=visited,
            kind=VisitKind.DOOR,
            heard=HEARD[n % len(HEARD)],
            problems=[(categories[code], text)],
            follow_up_on=visited + timedelta(days=7),
        )
        case = visit.problems.get().case
        assert case is not None
        if solved:
            _solve(case, actor, n)
            backdated.append((case, visited))
        elif n % 3 == 0:
            case_handle(actor=actor, case=case, note="网格员已现场处置，待核查")
    _backdate(backdated)
    log(
        f"民情走访: {VISITS} 次，其中 {with_problems} 次发现问题并上报事件，"
        f"解决问题 {len(backdated)} 件（事件已办结）"
    )


def _solve(case: Case, actor: Any, n: int) -> None:
    """即时办结 on the spot, verified on site and rated by the resident: the case is closed."""
    case_handle(actor=actor, case=case, note="网格员现场处置，问题已解决")
    case_verify(actor=actor, case=case, note="现场核查，问题已解决")
    satisfaction = Satisfaction.SATISFIED if n % 4 else Satisfaction.BASICALLY
    case_rate(actor=actor, case=case, satisfaction=satisfaction, note="居民评价")


def _backdate(solved: list[tuple[Case, date]]) -> None:
    """Put the solved cases and their timelines back on the days of their visits (the services
    stamped "now"), and mark their old "new case" notifications read."""
    tz = timezone.get_current_timezone()
    cases: list[Case] = []
    events: list[CaseEvent] = []
    by_case = {case.pk: (case, day) for case, day in solved}
    for event in CaseEvent.objects.filter(case_id__in=by_case).order_by("case_id", "id"):
        case, day = by_case[event.case_id]
        reported = datetime.combine(day, time(10), tzinfo=tz)
        handled = reported + timedelta(days=1 + event.case_id % 4, hours=5)
        event.at = {
            Action.REPORT: reported,
            Action.HANDLE: handled,
            Action.VERIFY: handled + timedelta(minutes=30),
        }.get(event.action, handled + timedelta(hours=1))
        events.append(event)
        if event.action == Action.REPORT:
            case.created_at = case.updated_at = reported
            case.resolved_at = handled
            case.closed_at = handled + timedelta(hours=1)
            cases.append(case)
    Case.objects.bulk_update(cases, ["created_at", "updated_at", "resolved_at", "closed_at"])
    CaseEvent.objects.bulk_update(events, ["at"])
    Notification.objects.filter(case_id__in=by_case, read_at=None).update(read_at=timezone.now())

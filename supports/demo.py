"""The demo district's three supports (台儿庄区), after governance and grids.

* 阵地: a 党群服务中心 for each street and town and for each of its communities, with rooms,
  a few coming bookings, the district's 标准化建设 checklist scored per centre, and a year of
  service records of the seven kinds at the centres and at the grids' red stations.
* 书记工作室: one studio with its members, 专家门诊 and other sessions, and 45 difficult
  problems from the communities, 42 of them solved (the report's "40余个"), a few linked to the
  cases of 华阳社区.
* 两项经费: for every community 260,000 / 80,000 yuan this year (last year's lower budgets are
  flagged by the rule check), with spending entries by purpose.
* 队伍: each community's post quota (one staff opening each), a recruitment round with
  applicants, scores and results (none hired, so the roster keeps the report's 34 workers),
  last year's appraisals and a few promotions along 3岗18级.

Idempotent: each part is loaded once (a second run finds its rows and adds nothing).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cases.models import Case
from governance.idcard import make_id_number
from governance.models import Area, AreaLevel
from grids.models import GRADES, CommunityWorker, ServiceKind, Station, WorkerPost

from .models import (
    ApplicantResult,
    Appraisal,
    AppraisalResult,
    CentreLevel,
    ChecklistItem,
    DifficultProblem,
    FundBudget,
    FundKind,
    FundSpending,
    MemberRole,
    RecruitmentRound,
    RoundState,
    ServiceCentre,
    ServiceLine,
    ServiceRecord,
    StaffQuota,
    Studio,
    StudioSession,
)
from .services import careers, centres, funds, studio

HUAYANG = "370405001001"
DISTRICT = "370405000000"
SEED = 343

CHECKLIST = [
    ("A01", "阵地设置", "有统一的党群服务中心标识、门牌和党旗", 10, ["street", "community"]),
    (
        "A02",
        "阵地设置",
        "办公面积压缩到三分之一以内，服务面积不少于三分之二",
        10,
        ["street", "community"],
    ),
    ("A03", "阵地设置", "设有党员活动室、会议室、多功能活动室", 10, ["street", "community"]),
    ("B01", "功能设置", "党务、政务、商务、社会服务四大板块齐全", 15, ["street", "community"]),
    ("B02", "功能设置", "七类社区服务项目公开上墙", 10, ["community"]),
    ("B03", "功能设置", "设立矛盾纠纷调解室", 5, ["street"]),
    ("C01", "制度建设", "开放时间、服务流程、办事指南公开", 10, ["street", "community"]),
    ("C02", "制度建设", "建立首问负责、一次性告知、限时办结制度", 10, ["street", "community"]),
    ("D01", "服务开展", "每月开展主题党日或志愿服务活动", 10, ["street", "community"]),
    ("D02", "服务开展", "服务记录完整，台账齐全", 5, ["street", "community"]),
    ("E01", "信息化", "接入网格化服务管理平台", 5, ["street", "community"]),
]

SERVICE_TEXTS: dict[str, list[tuple[str, str]]] = {
    ServiceKind.CO_BUILDING: [
        ("区直部门报到共建议事", "共建单位"),
        ("共驻共建项目对接", "驻区单位"),
    ],
    ServiceKind.VOLUNTEER: [
        ("志愿者入户关爱独居老人", "独居老人"),
        ("留守儿童课业辅导", "留守儿童"),
    ],
    ServiceKind.STATION: [
        ("驿站歇脚饮水、手机充电", "户外劳动者"),
        ("快递小哥爱心驿站服务", "快递员"),
    ],
    ServiceKind.CONVENIENCE: [("代办社保医保业务", "居民"), ("老年优待证代办", "老年人")],
    ServiceKind.CULTURE: [("广场舞与合唱排练", "文艺队"), ("书法兴趣班", "居民")],
    ServiceKind.PROPERTY: [("物业报修协调", "业主"), ("三方联动议事", "业主代表")],
    ServiceKind.PROFESSIONAL: [("法律顾问坐诊", "居民"), ("心理咨询服务", "居民")],
}
LINE_OF: dict[str, str] = {
    ServiceKind.CO_BUILDING: ServiceLine.PARTY,
    ServiceKind.VOLUNTEER: ServiceLine.SOCIAL,
    ServiceKind.STATION: ServiceLine.SOCIAL,
    ServiceKind.CONVENIENCE: ServiceLine.GOVERNMENT,
    ServiceKind.CULTURE: ServiceLine.SOCIAL,
    ServiceKind.PROPERTY: ServiceLine.COMMERCE,
    ServiceKind.PROFESSIONAL: ServiceLine.SOCIAL,
}

MEMBERS = [
    ("孟庆华", MemberRole.LEADER, "中共华阳社区委员会", "党委书记"),
    ("刘芳", MemberRole.SECRETARY, "中共华阳社区委员会", "党委副书记"),
    ("高建民", MemberRole.SECRETARY, "中共古城社区委员会", "党委书记"),
    ("张秀兰", MemberRole.SECRETARY, "中共胜利社区委员会", "党委书记"),
    ("李德明", MemberRole.SECRETARY, "中共文化社区委员会", "党委书记"),
    ("王立新", MemberRole.SECRETARY, "中共泥沟社区委员会", "党委书记"),
    ("陈思远", MemberRole.EXPERT, "中共台儿庄区委党校", "副教授"),
    ("赵文静", MemberRole.EXPERT, "台儿庄区委组织部", "组织科科长"),
    ("孙明", MemberRole.EXPERT, "台儿庄区司法局", "公职律师"),
    ("周琳", MemberRole.LIAISON, "台儿庄区委组织部", "干部"),
]
SESSION_TOPICS = [
    ("organisation", "软弱涣散党组织整顿"),
    ("education", "流动党员教育管理"),
    ("position", "党群服务阵地提质增效"),
    ("governance", "老旧小区物业管理难题"),
    ("education", "在职党员“双报到”作用发挥"),
    ("organisation", "小区党支部组建与换届"),
    ("service", "“15分钟红色服务圈”建设"),
    ("governance", "矛盾纠纷多元化解"),
]
PROBLEMS = [
    (
        "organisation",
        "小区党支部书记人选难产",
        "新建小区党员多为在职党员，无人愿意担任支部书记。",
        "从退休党员骨干中选任，在职党员任支委，明确分工。",
    ),
    (
        "education",
        "流动党员联系不上",
        "部分外出务工党员长期不参加组织生活，联系方式失效。",
        "建立流动党员微信群和线上组织生活，委托务工地党组织代管。",
    ),
    (
        "position",
        "社区服务阵地面积不足",
        "社区办公用房狭小，活动室常被占用。",
        "压缩办公面积，统筹小区物业用房和共建单位场地。",
    ),
    (
        "governance",
        "老旧小区无物业管理",
        "小区无物业、无业委会，垃圾清运和维修无人负责。",
        "引入红色物业托管，成立小区党支部牵头的自管小组。",
    ),
    (
        "education",
        "在职党员报到后作用发挥不明显",
        "在职党员报到后参加活动少，服务项目空泛。",
        "按需求清单认领服务项目，实行积分管理和年终反馈。",
    ),
    (
        "governance",
        "楼院停车矛盾突出",
        "楼院车位紧张，邻里因停车多次发生争执。",
        "召开“1+3+N”联席会议，划定车位并建立轮换规则。",
    ),
    (
        "service",
        "独居老人关爱服务覆盖不全",
        "独居老人底数不清，志愿服务频次不稳定。",
        "网格员摸排建档，志愿服务队结对包保。",
    ),
    (
        "organisation",
        "党员发展后继乏人",
        "社区党员老龄化严重，近三年发展党员少。",
        "从网格员、志愿者骨干中培养入党积极分子。",
    ),
    (
        "position",
        "红色驿站使用率低",
        "驿站开放时间与居民作息不匹配，活动少。",
        "错时开放，引入共建单位进驻开展专业服务。",
    ),
]
SOLVED_PROBLEMS = 42
ALL_PROBLEMS = 45


def seed(log: Any) -> None:
    district = Area.objects.filter(code=DISTRICT).first()
    if district is None:
        log("三大支撑: 没有演示区，跳过")
        return
    rng = random.Random(SEED)
    _centres(log, rng)
    _studio(log, rng, district)
    _funds(log, rng)
    _careers(log, rng)


# --- 阵地 -------------------------------------------------------------------------------------


def _centres(log: Any, rng: random.Random) -> None:
    for code, section, title, points, levels in CHECKLIST:
        ChecklistItem.objects.get_or_create(
            code=code,
            defaults={"section": section, "title": title, "points": points, "levels": levels},
        )
    if ServiceCentre.objects.exists():
        log(f"党群服务中心: 已有 {ServiceCentre.objects.count()} 个，跳过")
        return
    streets = list(Area.objects.filter(level=AreaLevel.STREET).order_by("code"))
    made: list[ServiceCentre] = []
    for street in streets:
        made.append(
            centres.centre_create(
                actor=None,
                area=street,
                name=f"{street.name}党群服务中心",
                address=f"台儿庄区{street.name}政府驻地",
                opening_hours="周一至周五 8:30—17:30，周六 9:00—12:00",
                phone="0632-66" + street.code[6:9] + "00",
                floor_area=800 if street.name.endswith("街道") else 500,
                services=list(ServiceKind.values),
                lines=list(ServiceLine.values),
                opened_on=date(2020, 7, 1),
            )
        )
        for community in Area.objects.filter(
            level=AreaLevel.COMMUNITY, path__startswith=street.path
        ).order_by("code"):
            offered = [
                ServiceKind.CO_BUILDING,
                ServiceKind.VOLUNTEER,
                ServiceKind.CONVENIENCE,
                ServiceKind.CULTURE,
            ]
            if community.code == HUAYANG or rng.random() < 0.6:
                offered += [ServiceKind.PROPERTY, ServiceKind.PROFESSIONAL, ServiceKind.STATION]
            made.append(
                centres.centre_create(
                    actor=None,
                    area=community,
                    name=f"{community.name}党群服务中心",
                    address=f"{street.name}{community.name}居委会",
                    opening_hours="周一至周日 8:30—17:30",
                    floor_area=400 if community.code == HUAYANG else 260,
                    services=offered,
                    lines=[ServiceLine.PARTY, ServiceLine.GOVERNMENT, ServiceLine.SOCIAL]
                    + ([ServiceLine.COMMERCE] if ServiceKind.PROPERTY in offered else []),
                    opened_on=date(2021, 7, 1),
                )
            )
    for centre in made:
        names = (
            [
                ("会议室", 40, "会议、议事协商"),
                ("党员活动室", 30, "主题党日、党课"),
                ("调解室", 8, "矛盾纠纷调解"),
            ]
            if centre.level == CentreLevel.STREET
            else [("会议室", 20, "议事协商"), ("多功能活动室", 50, "文娱活动、培训")]
        )
        for name, capacity, purpose in names:
            centres.room_add(
                actor=None, centre=centre, name=name, capacity=capacity, purpose=purpose
            )
        _check(centre, rng)
    _bookings()
    records = _service_records(made, rng)
    log(f"党群服务中心: {len(made)} 个（街道 {len(streets)} 个），服务记录 {records} 条")


def _check(centre: ServiceCentre, rng: random.Random) -> None:
    items = ChecklistItem.objects.filter(is_active=True, levels__contains=[centre.level])
    results = {item.pk: (centre.area.code == HUAYANG or rng.random() < 0.85, "") for item in items}
    centres.checklist_check(
        actor=None,
        centre=centre,
        results=results,
        checked_on=timezone.localdate() - timedelta(days=30),
    )


def _bookings() -> None:
    centre = ServiceCentre.objects.filter(area__code=HUAYANG).first()
    if centre is None:
        return
    rooms = list(centre.rooms.order_by("name"))
    tz = timezone.get_current_timezone()
    start_day = timezone.localdate() + timedelta(days=1)
    plans = [
        ("主题党日活动", "华阳社区党委", 0, 9, 2, 30),
        ("“1+3+N”物业联席会议", "华阳社区", 1, 14, 2, 15),
        ("老年人智能手机培训", "志愿服务队", 2, 9, 3, 25),
        ("居民议事会", "华阳社区居委会", 4, 15, 2, 18),
        ("少儿书法兴趣班", "共建单位区实验小学", 5, 9, 2, 20),
    ]
    for index, (title, organiser, days, hour, hours, people) in enumerate(plans):
        room = rooms[index % len(rooms)]
        starts = datetime.combine(start_day + timedelta(days=days), time(hour), tzinfo=tz)
        centres.room_book(
            actor=None,
            room=room,
            title=title,
            organiser=organiser,
            attendees=min(people, room.capacity),
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
        )


def _service_records(made: list[ServiceCentre], rng: random.Random) -> int:
    """A year of services: bulk-loaded (the service checks one record at a time); every row
    is a kind its place offers, dated in the past."""
    today = timezone.localdate()
    rows: list[ServiceRecord] = []
    places: list[Any] = [*made, *Station.objects.filter(is_active=True)]
    for place in places:
        offered = [kind for kind in place.services if kind in SERVICE_TEXTS]
        if not offered:
            continue
        per_month = 4 if isinstance(place, ServiceCentre) else 1
        for month in range(12):
            for _ in range(per_month):
                kind = rng.choice(offered)
                content, served = rng.choice(SERVICE_TEXTS[kind])
                day = today - timedelta(days=30 * month + rng.randint(0, 27))
                rows.append(
                    ServiceRecord(
                        centre=place if isinstance(place, ServiceCentre) else None,
                        station=place if isinstance(place, Station) else None,
                        area_path=place.area_path,
                        kind=kind,
                        line=LINE_OF[kind],
                        served_on=day,
                        content=content,
                        served=served,
                        people=rng.randint(1, 30),
                        served_by="社区工作者" if isinstance(place, ServiceCentre) else "网格员",
                    )
                )
    ServiceRecord.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- 书记工作室 -------------------------------------------------------------------------------


def _studio(log: Any, rng: random.Random, district: Area) -> None:
    if Studio.objects.exists():
        log(f"书记工作室: 已有，疑难问题 {DifficultProblem.objects.count()} 个，跳过")
        return
    the_studio = studio.studio_create(
        actor=None,
        name="孟庆华优秀党组织书记工作室",
        host=district,
        leader="孟庆华",
        founded_on=date(2021, 6, 28),
        address="华阳社区党群服务中心二楼",
        description="开设“专家门诊”，针对党组织自身建设、党员教育管理、党群阵地建设等内容，"
        "定期学习交流和工作研讨，群策群力化解基层疑难杂症。",
    )
    members = [
        studio.member_add(
            actor=None,
            studio=the_studio,
            name=name,
            role=role,
            organisation=organisation,
            title=title,
            joined_on=date(2021, 6, 28),
        )
        for name, role, organisation, title in MEMBERS
    ]
    today = timezone.localdate()
    sessions: list[StudioSession] = []
    first = date(2023, 3, 15)
    for n in range(16):
        topic, title = SESSION_TOPICS[n % len(SESSION_TOPICS)]
        held = min(first + timedelta(days=45 * n), today - timedelta(days=3))
        kind = "clinic" if n % 4 != 3 else ("study" if n % 8 == 3 else "seminar")
        sessions.append(
            studio.session_record(
                actor=None,
                studio=the_studio,
                held_on=held,
                kind=kind,
                topic=topic,
                title=("专家门诊：" if kind == "clinic" else "") + title,
                place=the_studio.address,
                summary="围绕" + title + "开展会诊研讨，形成工作建议。",
                attendees=rng.sample(members, 5),
                guests=rng.randint(3, 15),
            )
        )
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    huayang_cases = list(
        Case.objects.filter(community__code=HUAYANG).order_by("pk").values_list("pk", flat=True)[:3]
    )
    for n in range(ALL_PROBLEMS):
        topic, title, description, advice = PROBLEMS[n % len(PROBLEMS)]
        community = communities[n % len(communities)]
        session = sessions[n % len(sessions)]
        raised = session.held_on - timedelta(days=rng.randint(3, 20))
        case = None
        if community.code == HUAYANG and huayang_cases:
            case = Case.objects.get(pk=huayang_cases.pop())
        problem = studio.problem_raise(
            actor=None,
            studio=the_studio,
            community=community,
            title=f"{community.name}{title}",
            topic=topic,
            description=description,
            raised_on=raised,
            case=case,
        )
        if n == ALL_PROBLEMS - 1:
            continue  # just raised
        studio.problem_transition(actor=None, problem=problem, action="accept", on=session.held_on)
        if n == ALL_PROBLEMS - 2:
            continue  # in the clinic
        studio.problem_transition(
            actor=None,
            problem=problem,
            action="advise",
            advice=advice,
            session=session,
            on=session.held_on,
        )
        followed = min(session.held_on + timedelta(days=rng.randint(10, 40)), today)
        studio.problem_transition(
            actor=None,
            problem=problem,
            action="follow_up",
            note="社区党组织召开专题会议，按会诊意见逐项落实。",
            on=followed,
        )
        if n < SOLVED_PROBLEMS:
            solved = min(followed + timedelta(days=rng.randint(15, 60)), today)
            studio.problem_transition(
                actor=None,
                problem=problem,
                action="solve",
                note="问题已化解，居民满意，销号。",
                on=solved,
            )
    log(
        f"书记工作室: 成员 {len(members)} 人，活动 {len(sessions)} 次，"
        f"疑难问题 {ALL_PROBLEMS} 个，已化解 {SOLVED_PROBLEMS} 个"
    )


# --- 两项经费 ---------------------------------------------------------------------------------

PURPOSE_TEXTS = [
    ("operations", "办公用品及水电费"),
    ("position", "党群服务中心维修改造"),
    ("activities", "主题党日活动"),
    ("services", "“微心愿”服务项目"),
    ("care", "困难群众节日慰问"),
    ("training", "网格员业务培训"),
]


def _funds(log: Any, rng: random.Random) -> None:
    if FundBudget.objects.exists():
        log(f"两项经费: 已有 {FundBudget.objects.count()} 条预算，跳过")
        return
    this_year = timezone.localdate().year
    today = timezone.localdate()
    entries: list[FundSpending] = []
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    plan = {
        this_year - 1: {FundKind.WORK: Decimal("200000"), FundKind.SERVICE: Decimal("50000")},
        this_year: {FundKind.WORK: Decimal("260000"), FundKind.SERVICE: Decimal("80000")},
    }
    for year, amounts in plan.items():
        for community in communities:
            for kind, amount in amounts.items():
                budget = funds.budget_set(
                    actor=None,
                    community=community,
                    year=year,
                    kind=kind,
                    amount=amount,
                    note="区财政下达" if year == this_year else "上年度标准",
                )
                share = (
                    Decimal("0.94")
                    if year < this_year
                    else Decimal((today.timetuple().tm_yday / 366) * 0.9).quantize(Decimal("0.01"))
                )
                entries += _spending(budget, amount * share, rng, year, today)
    FundSpending.objects.bulk_create(entries, batch_size=1000)
    log(
        f"两项经费: {len(communities)} 个社区 × 2 年预算，支出 {len(entries)} 笔"
        f"（本年度工作经费 260,000 元、服务群众专项经费 80,000 元）"
    )


def _spending(
    budget: FundBudget, total: Decimal, rng: random.Random, year: int, today: date
) -> list[FundSpending]:
    """Entries adding up to no more than ``total`` (under the budget), dated within the year
    and not after today; bulk-loaded like the other demo ledgers."""
    count = 8 if budget.kind == FundKind.WORK else 5
    last = today if year == today.year else date(year, 12, 31)
    span = (last - date(year, 1, 1)).days
    parts = [Decimal(rng.randint(5, 15)) for _ in range(count)]
    scale = total / sum(parts)
    rows = []
    for index, part in enumerate(parts):
        purpose, text = PURPOSE_TEXTS[(index + budget.pk) % len(PURPOSE_TEXTS)]
        if budget.kind == FundKind.SERVICE and purpose in ("operations", "position"):
            purpose, text = "services", "服务群众专项项目"
        rows.append(
            FundSpending(
                budget=budget,
                area_path=budget.area_path,
                spent_on=date(year, 1, 1) + timedelta(days=(span * (index + 1)) // (count + 1)),
                purpose=purpose,
                description=text,
                amount=(part * scale).quantize(Decimal("1")),
                approver="街道分管领导",
                voucher_no=f"{year}-{budget.pk:04d}-{index + 1:02d}",
            )
        )
    return rows


# --- 队伍 -------------------------------------------------------------------------------------


def _careers(log: Any, rng: random.Random) -> None:
    workers = list(CommunityWorker.objects.select_related("community").order_by("pk"))
    if not workers:
        log("社区工作者职业体系: 尚无社区工作者，跳过")
        return
    if StaffQuota.objects.exists():
        log(f"社区工作者职业体系: 已有编制 {StaffQuota.objects.count()} 条，跳过")
        return
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    for community in communities:
        held = [w for w in workers if w.community_id == community.pk and w.status != "left"]
        for post in WorkerPost.values:
            now = sum(1 for w in held if w.post == post)
            quota = max(now, 1) + (1 if post == WorkerPost.STAFF else 0)
            careers.quota_set(actor=None, community=community, post=post, quota=quota)
    this_year = timezone.localdate().year
    _recruitment(communities, rng, this_year)
    appraised = _appraisals(workers, rng, this_year - 1)
    promoted = _promotions(this_year)
    log(
        f"社区工作者职业体系: 编制 {StaffQuota.objects.count()} 条，"
        f"招考 1 批次，年度考核 {appraised} 人，晋升 {promoted} 人"
    )


def _recruitment(communities: list[Area], rng: random.Random, year: int) -> None:
    if RecruitmentRound.objects.exists():
        return
    today = timezone.localdate()
    announced = today - timedelta(days=60)
    round_ = careers.round_create(
        actor=None,
        title=f"{year}年台儿庄区城市社区工作者招考",
        year=year,
        announced_on=announced,
        signup_ends_on=announced + timedelta(days=15),
        exam_on=announced + timedelta(days=30),
        note="面向社会公开招考城市社区专职工作者，笔试占 60%，面试占 40%。",
    )
    positions = [
        careers.position_add(
            actor=None, round=round_, community=community, post=WorkerPost.STAFF, openings=1
        )
        for community in communities[:8]
    ]
    surnames, given = (
        "王李张刘陈杨赵黄周吴徐孙",
        ["晓雯", "志远", "欣怡", "浩然", "梦琪", "子涵", "雨轩", "嘉豪"],
    )
    applicants = []
    sequence = 0
    for position in positions:
        for k in range(3):
            sequence += 1
            male = sequence % 2 == 1
            birth = date(1994 + sequence % 8, 1 + sequence % 12, 1 + sequence % 27)
            applicants.append(
                careers.applicant_add(
                    actor=None,
                    position=position,
                    name=surnames[sequence % len(surnames)] + given[(sequence * 3) % len(given)],
                    gender="M" if male else "F",
                    id_number=make_id_number("370405", birth, sequence * 2 + (1 if male else 0)),
                    phone=f"139{6340000 + sequence:08d}",
                    education=["college", "bachelor", "bachelor", "postgraduate"][k + sequence % 2],
                    is_party_member=sequence % 3 == 0,
                )
            )
    careers.round_advance(actor=None, round=round_, state=RoundState.EXAMINING)
    by_position: dict[int, list[tuple[Decimal, Any]]] = {}
    for applicant in applicants:
        written = Decimal(rng.randint(62, 92))
        interview = Decimal(rng.randint(70, 93))
        careers.applicant_score(
            actor=None, applicant=applicant, written_score=written, interview_score=interview
        )
        total = careers.total_score(applicant) or Decimal(0)
        by_position.setdefault(applicant.position_id, []).append((total, applicant))
    for group in by_position.values():
        group.sort(key=lambda pair: pair[0], reverse=True)
        for rank, (_total, applicant) in enumerate(group):
            careers.applicant_decide(
                actor=None,
                applicant=applicant,
                result=ApplicantResult.PASSED if rank == 0 else ApplicantResult.FAILED,
            )
    careers.round_advance(actor=None, round=round_, state=RoundState.PUBLISHED)


def _appraisals(workers: list[CommunityWorker], rng: random.Random, year: int) -> int:
    if Appraisal.objects.exists():
        return 0
    count = 0
    for n, worker in enumerate(workers):
        if worker.status == "left" or (worker.hired_on and worker.hired_on.year > year):
            continue
        result = (
            AppraisalResult.EXCELLENT
            if n % 6 == 0
            else AppraisalResult.BASIC
            if n % 13 == 7
            else AppraisalResult.COMPETENT
        )
        careers.appraisal_record(
            actor=None,
            worker=worker,
            year=year,
            result=result,
            score=Decimal(rng.randint(92, 98) if result == "excellent" else rng.randint(70, 91)),
            note="履职尽责，群众认可" if result != "basic" else "需加强业务学习",
        )
        count += 1
    return count


def _promotions(year: int) -> int:
    """The excellent ones step up one grade from 1 January (within their post)."""
    effective = date(year, 1, 1)
    count = 0
    for appraisal in Appraisal.objects.filter(
        year=year - 1, result=AppraisalResult.EXCELLENT
    ).select_related("worker"):
        worker = appraisal.worker
        if worker.grade >= GRADES or worker.grade_changes.filter(effective_on=effective).exists():
            continue
        careers.worker_promote(
            actor=None,
            worker=worker,
            to_post=worker.post,
            to_grade=worker.grade + 1,
            effective_on=effective,
            reason=f"{year - 1} 年度考核优秀，晋升一级",
        )
        count += 1
    return count

"""The demo district's 双报到 (台儿庄区): 27 district departments and units checked in at the 15
communities (华阳社区, the pilot, has the most), their resources lists and co-building
agreements, the communities' needs lists (drawn from the needs ledger and typed in), 40
co-building projects in every state with milestones and timelines, the in-service members
checked in at their home communities with tasks and year-end feedback, and the 2022
"进网格、战疫情" campaign that mobilised 1,700+ members, cadres and volunteers into the grids.

Idempotent: each part is loaded once (a second run finds it and adds nothing). Rows go in with
bulk_create, with every denormalised copy (area paths, departments, unit ids) as the services
write it; the checks of the services are not needed for data made to fit them."""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.personal_data import blind_index
from governance.models import Area, AreaLevel, Department, NeedsLedger, PartyMember
from grids.models import Grid

from .deadlines import warn_day
from .demo_campaign import SEED, seed_campaign
from .models import (
    Assessment,
    CheckInState,
    CoBuildAgreement,
    CoBuildProject,
    CommunityNeed,
    MemberCheckIn,
    MemberTask,
    NeedSource,
    NeedState,
    ProjectEvent,
    ProjectMilestone,
    ProjectState,
    Resource,
    ResourceKind,
    ServiceArea,
    TaskKind,
    TaskState,
    UnitCheckIn,
    UnitType,
    YearFeedback,
)
from .people import person_key
from .workflow import Action

HUAYANG = "370405001001"
PROJECTS = 40
#: (name, unit type). The first two are governance.demo's (codes D001, D002); the others get
#: the next free codes. Several are the employers of the demo's party members.
UNITS: list[tuple[str, str]] = [
    ("区住房和城乡建设局", UnitType.AGENCY),
    ("区民政局", UnitType.AGENCY),
    ("区教育和体育局", UnitType.AGENCY),
    ("区人民医院", UnitType.HOSPITAL),
    ("台儿庄古城管委会", UnitType.INSTITUTION),
    ("区市场监督管理局", UnitType.AGENCY),
    ("区税务局", UnitType.AGENCY),
    ("区实验小学", UnitType.SCHOOL),
    ("区供电公司", UnitType.ENTERPRISE),
    ("区委组织部", UnitType.AGENCY),
    ("区委宣传部", UnitType.AGENCY),
    ("区财政局", UnitType.AGENCY),
    ("区人力资源和社会保障局", UnitType.AGENCY),
    ("区卫生健康局", UnitType.AGENCY),
    ("区文化和旅游局", UnitType.AGENCY),
    ("区应急管理局", UnitType.AGENCY),
    ("区城市管理局", UnitType.AGENCY),
    ("区司法局", UnitType.AGENCY),
    ("区退役军人事务局", UnitType.AGENCY),
    ("区医疗保障局", UnitType.AGENCY),
    ("区妇幼保健院", UnitType.HOSPITAL),
    ("区中医院", UnitType.HOSPITAL),
    ("区第二实验中学", UnitType.SCHOOL),
    ("区职业中专", UnitType.SCHOOL),
    ("区农商银行", UnitType.ENTERPRISE),
    ("区自来水公司", UnitType.ENTERPRISE),
    ("公安分局运河派出所", UnitType.AGENCY),
]
RESOURCES: list[tuple[str, str, Decimal | None, str]] = [
    (ResourceKind.PEOPLE, "党员志愿服务队", Decimal(20), "人"),
    (ResourceKind.VENUE, "单位会议室（周末开放）", Decimal(80), "平方米"),
    (ResourceKind.FUNDS, "共建帮扶资金", Decimal(20000), "元"),
    (ResourceKind.SKILLS, "政策宣讲与法律咨询", None, ""),
    (ResourceKind.EQUIPMENT, "应急照明和防汛物资", Decimal(30), "套"),
    (ResourceKind.SKILLS, "义诊与健康讲座", None, ""),
    (ResourceKind.PEOPLE, "青年突击队", Decimal(12), "人"),
    (ResourceKind.EQUIPMENT, "图书和文体器材", Decimal(200), "件"),
]
PROJECT_TITLES = [
    "老旧小区楼道照明改造",
    "“红色物业”楼院环境整治",
    "独居老人助餐送餐",
    "四点半课堂",
    "社区义诊进楼院",
    "留守儿童关爱托管",
    "就业技能培训班",
    "防范电信诈骗宣讲",
    "小区停车秩序治理",
    "社区书屋共建",
    "困难家庭微心愿认领",
    "消防安全隐患排查",
    "健身广场器材更新",
    "运河文化进社区",
    "法律明白人培训",
    "雨污管网疏通",
]
#: How many of the 40 projects are in each state.
STATE_PLAN = [
    (ProjectState.PROPOSED, 6),
    (ProjectState.AGREED, 6),
    (ProjectState.IN_PROGRESS, 12),
    (ProjectState.COMPLETED, 12),
    (ProjectState.CANCELLED, 4),
]
TYPED_NEEDS = [
    ("environment", "背街小巷环境整治", "背街小巷垃圾堆放，需要集中清理"),
    ("elderly_care", "老年助餐点", "辖区老人较多，希望开设助餐点"),
    ("children", "放学后托管", "双职工家庭希望有课后托管服务"),
    ("health", "家门口义诊", "慢病老人希望定期义诊"),
    ("employment", "技能培训", "待业居民希望参加技能培训"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"  # noqa: E501
GIVEN = "建华秀英海燕志强丽娟德明晓东桂兰春梅国庆文静红霞永刚玉珍立新淑芬卫国凤英明亮小燕子涵浩然欣怡宇轩梓萱俊杰佳怡思远雨桐"  # noqa: E501


def _name(rng: random.Random) -> str:
    given = GIVEN[rng.randrange(len(GIVEN))] + (
        GIVEN[rng.randrange(len(GIVEN))] if rng.random() < 0.7 else ""
    )
    return SURNAMES[rng.randrange(len(SURNAMES))] + given


def _phone(n: int) -> str:
    return f"1{5 + n % 4}{(n * 7919) % 10**9:09d}"


def _communities() -> list[Area]:
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY).order_by("code"))
    communities.sort(key=lambda area: (area.code != HUAYANG, area.code))
    return communities


def _departments() -> list[Department]:
    by_name = {d.name: d for d in Department.objects.all()}
    codes = set(Department.objects.values_list("code", flat=True))
    number = 1
    units = []
    for name, _kind in UNITS:
        department = by_name.get(name)
        if department is None:
            while f"D{number:03d}" in codes:
                number += 1
            department = Department.objects.create(name=name, code=f"D{number:03d}")
            codes.add(department.code)
        units.append(department)
    return units


def _unit_checkins(log: Any, year: int) -> None:
    if UnitCheckIn.objects.exists():
        log(f"单位报到: 已有 {UnitCheckIn.objects.count()} 条，跳过")
        return
    rng = random.Random(SEED)
    communities = _communities()
    departments = _departments()
    kinds = dict(UNITS)
    pairs: list[tuple[Department, Area]] = []
    # Every unit serves its community; 华阳社区 (the pilot) has eight; some serve two or three.
    for index, department in enumerate(departments):
        home = (
            communities[0] if index < 8 else communities[1 + (index - 8) % (len(communities) - 1)]
        )
        pairs.append((department, home))
        if index % 3 == 0:
            pairs.append((department, communities[(index + 5) % len(communities)]))
        if index % 7 == 1:
            pairs.append((department, communities[(index + 9) % len(communities)]))
    seen: set[tuple[int, int]] = set()
    checkins: list[UnitCheckIn] = []
    for department, community in pairs:
        if (department.pk, community.pk) in seen:
            continue
        seen.add((department.pk, community.pk))
        confirmed = timezone.make_aware(datetime(year, 2, 15, 10)) + timedelta(days=len(checkins))
        checkins.append(
            UnitCheckIn(
                department=department,
                unit_type=kinds[department.name],
                community=community,
                area_path=community.path,
                year=year,
                contact_name=_name(rng),
                contact_phone=_phone(len(checkins) + 7000),
                commitments="每季度到社区开展不少于一次共建活动；认领社区需求清单中的项目；"
                "组织在职党员到居住地社区报到服务。",
                state=CheckInState.CONFIRMED,
                confirmed_at=confirmed,
            )
        )
    # Two check-ins still waiting for the community, and one of last year.
    for department, community in [
        (departments[3], communities[1]),
        (departments[10], communities[2]),
    ]:
        if (department.pk, community.pk) not in seen:
            checkins.append(
                UnitCheckIn(
                    department=department, unit_type=kinds[department.name], community=community,
                    area_path=community.path, year=year, contact_name=_name(rng),
                    commitments="拟开展结对共建。", state=CheckInState.PENDING,
                )
            )  # fmt: skip
    checkins.append(
        UnitCheckIn(
            department=departments[0], unit_type=UnitType.AGENCY, community=communities[0],
            area_path=communities[0].path, year=year - 1, contact_name=_name(rng),
            commitments="上一年度共建。", state=CheckInState.CONFIRMED,
            confirmed_at=timezone.make_aware(datetime(year - 1, 3, 1, 10)),
        )
    )  # fmt: skip
    UnitCheckIn.objects.bulk_create(checkins)
    resources, agreements = [], []
    for index, checkin in enumerate(checkins):
        if checkin.state != CheckInState.CONFIRMED or checkin.year != year:
            continue
        for k in range(2 + index % 3):
            kind, name, quantity, unit = RESOURCES[(index + k * 3) % len(RESOURCES)]
            resources.append(
                Resource(
                    checkin=checkin, department_id=checkin.department_id,
                    area_path=checkin.area_path, kind=kind, name=name, quantity=quantity,
                    unit=unit, description=f"{checkin.department.name}提供",
                )
            )  # fmt: skip
        agreements.append(
            CoBuildAgreement(
                checkin=checkin, department_id=checkin.department_id, area_path=checkin.area_path,
                number=f"GJXY-{year}-{index + 1:03d}", signed_on=date(year, 3, 1),
                starts_on=date(year, 3, 1), ends_on=date(year, 12, 31),
                terms="双方本着资源共享、优势互补、共驻共建的原则，围绕社区需求清单开展结对共建。",
            )
        )  # fmt: skip
    Resource.objects.bulk_create(resources)
    CoBuildAgreement.objects.bulk_create(agreements)
    log(
        f"单位报到: {len(checkins)} 条（{len({c.department_id for c in checkins})} 个单位），"
        f"资源 {len(resources)} 项，共建协议 {len(agreements)} 份"
    )


def _needs(log: Any) -> dict[int, list[CommunityNeed]]:
    by_community: dict[int, list[CommunityNeed]] = defaultdict(list)
    if CommunityNeed.objects.exists():
        for need in CommunityNeed.objects.all():
            by_community[need.community_id].append(need)
        return by_community
    today = timezone.localdate()
    needs = []
    for community in _communities():
        drawn = NeedsLedger.objects.filter(area_path__startswith=community.path).exclude(
            status="done"
        )[:3]
        for entry in drawn:
            needs.append(
                CommunityNeed(
                    community=community, area_path=community.path, source=NeedSource.LEDGER,
                    ledger_entry=entry, kind=entry.kind,
                    title=f"{entry.get_kind_display()}：{entry.description[:40]}",
                    description=entry.description, raised_on=entry.raised_on,
                )
            )  # fmt: skip
        for k, (kind, title, text) in enumerate(TYPED_NEEDS):
            needs.append(
                CommunityNeed(
                    community=community, area_path=community.path, source=NeedSource.TYPED,
                    kind=kind, title=title, description=text,
                    raised_on=today - timedelta(days=60 + 11 * k),
                )
            )  # fmt: skip
    CommunityNeed.objects.bulk_create(needs)
    for need in needs:
        by_community[need.community_id].append(need)
    log(f"需求清单: {len(needs)} 项")
    return by_community


def _projects(log: Any, year: int) -> None:
    if CoBuildProject.objects.exists():
        log(f"共驻共建项目: 已有 {CoBuildProject.objects.count()} 个，跳过")
        return
    needs_of = _needs(log)
    resources_of: dict[int, list[Resource]] = defaultdict(list)
    for resource in Resource.objects.select_related("checkin").filter(checkin__year=year):
        resources_of[resource.checkin.community_id].append(resource)
    communities = [c for c in _communities() if resources_of[c.pk] and needs_of[c.pk]]
    states = [state for state, n in STATE_PLAN for _ in range(n)]
    today = timezone.localdate()
    rng = random.Random(SEED + 1)
    projects, links = [], []
    for index, state in enumerate(states):
        # 华阳社区 carries eight projects, the others share the rest.
        community = communities[0] if index % 5 == 0 else communities[index % len(communities)]
        resources = resources_of[community.pk]
        lead = resources[index % len(resources)]
        partners = sorted({r.department_id for r in resources} - {lead.department_id})[:2]
        starts = today - timedelta(days=200 - index * 3)
        if state in (ProjectState.PROPOSED, ProjectState.AGREED):
            starts = today + timedelta(days=10 + index)
        ends = starts + timedelta(days=150)
        if state == ProjectState.COMPLETED:
            starts, ends = today - timedelta(days=300 - index), today - timedelta(days=30 + index)
        project = CoBuildProject(
            community=community, area_path=community.path,
            title=f"{community.name[:-2]}{PROJECT_TITLES[index % len(PROJECT_TITLES)]}",
            description="结合社区需求清单和报到单位资源清单确定的共驻共建项目。",
            lead_department_id=lead.department_id, unit_ids=[lead.department_id, *partners],
            budget=Decimal(5000 + 2500 * (index % 9)), starts_on=starts, ends_on=ends, state=state,
            rating=(3 + index % 3) if state == ProjectState.COMPLETED and index % 4 else None,
            rating_note="居民反映良好" if state == ProjectState.COMPLETED and index % 4 else "",
            rated_at=timezone.now() if state == ProjectState.COMPLETED and index % 4 else None,
        )  # fmt: skip
        needs = needs_of[community.pk]
        links.append(
            (project, partners, [needs[index % len(needs)], needs[(index + 1) % len(needs)]],
             [lead, resources[(index + 1) % len(resources)]])
        )  # fmt: skip
        projects.append(project)
    CoBuildProject.objects.bulk_create(projects)
    partner_rows, need_rows, resource_rows = [], [], []
    milestones, events = [], []
    need_state: dict[int, str] = {}
    for index, (project, partners, needs, resources) in enumerate(links):
        partner_rows += [
            CoBuildProject.partners.through(cobuildproject_id=project.pk, department_id=d)
            for d in partners
        ]
        need_rows += [
            CoBuildProject.needs.through(cobuildproject_id=project.pk, communityneed_id=n.pk)
            for n in {n.pk: n for n in needs}.values()
        ]
        resource_rows += [
            CoBuildProject.resources.through(cobuildproject_id=project.pk, resource_id=r.pk)
            for r in {r.pk: r for r in resources}.values()
        ]
        for need in needs:
            if project.state == ProjectState.COMPLETED:
                need_state[need.pk] = NeedState.DONE
            elif project.state != ProjectState.CANCELLED and need_state.get(need.pk) != "done":
                need_state[need.pk] = NeedState.MATCHED
        span = (project.ends_on - project.starts_on).days
        for k, title in enumerate(["方案制定", "组织实施", "总结验收"]):
            due = project.starts_on + timedelta(days=span * (k + 1) // 3)
            starts = project.starts_on + timedelta(days=span * k // 3)
            done = None
            if project.state == ProjectState.COMPLETED or (
                project.state == ProjectState.IN_PROGRESS and due < today and index % 3
            ):
                done = min(due, today)
            milestones.append(
                ProjectMilestone(
                    project=project, area_path=project.area_path, title=title, starts_on=starts,
                    due_on=due, warn_on=warn_day(starts, due), done_on=done,
                )
            )  # fmt: skip
        path: list[str] = {
            ProjectState.PROPOSED: [],
            ProjectState.AGREED: [Action.AGREE],
            ProjectState.IN_PROGRESS: [Action.AGREE, Action.START],
            ProjectState.COMPLETED: [Action.AGREE, Action.START, Action.COMPLETE],
            ProjectState.CANCELLED: [Action.AGREE, Action.CANCEL],
        }[ProjectState(project.state)]
        previous: str = ProjectState.PROPOSED
        events.append(
            ProjectEvent(
                project=project, area_path=project.area_path, action=Action.PROPOSE,
                from_state="", to_state=previous,
            )
        )  # fmt: skip
        for action in path:
            target = {
                Action.AGREE: ProjectState.AGREED,
                Action.START: ProjectState.IN_PROGRESS,
                Action.COMPLETE: ProjectState.COMPLETED,
                Action.CANCEL: ProjectState.CANCELLED,
            }[action]
            note = {Action.COMPLETE: "项目按期完成，居民满意", Action.CANCEL: "资源调整，项目取消"}
            events.append(
                ProjectEvent(
                    project=project, area_path=project.area_path, action=action,
                    from_state=previous, to_state=target, note=note.get(action, ""),
                )
            )  # fmt: skip
            previous = target
        if project.rating:
            events.append(
                ProjectEvent(
                    project=project, area_path=project.area_path, action=Action.RATE,
                    from_state=previous, to_state=previous, note=project.rating_note,
                )
            )  # fmt: skip
    CoBuildProject.partners.through.objects.bulk_create(partner_rows)
    CoBuildProject.needs.through.objects.bulk_create(need_rows)
    CoBuildProject.resources.through.objects.bulk_create(resource_rows)
    ProjectMilestone.objects.bulk_create(milestones)
    ProjectEvent.objects.bulk_create(events)
    for need_value in (NeedState.MATCHED, NeedState.DONE):
        CommunityNeed.objects.filter(
            pk__in=[pk for pk, s in need_state.items() if s == need_value]
        ).update(state=need_value)
    del rng
    log(f"共驻共建项目: {len(projects)} 个，节点 {len(milestones)} 个")


def _grid_choices(grids_of: dict[int, list[Grid]], community: Area) -> list[Grid | None]:
    found: list[Grid | None] = list(grids_of.get(community.pk, []))
    return found or [None]


def _member_checkins(log: Any, year: int) -> list[MemberCheckIn]:
    if MemberCheckIn.objects.exists():
        return list(MemberCheckIn.objects.all())
    rng = random.Random(SEED + 2)
    communities = {c.path: c for c in _communities()}
    grids_of: dict[int, list[Grid]] = defaultdict(list)
    for grid in Grid.objects.order_by("code"):
        grids_of[grid.community_id].append(grid)
    departments = {d.name: d for d in Department.objects.all()}
    step = Area.steplen
    checkins: list[MemberCheckIn] = []
    members = PartyMember.objects.filter(is_active=True).exclude(employer="").select_related("org")
    for member in members:
        community = communities.get(member.area_path[: 3 * step])
        if community is None:
            continue
        grids = _grid_choices(grids_of, community)
        checkins.append(
            MemberCheckIn(
                party_member=member, name=member.name, employer=member.employer,
                employer_department=departments.get(member.employer), branch=member.org.name,
                phone=member.phone, phone_hash=member.phone_hash,
                person_key=person_key(party_member=member), community=community,
                area_path=community.path, grid=grids[len(checkins) % len(grids)],
                service_areas=rng.sample(ServiceArea.values, 2),
                registered_on=date(year, 3, 1) + timedelta(days=len(checkins) % 40),
                access_token=secrets.token_urlsafe(24),
            )
        )  # fmt: skip
    # Cadres of the district's units who live here but are not in the local ledger.
    unit_names = [name for name, _kind in UNITS]
    ordered = list(communities.values())
    for n in range(60):
        community = ordered[n % len(ordered)]
        grids = _grid_choices(grids_of, community)
        employer = unit_names[n % len(unit_names)]
        phone = _phone(50000 + n)
        checkins.append(
            MemberCheckIn(
                name=_name(rng), employer=employer, employer_department=departments.get(employer),
                branch=f"{employer}机关党支部", phone=phone, phone_hash=blind_index(phone),
                person_key=person_key(phone=phone), community=community,
                area_path=community.path, grid=grids[n % len(grids)],
                service_areas=rng.sample(ServiceArea.values, 2),
                registered_on=date(year, 3, 10) + timedelta(days=n % 30),
                access_token=secrets.token_urlsafe(24),
            )
        )  # fmt: skip
    MemberCheckIn.objects.bulk_create(checkins)
    today = timezone.localdate()
    tasks, feedback = [], []
    titles = [
        (TaskKind.POST, "社区党员先锋岗值守"),
        (TaskKind.WISH, "认领困难家庭微心愿"),
        (TaskKind.OTHER, "文明城市创建志愿服务"),
        (TaskKind.POST, "政策宣讲进楼院"),
    ]
    for index, checkin in enumerate(checkins):
        done_hours = Decimal(0)
        done_count = 0
        for k in range(1 + index % 4):
            kind, title = titles[(index + k) % len(titles)]
            day = min(checkin.registered_on + timedelta(days=20 + 25 * k), today)
            done = day < today and (index + k) % 5 != 0
            hours = Decimal(2 + (index + k) % 3) if done else Decimal(0)
            tasks.append(
                MemberTask(
                    checkin=checkin, area_path=checkin.area_path, kind=kind, title=title,
                    scheduled_on=day, hours=hours,
                    state=TaskState.DONE if done else TaskState.ASSIGNED,
                    done_on=day if done else None,
                )
            )  # fmt: skip
            if done and day.year == year:
                done_hours += hours
                done_count += 1
        if index % 2 == 0:
            feedback.append(
                YearFeedback(
                    checkin=checkin, year=year, area_path=checkin.area_path,
                    employer=checkin.employer,
                    employer_department_id=checkin.employer_department_id,
                    participations=done_count, hours=done_hours,
                    assessment=Assessment.EXCELLENT if done_count >= 3 else Assessment.COMPETENT,
                    comment="积极参加社区志愿服务，服务群众热情主动。",
                )
            )  # fmt: skip
    MemberTask.objects.bulk_create(tasks, batch_size=1000)
    YearFeedback.objects.bulk_create(feedback, batch_size=1000)
    log(f"党员报到: {len(checkins)} 名，任务 {len(tasks)} 项，年度反馈 {len(feedback)} 份")
    return checkins


def seed(log: Any) -> None:
    if not Area.objects.filter(level=AreaLevel.COMMUNITY).exists():
        log("双报到: 没有社区，跳过")
        return
    year = timezone.localdate().year
    _unit_checkins(log, year)
    _projects(log, year)
    members = _member_checkins(log, year)
    seed_campaign(
        log, members, name=_name, phone=_phone, unit_names=[name for name, _kind in UNITS]
    )

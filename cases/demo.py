"""Demo cases: categories with limits, routing rules, and a few hundred cases in every state
across the demo district, so each demo account has a non-empty queue. The 2025/2026 work
calendar comes with migration 0002.

Idempotent and fast: categories and rules are found by code, demo cases by their numbers
(``DM`` + index), and rows are bulk-inserted. The categories must exist before grids.demo
runs: the problems found on its visits are reported as cases of these categories.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from governance.models import Area, AreaLevel, Department, PropertyCompany

from .calendar import WorkCalendar
from .models import (
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseSource,
    CaseState,
    Category,
    CategoryLimit,
    RoutingRule,
    Satisfaction,
    Step,
    Tier,
)
from .services import DEFAULT_LIMITS, handlers_refresh, sweep_overdue
from .workflow import Action

# code, name, start tier, children (code, name)
CATEGORIES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("HJ", "环境卫生", Tier.COMMUNITY, [
        ("HJ01", "垃圾堆放"), ("HJ02", "占道经营"), ("HJ03", "乱贴乱画"),
    ]),
    ("SZ", "市政设施", Tier.STREET, [
        ("SZ01", "路面破损"), ("SZ02", "路灯损坏"), ("SZ03", "井盖缺失"),
    ]),
    ("WY", "物业管理", Tier.COMMUNITY, [
        ("WY01", "电梯故障"), ("WY02", "小区绿化"), ("WY03", "物业服务投诉"),
    ]),
    ("AQ", "安全隐患", Tier.COMMUNITY, [
        ("AQ01", "消防通道堵塞"), ("AQ02", "飞线充电"), ("AQ03", "危房隐患"),
    ]),
    ("MJ", "矛盾纠纷", Tier.GRID, [
        ("MJ01", "邻里纠纷"), ("MJ02", "家庭矛盾"),
    ]),
    ("MS", "民生服务", Tier.COMMUNITY, [
        ("MS01", "困难帮扶"), ("MS02", "社保医保咨询"), ("MS03", "其他民生诉求"),
    ]),
]  # fmt: skip

TITLES = {
    "HJ01": "楼道口垃圾堆放多日未清运",
    "HJ02": "菜市场门口占道经营",
    "HJ03": "单元门小广告乱贴",
    "SZ01": "主干道路面坑洼积水",
    "SZ02": "小区东门路灯不亮",
    "SZ03": "人行道井盖缺失",
    "WY01": "3号楼电梯频繁停运",
    "WY02": "绿化带杂草丛生",
    "WY03": "物业维修响应慢",
    "AQ01": "消防通道被私家车占用",
    "AQ02": "楼道飞线给电动车充电",
    "AQ03": "老旧平房墙体开裂",
    "MJ01": "楼上漏水引发邻里纠纷",
    "MJ02": "独居老人家庭矛盾调解",
    "MS01": "困难家庭申请临时救助",
    "MS02": "居民咨询医保异地备案",
    "MS03": "居民反映民生诉求",
}

#: (state, tier override, share of demo cases)
PLAN: list[tuple[str, str | None, int]] = [
    (CaseState.REPORTED, None, 40),
    (CaseState.ACCEPTED, None, 35),
    (CaseState.ACCEPTED, Tier.STREET, 25),
    (CaseState.IN_PROGRESS, None, 60),
    (CaseState.RESOLVED, None, 25),
    (CaseState.VERIFIED, None, 20),
    (CaseState.CLOSED, None, 80),
    (CaseState.REJECTED, None, 8),
    (CaseState.MERGED, None, 7),
]

EVENT_CHAIN: dict[str, list[tuple[str, str, str]]] = {
    # state: [(action, from, to), ...] after the report
    CaseState.REPORTED: [],
    CaseState.ACCEPTED: [(Action.ACCEPT, CaseState.REPORTED, CaseState.ACCEPTED)],
    CaseState.IN_PROGRESS: [
        (Action.ACCEPT, CaseState.REPORTED, CaseState.ACCEPTED),
        (Action.DISPATCH, CaseState.ACCEPTED, CaseState.IN_PROGRESS),
    ],
    CaseState.RESOLVED: [
        (Action.ACCEPT, CaseState.REPORTED, CaseState.ACCEPTED),
        (Action.DISPATCH, CaseState.ACCEPTED, CaseState.IN_PROGRESS),
        (Action.RESOLVE, CaseState.IN_PROGRESS, CaseState.RESOLVED),
    ],
    CaseState.VERIFIED: [
        (Action.ACCEPT, CaseState.REPORTED, CaseState.ACCEPTED),
        (Action.DISPATCH, CaseState.ACCEPTED, CaseState.IN_PROGRESS),
        (Action.RESOLVE, CaseState.IN_PROGRESS, CaseState.RESOLVED),
        (Action.VERIFY, CaseState.RESOLVED, CaseState.VERIFIED),
    ],
    CaseState.CLOSED: [
        (Action.ACCEPT, CaseState.REPORTED, CaseState.ACCEPTED),
        (Action.DISPATCH, CaseState.ACCEPTED, CaseState.IN_PROGRESS),
        (Action.RESOLVE, CaseState.IN_PROGRESS, CaseState.RESOLVED),
        (Action.VERIFY, CaseState.RESOLVED, CaseState.VERIFIED),
        (Action.RATE, CaseState.VERIFIED, CaseState.CLOSED),
    ],
    CaseState.REJECTED: [(Action.REJECT, CaseState.REPORTED, CaseState.REJECTED)],
    CaseState.MERGED: [(Action.MERGE, CaseState.REPORTED, CaseState.MERGED)],
}
STEP_OF: dict[str, str] = {
    CaseState.REPORTED: Step.ACCEPT,
    CaseState.ACCEPTED: Step.HANDLE,
    CaseState.IN_PROGRESS: Step.HANDLE,
    CaseState.RESOLVED: Step.VERIFY,
}


def _categories() -> dict[str, Category]:
    found: dict[str, Category] = {}
    for sort, (code, name, tier, children) in enumerate(CATEGORIES):
        parent, _created = Category.objects.get_or_create(
            code=code, defaults={"name": name, "start_tier": tier, "sort": sort}
        )
        for tier_value, (accept, handle, verify) in DEFAULT_LIMITS.items():
            CategoryLimit.objects.get_or_create(
                category=parent,
                tier=tier_value,
                defaults={"accept_days": accept, "handle_days": handle, "verify_days": verify},
            )
        for child_sort, (child_code, child_name) in enumerate(children):
            found[child_code], _created = Category.objects.get_or_create(
                code=child_code,
                defaults={
                    "name": child_name,
                    "parent": parent,
                    "start_tier": tier,
                    "sort": child_sort,
                },
            )
    return found


def _routing(categories: dict[str, Category], district: Area) -> int:
    department = Department.objects.filter(code="D001").first()
    company = PropertyCompany.objects.filter(credit_code="91370405MA3C5K7Q1R").first()
    rules: list[tuple[str, dict[str, Any]]] = []
    if department is not None:
        rules += [(code, {"department": department}) for code in ("SZ01", "SZ02", "SZ03", "AQ03")]
    if company is not None:
        rules += [(code, {"company": company}) for code in ("WY01", "WY02", "WY03")]
    for code, unit in rules:
        RoutingRule.objects.get_or_create(category=categories[code], area=district, defaults=unit)
    return len(rules)


def _at(day: datetime, hour: int) -> datetime:
    return datetime.combine(day.date(), time(hour), tzinfo=day.tzinfo)


@transaction.atomic
def seed(log: Any) -> None:
    district = Area.objects.filter(code="370405000000").first()
    if district is None:
        log("事件: 未找到演示区，跳过")
        return
    categories = _categories()
    rules = _routing(categories, district)
    created = _demo_cases(district, categories)
    counts = sweep_overdue()
    log(
        f"事件: 类别 {Category.objects.count()} 个, 派单规则 {rules} 条, 新建演示事件 {created} 件,"
        f" 超期 {counts['red']} 件, 预警 {counts['yellow']} 件, 共 {Case.objects.count()} 件"
    )


def _demo_cases(district: Area, categories: dict[str, Category]) -> int:
    communities = list(
        Area.objects.filter(path__startswith=district.path, level=AreaLevel.COMMUNITY).order_by(
            "path"
        )
    )
    if not communities:
        return 0
    step = Area.steplen
    streets = {
        a.path: a for a in Area.objects.filter(path__in={c.path[: 2 * step] for c in communities})
    }
    users = {u.username: u for u in User.objects.filter(username__in=[
        "grid_worker", "community_staff", "community_staff_2", "street_staff",
    ])}  # fmt: skip
    department = Department.objects.filter(code="D001").first()
    company = PropertyCompany.objects.filter(credit_code="91370405MA3C5K7Q1R").first()
    # The demo accounts' communities first, so each of them gets a share of every state.
    preferred = ["370405001001", "370405100001"]
    communities.sort(key=lambda c: (c.code not in preferred, preferred.index(c.code)
                                    if c.code in preferred else 0, c.path))  # fmt: skip
    plan = [(state, tier) for state, tier, n in PLAN for _i in range(n)]
    numbers = [f"DM{index:06d}" for index in range(1, len(plan) + 1)]
    existing = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
    rng = random.Random(343)
    now = timezone.now()
    calendar = WorkCalendar.load((now - timedelta(days=120)).date(), days=240)
    codes = sorted(categories)
    rows: list[tuple[Case, str]] = []
    for index, (state, tier_override) in enumerate(plan):
        number = numbers[index]
        rng_days = rng.randint(4, 120)
        code = codes[rng.randrange(len(codes))]
        if number in existing:
            continue
        category = categories[code]
        community = communities[index % min(len(communities), 3)]
        if tier_override is not None:
            # Street-tier cases in the street of the street_staff demo account (运河街道).
            community = communities[0]
        street = streets[community.path[: 2 * step]]
        tier = tier_override or (
            Tier.COMMUNITY if category.start_tier == Tier.GRID else category.start_tier
        )
        if state in (CaseState.IN_PROGRESS, CaseState.RESOLVED, CaseState.VERIFIED):
            tier = Tier.COMMUNITY if index % 2 else tier
        created = _created(state, tier, index, rng, now, rng_days)
        reporter = users.get("grid_worker") if community.code == "370405001001" else (
            users.get("community_staff_2") if community.code == "370405100001" else None
        )  # fmt: skip
        case = Case(
            number=number,
            title=TITLES[code],
            description=f"{TITLES[code]}，居民多次反映，请尽快处理。",
            category=category,
            source=[CaseSource.GRID, CaseSource.RESIDENT, CaseSource.HOTLINE][index % 3],
            state=state,
            tier=tier,
            area=community,
            area_path=community.path,
            street=street,
            community=community,
            address=f"{community.name}{index % 12 + 1}号楼附近",
            reporter=reporter,
            is_urgent=index % 17 == 0,
        )
        step_name = STEP_OF.get(state, Step.NONE)
        if step_name:
            accept, handle, verify = DEFAULT_LIMITS[tier]
            days = {"accept": accept, "handle": handle, "verify": verify}[step_name]
            started = created + _STEP * len(EVENT_CHAIN[state]) + _escalated(state, tier)
            case.step = step_name
            case.step_started_at = started
            case.step_days = days
            case.warn_at = calendar.add_working_days(started, days * Decimal("0.7"))
            case.due_at = calendar.add_working_days(started, days)
        # resolved and closed when the timeline says so (its events are _STEP apart)
        actions = [action for action, _before, _after in EVENT_CHAIN[state]]
        if Action.RESOLVE in actions:
            case.resolved_at = created + _STEP * (actions.index(Action.RESOLVE) + 1)
        if state == CaseState.CLOSED:
            case.satisfaction = [Satisfaction.SATISFIED, Satisfaction.BASICALLY][index % 2]
        if state in (CaseState.CLOSED, CaseState.REJECTED, CaseState.MERGED):
            case.closed_at = created + _STEP * len(actions)
        case.created_at = created
        lead_kind = "company" if code.startswith("WY") else "department" if code[:2] in (
            "SZ", "AQ") else "area"  # fmt: skip
        rows.append((case, lead_kind))
    if not rows:
        return 0
    reported = [case.created_at for case, _kind in rows]
    Case.objects.bulk_create([case for case, _kind in rows])
    # bulk_create's auto_now_add stamped "now" on the objects too: put the history back.
    for (case, _kind), at in zip(rows, reported, strict=True):
        case.created_at = at
    Case.objects.bulk_update([case for case, _kind in rows], ["created_at"])
    events: list[CaseEvent] = []
    assignments: list[CaseAssignment] = []
    for case, lead_kind in rows:
        events.append(
            CaseEvent(
                case=case, action=Action.REPORT, actor=case.reporter, at=case.created_at,
                from_state="", to_state=CaseState.REPORTED, tier=case.tier,
                note=case.description,
            )
        )  # fmt: skip
        moment = case.created_at
        for action, before, after in EVENT_CHAIN[case.state]:
            moment = moment + _STEP
            events.append(
                CaseEvent(
                    case=case, action=action, actor=None, at=moment, from_state=before,
                    to_state=after, tier=case.tier, note=_demo_note(action),
                    detail={"satisfaction": case.satisfaction} if action == Action.RATE else {},
                )
            )  # fmt: skip
        if case.tier == Tier.STREET and case.state == CaseState.ACCEPTED:
            events.append(
                CaseEvent(
                    case=case, action=Action.ESCALATE, actor=None,
                    at=moment + timedelta(hours=1), from_state=CaseState.ACCEPTED,
                    to_state=CaseState.ACCEPTED, tier=Tier.STREET, note="社区无法解决，呼叫街道",
                    detail={"from_tier": Tier.COMMUNITY},
                )
            )  # fmt: skip
        if case.state in (CaseState.IN_PROGRESS, CaseState.RESOLVED, CaseState.VERIFIED,
                          CaseState.CLOSED):  # fmt: skip
            lead: dict[str, Any] = {"unit_area": case.community}
            if lead_kind == "company" and company is not None:
                lead = {"company": company}
            elif lead_kind == "department" and department is not None:
                lead = {"department": department}
            assignments.append(CaseAssignment(case=case, role=AssignmentRole.LEAD, **lead))
            if lead_kind == "department":
                assignments.append(
                    CaseAssignment(
                        case=case, role=AssignmentRole.COOPERATING, unit_area=case.community
                    )
                )
    moments = [event.at for event in events]
    CaseEvent.objects.bulk_create(events)
    for event, at in zip(events, moments, strict=True):
        event.at = at or event.at
    CaseEvent.objects.bulk_update(events, ["at"])
    CaseAssignment.objects.bulk_create(assignments)
    handlers_refresh(case.pk for case, _kind in rows)  # written around the services
    merged = [case for case, _kind in rows if case.state == CaseState.MERGED]
    target = next((c for c, _k in rows if c.state == CaseState.ACCEPTED), None)
    if target is not None and merged:
        Case.objects.filter(pk__in=[c.pk for c in merged]).update(duplicate_of=target)
    return len(rows)


#: Time between two events of a demo case's timeline.
_STEP = timedelta(hours=3)
#: One demo case in OVERDUE_EVERY of those with a running step is past its deadline: about
#: 7 % of the open cases, as in a district that mostly keeps its limits.
OVERDUE_EVERY = 14


def _escalated(state: str, tier: str) -> timedelta:
    return (
        timedelta(hours=1) if state == CaseState.ACCEPTED and tier == Tier.STREET else timedelta()
    )


def _created(
    state: str, tier: str, index: int, rng: random.Random, now: datetime, days_ago: int
) -> datetime:
    """When a demo case was reported, so that its timeline lies in the past and fits its
    deadlines: a case still in a step started that step recently (a fraction of the step's
    limit ago, or well past it for one in OVERDUE_EVERY); a finished case was reported
    ``days_ago`` days ago; a verified one awaits its rating since a few days."""
    chain = _STEP * len(EVENT_CHAIN[state]) + _escalated(state, tier)
    step_name = STEP_OF.get(state)
    if step_name:
        limits = dict(zip(("accept", "handle", "verify"), DEFAULT_LIMITS[tier], strict=True))
        days = float(limits[step_name])
        if index % OVERDUE_EVERY == 3:
            since = timedelta(days=2 * days + 3 + rng.uniform(0, 3))
        else:
            since = timedelta(days=days * rng.uniform(0.05, 0.85))
        return now - since - chain
    if state == CaseState.VERIFIED:
        return now - timedelta(days=rng.uniform(0.5, 3)) - chain
    return now - timedelta(days=days_ago, hours=rng.randint(0, 8)) - chain


def _demo_note(action: str) -> str:
    return {
        Action.ACCEPT: "已受理",
        Action.DISPATCH: "请承办单位按时限办理",
        Action.RESOLVE: "已处理完毕，现场已恢复",
        Action.VERIFY: "网格员现场核查，问题已解决",
        Action.RATE: "居民评价",
        Action.REJECT: "不属于受理范围",
        Action.MERGE: "重复上报，已合并",
    }.get(action, "")

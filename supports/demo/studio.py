"""书记工作室: one studio with its members, 专家门诊 and other sessions, and 45 difficult
problems from the communities, 42 of them solved (the report's "40余个"), a few linked to the
cases of 华阳社区."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cases.models import Case
from governance.models import Area, AreaLevel

from ..models import (
    DifficultProblem,
    MemberRole,
    Studio,
    StudioSession,
)
from ..services import studio
from ._base import HUAYANG

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


def seed(log: Any, rng: random.Random, district: Area) -> None:
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

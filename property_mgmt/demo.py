"""红色物业 in the demo district: companies with profiles, contracts for most residential areas
(some self-managed, some taken over by the community, a few 三无小区), owners' committees, the
1+3+N councils with resolutions, mediation groups and disputes, and the raw records behind the
report's two figures:

* complaints: a baseline year (last year) and this year, reported as real cases through
  ``complaint_report``; this year to date has 40 % of the complaints of the same days of last
  year over the same households, so the portal computes a complaint rate 60 % lower;
* survey answers: every served area's survey of last year has 50 % 满意, this year's 80 %,
  so the portal computes satisfaction 60 % higher.

Nothing is stored as a figure. Idempotent: each part is skipped when its records exist.
Handling history (accept, dispatch, resolve, verify, rate) runs through the case services
where a demo account holds the desk (华阳社区); elsewhere it is replayed on the rows as
``cases.demo`` does, then everything is put back on its days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.calendar import deadlines
from cases.models import (
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseEvent,
    CaseSource,
    CaseState,
    Notification,
    Satisfaction,
    Step,
)
from cases.services import (
    case_accept,
    case_dispatch,
    case_rate,
    case_resolve,
    case_verify,
    handlers_refresh,
    sweep_overdue,
)
from cases.workflow import Action as CaseAction
from governance.models import (
    Area,
    AreaLevel,
    Department,
    Household,
    PartyOrg,
    PartyOrgSector,
    PropertyCompany,
)
from governance.units import Unit

from .credit_code import check_character
from .models import (
    AnswerChannel,
    AttendeeSide,
    CommitteeRole,
    ComplaintDetail,
    ComplaintKind,
    ComplaintType,
    ContractKind,
    CouncilMeeting,
    FeeLevel,
    MediationOutcome,
    MediatorRole,
    MeetingKind,
    OwnersCommittee,
    Qualification,
    Referral,
    ServiceContract,
    Survey,
)
from .selectors.periods import same_span_last_year, year_to_date
from .services import (
    AttendeeFields,
    agenda_item_add,
    committee_create,
    company_contact_add,
    company_profile_update,
    company_register,
    complaint_report,
    contract_create,
    dispute_report,
    estate_profile_save,
    mediation_conclude,
    mediation_group_for,
    mediation_session_add,
    mediator_add,
    meeting_create,
    member_add,
    resolution_add,
    resolution_transition,
    survey_answer_record,
    survey_create,
)

DISTRICT_CODE = "370405000000"
HUAYANG = "370405001001"
HUAYANG_COMPANY = "91370405MA3C5K7Q1X"
#: Baseline complaints in the same days of last year as this year to date; this year gets 40 %.
BASELINE_COMPLAINTS = 250
CURRENT_SHARE = Decimal("0.4")
#: Answers per served residential area and how many rate overall 满意 or better.
BASELINE_ANSWERS, BASELINE_SATISFIED = 20, 10
CURRENT_ANSWERS, CURRENT_SATISFIED = 25, 20


def credit_code(body: str) -> str:
    return body + check_character(body)


COMPANIES = [
    ("台儿庄区运河物业管理有限公司", credit_code("91370405MA3D2F1K0"), Qualification.LEVEL_2, True),
    ("枣庄古城物业服务有限公司", credit_code("91370400MA3E7H2N5"), Qualification.LEVEL_1, True),
    ("山东鲁南物业管理有限公司", credit_code("91370402MA3F8J3P6"), Qualification.LEVEL_2, False),
    (
        "台儿庄区安居物业服务有限公司",
        credit_code("91370405MA3G9K4Q7"),
        Qualification.LEVEL_3,
        False,
    ),
]
#: Complaint weight per company (more complaints, lower rank).
COMPANY_WEIGHT = [0.5, 1.6, 0.8, 2.2, 3.0]
#: Share of each company's handled complaints that went overdue (红灯超期).
COMPANY_LATE = [0.0, 0.1, 0.02, 0.25, 0.4]
TYPES = [
    ComplaintType.REPAIR,
    ComplaintType.CLEANING,
    ComplaintType.SECURITY,
    ComplaintType.GREENING,
    ComplaintType.FEES,
    ComplaintType.ATTITUDE,
    ComplaintType.PARKING,
    ComplaintType.ELEVATOR,
]
TEXTS = {
    ComplaintType.REPAIR: ("楼道水管漏水报修多日未修", "三单元楼道水管漏水，报修后一周无人上门。"),
    ComplaintType.CLEANING: ("垃圾桶满溢未及时清运", "小区东侧垃圾桶连续两天满溢，气味很大。"),
    ComplaintType.SECURITY: ("小区门岗夜间无人值守", "夜间门岗无人，外来车辆随意进出。"),
    ComplaintType.GREENING: ("绿化带杂草丛生无人修剪", "楼前绿化带杂草很高，蚊虫多。"),
    ComplaintType.FEES: ("物业费收支未公示", "业主要求公示上年度物业费收支情况。"),
    ComplaintType.ATTITUDE: ("物业客服态度生硬", "居民电话反映问题，客服态度不好。"),
    ComplaintType.PARKING: ("地面停车位管理混乱", "消防通道常被占用停车，物业不管。"),
    ComplaintType.ELEVATOR: ("电梯频繁停运困人", "2号楼电梯本月停运三次，老人出行困难。"),
}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def seed(log: Any) -> None:
    district = Area.objects.filter(code=DISTRICT_CODE).first()
    admin = User.objects.filter(username="district_admin").first()
    if district is None or admin is None:
        log("红色物业: 未找到演示区或演示账号，跳过")
        return
    estates = list(
        Area.objects.filter(
            path__startswith=district.path, level=AreaLevel.RESIDENTIAL_AREA
        ).order_by("path")
    )
    companies = _companies(log)
    served = _contracts(estates, companies, log)
    _committees(estates, log)
    _mediation_groups(district)
    _complaints(admin, estates, served, companies, log)
    _surveys(estates, served, log)
    _councils(district, companies, log)
    _disputes(admin, estates, log)
    sweep_overdue()


def _companies(log: Any) -> list[PropertyCompany]:
    huayang = PropertyCompany.objects.filter(credit_code=HUAYANG_COMPANY).first()
    found = [huayang] if huayang is not None else []
    for number, (name, code, qualification, pilot) in enumerate(COMPANIES, start=1):
        company = PropertyCompany.objects.filter(credit_code=code).first()
        if company is None:
            company = company_register(
                actor=None,
                name=name,
                credit_code=code,
                qualification=qualification,
                is_red_pilot=pilot,
                red_pilot_since=date(2024, 3, 1) if pilot else None,
                address=f"台儿庄区{name[5:7]}路{len(name)}号",
                service_phone=f"0632-66{number * 1111:04d}",
            )
            company_contact_add(
                actor=None,
                company=company,
                name="项目经理",
                post="项目经理",
                phone=f"0632-66{number * 1111:04d}",
                is_primary=True,
            )
        found.append(company)
    if huayang is not None and not hasattr(huayang, "property_profile"):
        org = PartyOrg.objects.filter(
            company=huayang, sector=PartyOrgSector.PROPERTY_COMPANY
        ).first()
        company_profile_update(
            actor=None,
            company=huayang,
            qualification=Qualification.LEVEL_2,
            is_red_pilot=True,
            red_pilot_since=date(2023, 7, 1),
            party_org=org,
            address="台儿庄区华阳路 18 号",
            service_phone="0632-6612345",
        )
        company_contact_add(
            actor=None,
            company=huayang,
            name="周静",
            post="客服主管",
            phone="0632-6612345",
            is_primary=True,
        )
    log(f"红色物业: 物业企业 {len(found)} 家")
    return found


def _plan_kind(index: int, estate: Area) -> str:
    """Most areas have a company; every 9th is self-managed, every 11th taken over by the
    community, every 13th has nothing."""
    if estate.path.startswith(_huayang_path()):
        return ContractKind.COMPANY
    if index % 13 == 6:
        return ""
    if index % 11 == 5:
        return ContractKind.FALLBACK
    if index % 9 == 4:
        return ContractKind.SELF
    return ContractKind.COMPANY


_HUAYANG_PATH: list[str] = []


def _huayang_path() -> str:
    if not _HUAYANG_PATH:
        area = Area.objects.filter(code=HUAYANG).first()
        _HUAYANG_PATH.append(area.path if area else "-")
    return _HUAYANG_PATH[0]


def _contracts(
    estates: list[Area], companies: list[PropertyCompany], log: Any
) -> dict[int, PropertyCompany]:
    """The company of each area served by one (existing contracts are kept)."""
    served: dict[int, PropertyCompany] = {}
    existing = {c.area_id: c for c in ServiceContract.objects.select_related("company")}
    department = Department.objects.filter(code="D001").first()
    created = 0
    for index, estate in enumerate(estates):
        if estate.pk in existing:
            contract = existing[estate.pk]
            if contract.company is not None:
                served[estate.pk] = contract.company
            continue
        kind = _plan_kind(index, estate)
        if not kind:
            if index % 2 == 0 and department is not None:
                estate_profile_save(
                    actor=None,
                    area=estate,
                    competent_department=department,
                    is_old_estate=True,
                    built_year=1992,
                    note="原单位宿舍，主管部门负责日常管理",
                )
            continue
        company = None
        if kind == ContractKind.COMPANY:
            company = (
                companies[0]
                if estate.path.startswith(_huayang_path())
                else companies[1 + index % (len(companies) - 1)]
            )
        contract_create(
            actor=None,
            area=estate,
            kind=kind,
            company=company,
            starts_on=date(2024, 1, 1),
            ends_on=date(2027, 12, 31),
            number=f"WYHT-2024-{index + 1:03d}",
            fee_level=FeeLevel.LEVEL_3 if index % 3 else FeeLevel.LEVEL_2,
            fee_per_sqm=Decimal("0.80") if index % 3 else Decimal("1.20"),
        )
        created += 1
        if company is not None:
            served[estate.pk] = company
        if index % 3 == 0:
            estate_profile_save(actor=None, area=estate, is_old_estate=True, built_year=1998)
    log(f"红色物业: 新建物业服务合同 {created} 份，物业企业服务小区 {len(served)} 个")
    return served


def _committees(estates: list[Area], log: Any) -> None:
    if OwnersCommittee.objects.filter(area__in=estates).exists():
        return
    today = timezone.localdate()
    created = 0
    for index, estate in enumerate(estates):
        if index % 5 in (1, 3) or index % 13 == 6:  # two in five areas have no committee
            continue
        starts = date(2022 + index % 3, 6, 1)
        ends = date(starts.year + 5, 5, 31)
        if index % 7 == 0:  # a few terms end soon: 换届提醒
            ends = today + timedelta(days=30 + index % 50)
            starts = date(ends.year - 5, ends.month, 1)
        org = PartyOrg.objects.filter(area=estate, sector=PartyOrgSector.OWNERS_COMMITTEE).first()
        committee = committee_create(
            actor=None,
            area=estate,
            name=f"{estate.name}业主委员会",
            term_starts_on=starts,
            term_ends_on=ends,
            filed_on=starts + timedelta(days=20) if index % 4 else None,
            party_org=org,
        )
        households = list(Household.objects.filter(area_path__startswith=estate.path)[:6])
        roles = [CommitteeRole.CHAIR, CommitteeRole.VICE_CHAIR] + [CommitteeRole.MEMBER] * 4
        for n, household in enumerate(households):
            member_add(
                actor=None,
                committee=committee,
                name=household.head_name or f"委员{n + 1}",
                role=roles[n],
                is_party_member=n in (0, 2),
                household=household,
            )
        created += 1
    log(f"红色物业: 业主委员会 {created} 个")


def _mediation_groups(district: Area) -> None:
    for community in Area.objects.filter(path__startswith=district.path, level=AreaLevel.COMMUNITY):
        group = mediation_group_for(community)
        if not group.mediators.exists():
            for name, role in (
                ("调解组长", MediatorRole.LEADER),
                ("人民调解员", MediatorRole.MEMBER),
                ("网格调解员", MediatorRole.MEMBER),
            ):
                mediator_add(
                    actor=None,
                    group=group,
                    name=f"{community.name[:2]}{name}",
                    role=role,
                    organisation=f"{community.name}居委会",
                )


# --- Complaints ----------------------------------------------------------------------------------


def _spread(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[
        : total - sum(counts)
    ]:
        counts[index] += 1
    return counts


def _days(start: date, end: date, n: int) -> list[date]:
    """``n`` days spread evenly over [start, end)."""
    span = (end - start).days
    return [start + timedelta(days=(span * i) // max(n, 1)) for i in range(n)]


def _complaints(
    admin: User,
    estates: list[Area],
    served: dict[int, PropertyCompany],
    companies: list[PropertyCompany],
    log: Any,
) -> None:
    if ComplaintDetail.objects.filter(kind=ComplaintKind.COMPLAINT).exists():
        return
    today = timezone.localdate()
    current = year_to_date(today)
    baseline = same_span_last_year(current)
    rest_of_baseline = (date(baseline.start.year + 1, 1, 1) - baseline.end).days
    extra = round(BASELINE_COMPLAINTS * rest_of_baseline / max(baseline.days, 1))
    n_current = int((BASELINE_COMPLAINTS * CURRENT_SHARE).to_integral_value())
    index_of = {c.pk: i for i, c in enumerate(companies)}
    weights = [
        COMPANY_WEIGHT[index_of.get(served[e.pk].pk, 0) % len(COMPANY_WEIGHT)]
        if e.pk in served
        else 0.6
        for e in estates
    ]
    plan: list[tuple[Area, date, bool]] = []  # estate, day, open now
    for total, start, end in (
        (BASELINE_COMPLAINTS, baseline.start, baseline.end),
        (extra, baseline.end, date(baseline.start.year + 1, 1, 1)),
        (n_current, current.start, current.end),
    ):
        per_estate = _spread(total, weights)
        rows = [estate for estate, n in zip(estates, per_estate, strict=True) for _i in range(n)]
        rows.sort(key=lambda e: e.path)
        # Interleave the areas over the days, so every month has its share.
        order = sorted(range(len(rows)), key=lambda i: (i * 7919) % max(len(rows), 1))
        for day, i in zip(_days(start, end, len(rows)), order, strict=True):
            plan.append((rows[i], day, False))
    # The last eight complaints of this year are still being handled.
    for n in range(1, 9):
        estate, day, _open = plan[-n]
        plan[-n] = (estate, max(day, today - timedelta(days=2 * n)), True)
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["community_staff", "property_staff", "grid_worker"]
        )
    }
    reported: list[tuple[ComplaintDetail, date, bool]] = []
    for n, (estate, day, still_open) in enumerate(plan):
        complaint_type = TYPES[n % len(TYPES)]
        title, text = TEXTS[complaint_type]
        household = (
            Household.objects.filter(area_path__startswith=estate.path)
            .order_by("pk")[n % 40 : n % 40 + 1]
            .first()
        )
        detail = complaint_report(
            actor=admin,
            area=estate,
            complaint_type=complaint_type,
            title=title,
            description=text,
            contact_name=household.head_name if household else "",
            household=household,
            address=str(household) if household else estate.name,
        )
        reported.append((detail, day, still_open))
    _handle(reported, users, companies, today)
    log(
        f"红色物业: 物业投诉 {len(plan)} 件（上年同期 {BASELINE_COMPLAINTS} 件，"
        f"本年以来 {n_current} 件），均经事件上报"
    )


def _handle(
    reported: list[tuple[ComplaintDetail, date, bool]],
    users: dict[str, User],
    companies: list[PropertyCompany],
    today: date,
) -> None:
    """Give each complaint its history, then put it back on its day."""
    index_of = {c.pk: i for i, c in enumerate(companies)}
    huayang = _huayang_path()
    desk, staff, worker = (
        users.get("community_staff"),
        users.get("property_staff"),
        users.get("grid_worker"),
    )
    events: list[CaseEvent] = []
    assignments: list[CaseAssignment] = []
    cases: list[Case] = []
    details: list[ComplaintDetail] = []
    late_every: dict[int, int] = {}
    for n, (detail, day, still_open) in enumerate(reported):
        case = detail.case
        reported_at = _at(day, 9 + n % 8)
        company_index = index_of.get(detail.company_id or 0, 0)
        late_share = COMPANY_LATE[company_index % len(COMPANY_LATE)]
        late_every[company_index] = late_every.get(company_index, 0) + 1
        late = late_share and (late_every[company_index] % max(round(1 / late_share), 1) == 0)
        through_services = case.area_path.startswith(huayang) and desk and staff and worker
        if through_services and detail.company_id:
            case_accept(actor=desk, case=case, note="社区受理")
            case_dispatch(actor=desk, case=case, note="按派单规则派物业企业办理")
            if not still_open:
                case_resolve(actor=staff, case=case, note="物业已处理完毕")
                case_verify(actor=worker, case=case, note="网格员现场核查")
                case_rate(actor=worker, case=case, satisfaction=Satisfaction.SATISFIED)
            case.refresh_from_db()
        elif not still_open:
            _replay(case, detail, events, assignments)
        handled = reported_at + timedelta(days=5 if late else 1, hours=3)
        for event in CaseEvent.objects.filter(case=case).order_by("id"):
            event.at = reported_at if event.action == CaseAction.REPORT else handled
            events.append(event)
        if late and not still_open:
            events.append(
                CaseEvent(
                    case=case,
                    action=CaseAction.OVERDUE,
                    actor=None,
                    at=reported_at + timedelta(days=4),
                    from_state=CaseState.IN_PROGRESS,
                    to_state=CaseState.IN_PROGRESS,
                    tier=case.tier,
                )
            )
        case.created_at = case.updated_at = reported_at
        if still_open:
            if case.step_started_at is not None and case.step_days is not None:
                case.step_started_at = reported_at
                case.warn_at, case.due_at = deadlines(reported_at, case.step_days)
        else:
            case.resolved_at = handled
            case.closed_at = handled + timedelta(hours=4)
        cases.append(case)
        detail.reported_at = reported_at
        details.append(detail)
    CaseAssignment.objects.bulk_create(assignments)
    Case.objects.bulk_update(
        cases,
        [
            "state",
            "created_at",
            "updated_at",
            "resolved_at",
            "closed_at",
            "satisfaction",
            "step",
            "step_started_at",
            "step_days",
            "warn_at",
            "due_at",
            "alert",
        ],
        batch_size=500,
    )
    handlers_refresh(case.pk for case in cases)  # the assignments were written around the services
    new = [e for e in events if e.pk is None]
    saved = [e for e in events if e.pk is not None]
    moments = [event.at for event in new]
    CaseEvent.objects.bulk_create(new)
    for event, at in zip(new, moments, strict=True):  # bulk_create stamped "now" on them
        event.at = at or event.at
    CaseEvent.objects.bulk_update(saved + new, ["at"], batch_size=500)
    ComplaintDetail.objects.bulk_update(details, ["reported_at"], batch_size=500)
    Notification.objects.filter(case_id__in=[c.pk for c in cases], read_at=None).update(
        read_at=timezone.now()
    )


def _replay(
    case: Case, detail: ComplaintDetail, events: list[CaseEvent], assignments: list[CaseAssignment]
) -> None:
    """The history of a complaint handled before the portal's demo accounts existed: accepted,
    dispatched to the company, resolved, verified and rated, as ``cases.demo`` records it."""
    chain = [
        (CaseAction.ACCEPT, CaseState.REPORTED, CaseState.ACCEPTED),
        (CaseAction.DISPATCH, CaseState.ACCEPTED, CaseState.IN_PROGRESS),
        (CaseAction.RESOLVE, CaseState.IN_PROGRESS, CaseState.RESOLVED),
        (CaseAction.VERIFY, CaseState.RESOLVED, CaseState.VERIFIED),
        (CaseAction.RATE, CaseState.VERIFIED, CaseState.CLOSED),
    ]
    for action, before, after in chain:
        events.append(
            CaseEvent(
                case=case,
                action=action,
                actor=None,
                from_state=before,
                to_state=after,
                tier=case.tier,
                note="物业已处理，居民满意" if action == CaseAction.RATE else "",
                detail={"satisfaction": Satisfaction.SATISFIED}
                if action == CaseAction.RATE
                else {},
            )
        )
    lead: dict[str, Any] = (
        {"company_id": detail.company_id}
        if detail.company_id
        else {"unit_area_id": case.community_id}
    )
    assignments.append(CaseAssignment(case=case, role=AssignmentRole.LEAD, ended_at=None, **lead))
    case.state = CaseState.CLOSED
    case.satisfaction = Satisfaction.SATISFIED
    case.step = Step.NONE
    case.step_started_at = case.warn_at = case.due_at = None
    case.step_days = None
    case.alert = ""


# --- Surveys -------------------------------------------------------------------------------------


def _clip(score: int) -> int:
    return max(1, min(5, score))


def _surveys(estates: list[Area], served: dict[int, PropertyCompany], log: Any) -> None:
    if Survey.objects.filter(area__in=estates).exists():
        return
    today = timezone.localdate()
    year = today.year
    answers = 0
    for estate in estates:
        if estate.pk not in served:
            continue
        households = list(
            Household.objects.filter(area_path__startswith=estate.path).order_by("pk")
        )
        for period_year, n_answers, n_satisfied in (
            (year - 1, BASELINE_ANSWERS, BASELINE_SATISFIED),
            (year, CURRENT_ANSWERS, CURRENT_SATISFIED),
        ):
            opens = date(period_year, 11, 1)
            survey = survey_create(
                actor=None,
                area=estate,
                period_start=date(period_year, 1, 1),
                period_end=date(period_year, 12, 31),
                opens_on=opens,
                closes_on=date(period_year, 12, 31),
                title=f"{estate.name}{period_year}年度物业服务满意度调查",
            )
            last = min(date(period_year, 12, 20), today)
            for n, household in enumerate(households[:n_answers]):
                satisfied = n < n_satisfied
                overall = (5 if n % 2 else 4) if satisfied else (3 if n % 3 else 2)
                scores = {
                    "safety": _clip(overall + (0)),
                    "cleaning": _clip(overall + (1 if n % 4 == 0 else 0)),
                    "greening": _clip(overall + (-1 if n % 5 == 0 else 0)),
                    "repair": _clip(overall + (-1 if n % 3 == 0 else 0)),
                    "fees": _clip(overall + (-1 if n % 2 else 0)),
                    "attitude": _clip(overall + (1 if n % 3 == 1 else 0)),
                    "overall": overall,
                }
                day = opens + timedelta(days=(n * max((last - opens).days, 0)) // max(n_answers, 1))
                survey_answer_record(
                    survey=survey,
                    household=household,
                    scores=scores,
                    channel=AnswerChannel.CODE if n % 2 else AnswerChannel.PHONE,
                    submitted_at=_at(day, 8 + n % 12),
                )
                answers += 1
    log(f"红色物业: 满意度调查答卷 {answers} 份（上年满意率 50%，本年 80%）")


# --- Councils and disputes -----------------------------------------------------------------------


def _councils(district: Area, companies: list[PropertyCompany], log: Any) -> None:
    if CouncilMeeting.objects.filter(area_path__startswith=district.path).exists():
        return
    desk = User.objects.filter(username="community_staff").first()
    department = Department.objects.filter(code="D001").first()
    communities = list(
        Area.objects.filter(path__startswith=district.path, level=AreaLevel.COMMUNITY).order_by(
            "path"
        )
    )[:6]
    today = timezone.localdate()
    meetings = 0
    for c_index, community in enumerate(communities):
        org = PartyOrg.objects.filter(area=community, sector=PartyOrgSector.TERRITORIAL).first()
        if org is None:
            continue
        estates = list(
            Area.objects.filter(path__startswith=community.path, level=AreaLevel.RESIDENTIAL_AREA)
        )
        contract = (
            ServiceContract.objects.filter(area__in=estates, company__isnull=False)
            .select_related("company")
            .first()
        )
        company = contract.company if contract else companies[0]
        committee = OwnersCommittee.objects.filter(area__in=estates).first()
        for m_index, (kind, title) in enumerate(
            [
                (MeetingKind.JOINT, "1+3+N 物业服务联席会议"),
                (MeetingKind.HEARING, "居民恳谈会：小区停车与环境整治"),
                (MeetingKind.COORDINATION, "协调会：老旧小区改造与物业进驻"),
            ]
        ):
            held = today - timedelta(days=20 + 45 * m_index + 7 * c_index)
            attendees = [
                AttendeeFields(AttendeeSide.COMMUNITY_ORG, "社区党委书记", org.name),
                AttendeeFields(AttendeeSide.COMPANY, "项目经理", company.name, company=company),
                AttendeeFields(AttendeeSide.RESIDENTS, "居民代表", "楼栋长"),
                AttendeeFields(AttendeeSide.POLICE, "社区民警", "台儿庄派出所"),
            ]
            if committee is not None:
                attendees.append(
                    AttendeeFields(
                        AttendeeSide.OWNERS_COMMITTEE,
                        "业委会主任",
                        committee.name,
                        committee=committee,
                    )
                )
            if department is not None:
                attendees.append(
                    AttendeeFields(
                        AttendeeSide.DEPARTMENT, "联络员", department.name, department=department
                    )
                )
            meeting = meeting_create(
                actor=None,
                community=community,
                kind=kind,
                title=f"{community.name}{title}",
                held_at=_at(held, 15),
                convened_by=org,
                place=f"{community.name}党群服务中心",
                estates=estates[:2],
                attendees=attendees,
                minutes="会议通报了近期物业服务情况，听取居民意见，议定事项如下。",
            )
            item = agenda_item_add(
                actor=None,
                meeting=meeting,
                title="小区环境卫生整治",
                description="居民反映垃圾清运不及时",
                outcome="物业增加清运频次",
            )
            linked = Case.objects.filter(
                area_path__startswith=community.path, source=CaseSource.PROPERTY
            ).first()
            if linked is not None:
                agenda_item_add(
                    actor=None, meeting=meeting, title=f"跟进事件 {linked.number}", case=linked
                )
            units = [Unit(company=company), Unit(area=community)]
            if department is not None:
                units.append(Unit(department=department))
            for r_index, unit in enumerate(units):
                resolution = resolution_add(
                    actor=None,
                    meeting=meeting,
                    agenda_item=item,
                    text=[
                        "物业公司每日清运两次垃圾并公示",
                        "社区督促整改并组织回访",
                        "住建局指导老旧小区改造",
                    ][r_index],
                    unit=unit,
                    due_days=10 + 5 * r_index,
                )
                if m_index > 0 and (r_index + c_index) % 3 != 2:
                    resolution_transition(actor=None, resolution=resolution, action="start")
                    resolution_transition(
                        actor=None, resolution=resolution, action="complete", note="已按期落实"
                    )
                    late = (r_index + c_index) % 4 == 0
                    done = resolution.due_at + timedelta(days=3) if late else resolution.warn_at
                    type(resolution).objects.filter(pk=resolution.pk).update(done_at=done)
            type(meeting).objects.filter(pk=meeting.pk).update(created_by=desk)
            meetings += 1
    log(f"红色物业: 议事会议 {meetings} 次")


def _disputes(admin: User, estates: list[Area], log: Any) -> None:
    if ComplaintDetail.objects.filter(kind=ComplaintKind.DISPUTE).exists():
        return
    desk = User.objects.filter(username="community_staff").first()
    huayang = _huayang_path()
    outcomes = [
        MediationOutcome.SUCCESS,
        MediationOutcome.SUCCESS,
        MediationOutcome.PARTIAL,
        MediationOutcome.FAILED,
        "",
    ]
    texts = [
        (
            ComplaintType.NEIGHBOURS,
            "楼上漏水引发邻里纠纷",
            "楼上卫生间漏水，楼下墙面受损，双方就赔偿有争议。",
        ),
        (
            ComplaintType.OWNER_COMPANY,
            "业主与物业就车位费发生争议",
            "业主认为车位费上涨未经业主大会同意。",
        ),
        (ComplaintType.NEIGHBOURS, "宠物噪音扰民纠纷", "邻居家犬只夜间吠叫，多次协商未果。"),
    ]
    n = 0
    for index, estate in enumerate(estates[:10]):
        complaint_type, title, text = texts[index % len(texts)]
        in_huayang = estate.path.startswith(huayang)
        mediation = dispute_report(
            actor=admin,
            area=estate,
            complaint_type=complaint_type,
            title=title,
            description=text,
            contact_name="居民",
        )
        mediators = list(mediation.group.mediators.all()[:2])
        mediation_session_add(
            actor=None,
            mediation=mediation,
            held_at=timezone.now() - timedelta(days=3 + index),
            notes="调解员分别听取双方陈述，释法明理，提出调解方案。",
            mediators=mediators,
            place=f"{estate.name}红色驿站",
        )
        outcome = outcomes[index % len(outcomes)]
        if outcome:
            mediation_conclude(
                actor=desk if in_huayang else None,
                mediation=mediation,
                outcome=outcome,
                note="双方签订调解协议" if outcome != MediationOutcome.FAILED else "双方分歧较大",
                referral=Referral.JUDICIAL if outcome == MediationOutcome.FAILED else "",
            )
        n += 1
    groups = Area.objects.filter(level=AreaLevel.COMMUNITY).count()
    log(f"红色物业: 矛盾纠纷 {n} 件（调解小组 {groups} 个）")

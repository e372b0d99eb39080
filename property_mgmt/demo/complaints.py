"""Complaints of a baseline year (last year) and of this year, reported as real cases through
``complaint_report``, and their handling: through the case services where a demo account
holds the desk (华阳社区), replayed on the rows elsewhere, then put back on their days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from cases.calendar import deadlines
from cases.models import (
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseEvent,
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
)
from cases.workflow import Action as CaseAction
from governance.models import (
    Area,
    Household,
    PropertyCompany,
)

from ..models import (
    ComplaintDetail,
    ComplaintKind,
)
from ..selectors.periods import same_span_last_year, year_to_date
from ..services import (
    complaint_report,
)
from ._base import (
    BASELINE_COMPLAINTS,
    COMPANY_LATE,
    COMPANY_WEIGHT,
    CURRENT_SHARE,
    TEXTS,
    TYPES,
    _at,
    _huayang_path,
)


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

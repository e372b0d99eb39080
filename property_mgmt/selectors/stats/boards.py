"""红黑榜: the companies ranked by the published formula of :data:`RANKING_FORMULA` over a
quarter.

Each input of a company's row is also a filter of its ledger (the complaints, the surveys,
the resolutions): ``narrow_complaints``, ``narrow_surveys`` and ``narrow_resolutions`` hold
the conditions the ranking counts with, so a cell's link lists exactly the rows behind it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Area, PropertyCompany

from ...models import (
    ComplaintDetail,
    Resolution,
    ResolutionState,
    ServiceContract,
    Survey,
    SurveyAnswer,
)
from ..periods import Period
from .base import ESTATE_PATH_LENGTH, households_by_prefix, share
from .rates import complaints, monthly_rate
from .satisfaction import SATISFIED

WEIGHTS = {"satisfaction": 0.4, "complaints": 0.3, "on_time": 0.2, "resolutions": 0.1}
RED_LINE = 80.0
BLACK_LINE = 60.0
RANKING_FORMULA = _(
    "综合得分 = 满意率 × 40% + 投诉得分 × 30% + 投诉按时办结率 × 20% + 决议按期落实率 × 10%。"
    "满意率：评价期覆盖本季度的满意度调查中，总体评价为“满意”或“非常满意”的答卷比例；"
    "投诉得分 = max(0, 100 − 10 × 每千户月均投诉量)，户数为本季度内签约小区的在册住户；"
    "投诉按时办结率：本季度办结的投诉中办理期间未出现红灯超期的比例；"
    "决议按期落实率：本季度到期、由该企业负责的会议决议中按期落实的比例。"
    "某项没有数据时不计入，其余权重按比例折算。得分 ≥ 80 上红榜，< 60 上黑榜。"
)


#: A complaint resolved without ever going red-overdue was handled on time.
ON_TIME = "on_time"
LATE = "late"
#: Of a period's resolutions: those the rate counts (all but the cancelled), those kept (done
#: by the deadline) and those missed (the others).
COUNTED = "counted"
KEPT = "kept"
MISSED = "missed"
KEPT_IN_TIME = Q(state=ResolutionState.DONE, done_at__lte=F("due_at"))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def narrow_complaints(
    rows: QuerySet[ComplaintDetail],
    *,
    counted: bool | None = None,
    resolved_from: date | None = None,
    resolved_to: date | None = None,
    timeliness: str = "",
) -> QuerySet[ComplaintDetail]:
    """The complaints of ``rows`` that count in the rates (``counted``; the others were
    rejected or merged), resolved from ``resolved_from`` to ``resolved_to`` (local days, both
    included), resolved on time (never red-overdue while handled) or late. The 按时办结率 of a
    quarter is the on-time share of the counted complaints resolved in it."""
    condition = Q()
    if counted is not None:
        condition &= Q(counted=counted)
    if resolved_from is not None:
        condition &= Q(case_resolved_at__gte=_day_start(resolved_from))
    if resolved_to is not None:
        condition &= Q(case_resolved_at__lt=_day_start(resolved_to + timedelta(days=1)))
    if timeliness in (ON_TIME, LATE):
        condition &= Q(case_resolved_at__isnull=False, went_overdue=timeliness == LATE)
    return rows.filter(condition)


def _covering(first: date | None, last: date | None, prefix: str = "") -> Q:
    condition = Q()
    if last is not None:
        condition &= Q(**{f"{prefix}period_start__lte": last})
    if first is not None:
        condition &= Q(**{f"{prefix}period_end__gte": first})
    return condition


def narrow_surveys(
    rows: QuerySet[Survey], *, period_from: date | None = None, period_to: date | None = None
) -> QuerySet[Survey]:
    """The surveys of ``rows`` whose 评价期 overlaps ``period_from`` to ``period_to``: the
    满意率 of a quarter counts the answers of these."""
    return rows.filter(_covering(period_from, period_to))


def narrow_resolutions(
    rows: QuerySet[Resolution],
    *,
    due_from: date | None = None,
    due_to: date | None = None,
    keeping: str = "",
) -> QuerySet[Resolution]:
    """The resolutions of ``rows`` due from ``due_from`` to ``due_to`` (both included); with
    ``keeping``, those the 决议按期落实率 counts (``counted``: all but the cancelled), those
    kept (``kept``: done by the deadline) or the others (``missed``)."""
    condition = Q()
    if due_from is not None:
        condition &= Q(due_on__gte=due_from)
    if due_to is not None:
        condition &= Q(due_on__lte=due_to)
    if keeping in (COUNTED, KEPT, MISSED):
        condition &= ~Q(state=ResolutionState.CANCELLED)
    if keeping == KEPT:
        condition &= KEPT_IN_TIME
    elif keeping == MISSED:
        condition &= ~KEPT_IN_TIME
    return rows.filter(condition)


@dataclass
class RankingRow:
    company: PropertyCompany
    households: int
    answers: int
    satisfied: int
    satisfaction: float | None
    complaints: int
    complaint_rate: float | None
    complaint_score: float | None
    resolved: int
    late: int
    on_time: float | None
    resolutions_due: int
    resolutions_kept: int
    resolutions_rate: float | None
    score: float | None = None
    board: str = ""
    rank: int = 0
    #: The address of the ledger rows behind each input, set by the ranking page.
    drill: dict[str, str] = field(default_factory=dict)

    @property
    def handled_on_time(self) -> int:
        return self.resolved - self.late


def _score(row: RankingRow) -> float | None:
    parts = {
        "satisfaction": row.satisfaction,
        "complaints": row.complaint_score,
        "on_time": row.on_time,
        "resolutions": row.resolutions_rate,
    }
    present = {key: value for key, value in parts.items() if value is not None}
    weight = sum(WEIGHTS[key] for key in present)
    if not weight:
        return None
    return round(sum(WEIGHTS[key] * value for key, value in present.items()) / weight, 1)


def ranking(
    *, actor: Any, period: Period, within: Area | None = None, today: date | None = None
) -> list[RankingRow]:
    """The companies serving in the actor's scope (under ``within`` if given) ranked by
    :data:`RANKING_FORMULA` over the period, each input with the count behind it: a fixed
    number of queries. Every input counts the rows of the same scope and area only: the
    complaints and the households of the areas contracted there, the answers of its surveys,
    the resolutions of its meetings."""
    today = today or timezone.localdate()
    last = period.end - timedelta(days=1)
    contracts = ServiceContract.objects.visible_to(actor).filter(
        company__isnull=False, starts_on__lt=period.end, ends_on__gte=period.start
    )
    if within is not None:
        contracts = contracts.filter(area_path__startswith=within.path)
    estates: dict[int, set[str]] = defaultdict(set)
    for company_id, path in contracts.values_list("company_id", "area_path"):
        estates[company_id].add(path)
    company_ids = sorted(estates)
    companies = {
        c.pk: c
        for c in PropertyCompany.objects.filter(pk__in=company_ids).select_related(
            "property_profile"
        )
    }
    counts = households_by_prefix({p for ps in estates.values() for p in ps}, ESTATE_PATH_LENGTH)
    households = {cid: sum(counts.get(p, 0) for p in paths) for cid, paths in estates.items()}
    answer_rows = SurveyAnswer.objects.visible_to(actor).filter(
        _covering(period.start, last, "survey__"), company_id__in=company_ids
    )
    resolution_rows = Resolution.objects.visible_to(actor).filter(company_id__in=company_ids)
    if within is not None:
        answer_rows = answer_rows.filter(area_path__startswith=within.path)
        resolution_rows = resolution_rows.filter(area_path__startswith=within.path)
    answers = {
        row["company_id"]: row
        for row in answer_rows.order_by()
        .values("company_id")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=SATISFIED))
    }
    base = complaints(actor, None, within).filter(company_id__in=company_ids)
    counted = dict(
        complaints(actor, period, within)
        .filter(company_id__in=company_ids)
        .order_by()
        .values_list("company_id")
        .annotate(n=Count("pk"))
    )
    handled = {
        row["company_id"]: row
        for row in narrow_complaints(base, resolved_from=period.start, resolved_to=last)
        .order_by()
        .values("company_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(went_overdue=True)))
    }
    resolutions = {
        row["company_id"]: row
        for row in narrow_resolutions(
            resolution_rows, due_from=period.start, due_to=last, keeping=COUNTED
        )
        .order_by()
        .values("company_id")
        .annotate(n=Count("pk"), kept=Count("pk", filter=KEPT_IN_TIME))
    }
    elapsed = Period(period.start, min(period.end, date.fromordinal(today.toordinal() + 1)))
    rows = []
    for cid in company_ids:
        hh = households.get(cid, 0)
        a = answers.get(cid, {"n": 0, "satisfied": 0})
        h = handled.get(cid, {"n": 0, "late": 0})
        r = resolutions.get(cid, {"n": 0, "kept": 0})
        n = counted.get(cid, 0)
        rate = monthly_rate(n, hh, elapsed.months)
        row = RankingRow(
            company=companies[cid],
            households=hh,
            answers=a["n"],
            satisfied=a["satisfied"],
            satisfaction=share(a["satisfied"], a["n"]),
            complaints=n,
            complaint_rate=rate,
            complaint_score=None if rate is None else round(max(0.0, 100 - 10 * rate), 1),
            resolved=h["n"],
            late=h["late"],
            on_time=share(h["n"] - h["late"], h["n"]),
            resolutions_due=r["n"],
            resolutions_kept=r["kept"],
            resolutions_rate=share(r["kept"], r["n"]),
        )
        row.score = _score(row)
        if row.score is not None:
            row.board = (
                "red" if row.score >= RED_LINE else "black" if row.score < BLACK_LINE else ""
            )
        rows.append(row)
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.company.name))
    for index, row in enumerate(rows, start=1):
        row.rank = index
    return rows

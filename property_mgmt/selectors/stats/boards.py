"""红黑榜: the companies ranked by the published formula of :data:`RANKING_FORMULA` over a
quarter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Area, PropertyCompany

from ...models import (
    Resolution,
    ResolutionState,
    ServiceContract,
    SurveyAnswer,
)
from ..periods import Period
from .base import company_households, share
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


@dataclass
class RankingRow:
    company: PropertyCompany
    households: int
    answers: int
    satisfaction: float | None
    complaints: int
    complaint_rate: float | None
    complaint_score: float | None
    resolved: int
    on_time: float | None
    resolutions_due: int
    resolutions_rate: float | None
    score: float | None = None
    board: str = ""
    rank: int = 0
    drill_complaints: str = ""
    drill_resolutions: str = ""
    drill_surveys: str = ""


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
    """The companies serving in the actor's scope ranked by :data:`RANKING_FORMULA` over the
    period, each input with the count behind it: a fixed number of queries."""
    today = today or timezone.localdate()
    start, end = period.bounds()
    visible_contracts = ServiceContract.objects.visible_to(actor).filter(
        company__isnull=False, starts_on__lt=period.end, ends_on__gte=period.start
    )
    if within is not None:
        visible_contracts = visible_contracts.filter(area_path__startswith=within.path)
    company_ids = sorted(set(visible_contracts.values_list("company_id", flat=True)))
    companies = {
        c.pk: c
        for c in PropertyCompany.objects.filter(pk__in=company_ids).select_related(
            "property_profile"
        )
    }
    households = company_households(company_ids, period)
    answers = {
        row["company_id"]: row
        for row in SurveyAnswer.objects.visible_to(actor)
        .filter(
            company_id__in=company_ids,
            survey__period_start__lt=period.end,
            survey__period_end__gte=period.start,
        )
        .order_by()
        .values("company_id")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=SATISFIED))
    }
    base = complaints(actor, None, within).filter(company_id__in=company_ids)
    counted = dict(
        base.filter(reported_at__gte=start, reported_at__lt=end)
        .order_by()
        .values_list("company_id")
        .annotate(n=Count("pk"))
    )
    handled = {
        row["company_id"]: row
        for row in base.filter(case_resolved_at__gte=start, case_resolved_at__lt=end)
        .order_by()
        .values("company_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(went_overdue=True)))
    }
    resolutions = {
        row["company_id"]: row
        for row in Resolution.objects.visible_to(actor)
        .filter(company_id__in=company_ids, due_on__gte=period.start, due_on__lt=period.end)
        .exclude(state=ResolutionState.CANCELLED)
        .order_by()
        .values("company_id")
        .annotate(
            n=Count("pk"),
            kept=Count("pk", filter=Q(state=ResolutionState.DONE, done_at__lte=F("due_at"))),
        )
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
            satisfaction=share(a["satisfied"], a["n"]),
            complaints=n,
            complaint_rate=rate,
            complaint_score=None if rate is None else round(max(0.0, 100 - 10 * rate), 1),
            resolved=h["n"],
            on_time=share(h["n"] - h["late"], h["n"]),
            resolutions_due=r["n"],
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

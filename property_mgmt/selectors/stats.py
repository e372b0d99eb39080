"""The figures of 红色物业, computed live from the records of the actor's scope.

* **Coverage** (物业服务覆盖率, 业委会组建率, 三无小区): residential areas of a subtree with a
  contract valid today, with an owners' committee in office, with neither and no competent
  department. One query over the subtree's residential areas, grouped in Python by the
  child of the chosen area (drillable down to the areas).
* **Complaint rate**: property complaints (cases not rejected or merged) per 1,000 households
  per month, by company, residential area, community or street. A month is 365.25 / 12 days, so
  a part of a month counts as its part.
* **Satisfaction** (满意率): the share of answers whose overall rating is 满意 or 非常满意.
* **红黑榜**: the published formula of :data:`RANKING_FORMULA` over a quarter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseEvent, CaseState
from cases.workflow import Action as CaseAction
from governance.models import Area, AreaLevel, Household, PropertyCompany

from ..models import (
    ITEM_FIELDS,
    ComplaintDetail,
    ComplaintKind,
    ContractKind,
    EstateProfile,
    OwnersCommittee,
    Resolution,
    ResolutionState,
    ServiceContract,
    Survey,
    SurveyAnswer,
    SurveyItem,
)
from .periods import Period, month_starts

STEP = Area.steplen
ESTATE_PATH_LENGTH = 4 * STEP
NOT_COUNTED = (CaseState.REJECTED, CaseState.MERGED)


def share(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def change_pct(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before == 0:
        return None
    return round(100 * (after - before) / before, 1)


# --- Coverage ----------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    area: Area | None
    estates: int = 0
    by_company: int = 0
    self_managed: int = 0
    fallback: int = 0
    committees: int = 0
    triple_none: int = 0
    old_estates: int = 0

    @property
    def served(self) -> int:
        return self.by_company + self.self_managed + self.fallback

    @property
    def service_share(self) -> float | None:
        return share(self.served, self.estates)

    @property
    def committee_share(self) -> float | None:
        return share(self.committees, self.estates)

    def add(self, estate: dict[str, Any]) -> None:
        self.estates += 1
        kind = estate["contract_kind"]
        if kind == ContractKind.COMPANY:
            self.by_company += 1
        elif kind == ContractKind.SELF:
            self.self_managed += 1
        elif kind == ContractKind.FALLBACK:
            self.fallback += 1
        self.committees += bool(estate["has_committee"])
        self.triple_none += bool(estate["triple_none"])
        self.old_estates += bool(estate["is_old"])


@dataclass
class Coverage:
    area: Area
    total: CoverageRow
    rows: list[CoverageRow]
    estates: list[dict[str, Any]] = field(default_factory=list)


def estate_facts(area: Area, day: date | None = None) -> list[dict[str, Any]]:
    """Every active residential area under ``area`` with its contract today (kind, company),
    whether a committee is in office and whether it has a competent department: one query."""
    day = day or timezone.localdate()
    contracts = ServiceContract.objects.filter(
        area=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day
    )
    committees = OwnersCommittee.objects.filter(
        area=OuterRef("pk"), term_starts_on__lte=day, term_ends_on__gte=day
    )
    profiles = EstateProfile.objects.filter(area=OuterRef("pk"))
    rows = list(
        Area.objects.filter(
            path__startswith=area.path, level=AreaLevel.RESIDENTIAL_AREA, is_active=True
        )
        .annotate(
            contract_kind=Subquery(contracts.values("kind")[:1]),
            company_name=Subquery(contracts.values("company__name")[:1]),
            company_id=Subquery(contracts.values("company_id")[:1]),
            committee_ends=Subquery(committees.values("term_ends_on")[:1]),
            has_committee=Exists(committees),
            has_department=Exists(profiles.filter(competent_department__isnull=False)),
            is_old=Exists(profiles.filter(is_old_estate=True)),
        )
        .order_by("path")
        .values(
            "pk",
            "name",
            "path",
            "contract_kind",
            "company_name",
            "company_id",
            "committee_ends",
            "has_committee",
            "has_department",
            "is_old",
        )
    )
    for row in rows:
        row["triple_none"] = not (
            row["contract_kind"] or row["has_committee"] or row["has_department"]
        )
    return rows


def coverage(area: Area, day: date | None = None) -> Coverage:
    """Coverage of ``area``'s subtree, one row per child (per residential area below a
    community), with the areas themselves for the drill-down."""
    estates = estate_facts(area, day)
    total = CoverageRow(area=area)
    by_child: dict[str, CoverageRow] = {}
    child_length = len(area.path) + STEP
    for estate in estates:
        total.add(estate)
        key = estate["path"][:child_length]
        by_child.setdefault(key, CoverageRow(area=None)).add(estate)
    children = {a.path: a for a in Area.objects.filter(path__in=list(by_child))}
    rows = []
    for path, row in sorted(by_child.items()):
        row.area = children.get(path)
        rows.append(row)
    return Coverage(area=area, total=total, rows=rows, estates=estates)


# --- Households ---------------------------------------------------------------------------------


def households_by_prefix(paths: Iterable[str], length: int) -> dict[str, int]:
    """Active households under each path of ``length`` characters: one grouped count. Counts
    are not personal data; they are taken from the whole table for the paths asked."""
    paths = sorted(set(paths))
    if not paths:
        return {}
    condition = Q()
    for path in paths:
        condition |= Q(area_path__startswith=path)
    rows = (
        Household.objects.filter(condition, is_active=True)
        .annotate(prefix=Substr("area_path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(n=Count("id"))
        .values_list("prefix", "n")
    )
    return {prefix: n for prefix, n in rows if prefix in set(paths)}


def company_estates(company_ids: Iterable[int], period: Period) -> dict[int, set[str]]:
    """The residential areas (paths) each company held a contract for during the period."""
    rows = ServiceContract.objects.filter(
        company_id__in=list(company_ids), starts_on__lt=period.end, ends_on__gte=period.start
    ).values_list("company_id", "area_path")
    found: dict[int, set[str]] = defaultdict(set)
    for company_id, path in rows:
        found[company_id].add(path)
    return found


def company_households(company_ids: Iterable[int], period: Period) -> dict[int, int]:
    estates = company_estates(company_ids, period)
    counts = households_by_prefix(
        {p for paths in estates.values() for p in paths}, ESTATE_PATH_LENGTH
    )
    return {cid: sum(counts.get(p, 0) for p in paths) for cid, paths in estates.items()}


# --- Complaint rates ------------------------------------------------------------------------------


GROUPS = {
    "company": ("company_id", _("物业企业")),
    "estate": ("estate_id", _("小区")),
    "community": ("community_id", _("社区")),
    "street": ("street_id", _("街道/镇")),
}


def complaints(
    actor: Any, period: Period | None = None, within: Area | None = None
) -> QuerySet[ComplaintDetail]:
    """The property complaints the actor sees that count (not rejected, not merged)."""
    rows = ComplaintDetail.objects.visible_to(actor).filter(kind=ComplaintKind.COMPLAINT)
    rows = rows.exclude(case__state__in=NOT_COUNTED)
    if period is not None:
        start, end = period.bounds()
        rows = rows.filter(reported_at__gte=start, reported_at__lt=end)
    if within is not None:
        rows = rows.filter(area_path__startswith=within.path)
    return rows


@dataclass
class RateRow:
    key: int
    label: str
    households: int
    counts: list[int]
    rates: list[float | None]
    total: int
    rate: float | None
    drill: str = ""


@dataclass
class RateTable:
    group: str
    months: list[date]
    rows: list[RateRow]
    total: RateRow | None


def _rate(count: int, households: int, months: float) -> float | None:
    if not households or months <= 0:
        return None
    return round(count / (households / 1000) / months, 2)


def _group_households(group: str, keys: list[int], period: Period) -> dict[int, int]:
    if group == "company":
        return company_households(keys, period)
    paths = dict(Area.objects.filter(pk__in=keys).values_list("pk", "path"))
    counts = households_by_prefix(paths.values(), len(next(iter(paths.values()), "")) or STEP)
    return {pk: counts.get(path, 0) for pk, path in paths.items()}


def _labels(group: str, keys: list[int]) -> dict[int, str]:
    if group == "company":
        return dict(PropertyCompany.objects.filter(pk__in=keys).values_list("pk", "name"))
    return dict(Area.objects.filter(pk__in=keys).values_list("pk", "name"))


def complaint_rates(
    *,
    actor: Any,
    group: str,
    start: date,
    months: int,
    within: Area | None = None,
    today: date | None = None,
) -> RateTable:
    """Complaints per 1,000 households per month, one row per company / residential area /
    community / street, one column per month: four queries whatever the number of rows."""
    field_name, _label = GROUPS.get(group, GROUPS["company"])
    group = group if group in GROUPS else "company"
    firsts = month_starts(start, months)
    today = today or timezone.localdate()
    period = Period(firsts[0], _next_month(firsts[-1]))
    rows = (
        complaints(actor, period, within)
        .filter(**{f"{field_name}__isnull": False})
        .annotate(month=TruncMonth("reported_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list(field_name, "month")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    for key, month, n in rows:
        month_day = month.date() if hasattr(month, "date") else month
        counts[key][month_day] = n
    keys = sorted(counts)
    households = _group_households(group, keys, period)
    labels = _labels(group, keys)
    lengths = [_month_length(first, today) for first in firsts]
    table_rows = []
    for key in keys:
        per_month = [counts[key].get(first, 0) for first in firsts]
        hh = households.get(key, 0)
        table_rows.append(
            RateRow(
                key=key,
                label=labels.get(key, "—"),
                households=hh,
                counts=per_month,
                rates=[_rate(n, hh, length) for n, length in zip(per_month, lengths, strict=True)],
                total=sum(per_month),
                rate=_rate(sum(per_month), hh, sum(lengths)),
            )
        )
    table_rows.sort(key=lambda r: (-(r.rate or 0), r.label))
    total = None
    if group != "company" and table_rows:
        hh = sum(r.households for r in table_rows)
        sums = [sum(r.counts[i] for r in table_rows) for i in range(len(firsts))]
        total = RateRow(
            key=0,
            label=str(_("合计")),
            households=hh,
            counts=sums,
            rates=[_rate(n, hh, length) for n, length in zip(sums, lengths, strict=True)],
            total=sum(sums),
            rate=_rate(sum(sums), hh, sum(lengths)),
        )
    return RateTable(group=group, months=firsts, rows=table_rows, total=total)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _month_length(first: date, today: date) -> float:
    """The month's length in months: 1, or the elapsed part of the current month, 0 ahead."""
    end = min(_next_month(first), date.fromordinal(today.toordinal() + 1))
    days = max((end - first).days, 0)
    return days / ((_next_month(first) - first).days)


def complaint_rate(*, actor: Any, period: Period, within: Area) -> tuple[int, int, float | None]:
    """(complaints, households, complaints per 1,000 households per month) of a subtree."""
    count = complaints(actor, period, within).count()
    households = households_by_prefix([within.path], len(within.path)).get(within.path, 0)
    return count, households, _rate(count, households, period.months)


# --- Satisfaction --------------------------------------------------------------------------------


SATISFIED = Q(overall__gte=4)


def answer_figures(answers: QuerySet[SurveyAnswer]) -> dict[str, Any]:
    """Answers, satisfied answers, the 满意率 and the mean score of each item: one query."""
    values = answers.order_by().aggregate(
        n=Count("pk"),
        satisfied=Count("pk", filter=SATISFIED),
        **{f"avg_{item}": Avg(item) for item in ITEM_FIELDS},
    )
    values["rate"] = share(values["satisfied"], values["n"])
    values["items"] = [
        (SurveyItem(item).label, round(values[f"avg_{item}"], 2) if values[f"avg_{item}"] else None)
        for item in ITEM_FIELDS
    ]
    return values


def answers_in(
    actor: Any, *, year: int | None = None, within: Area | None = None
) -> QuerySet[SurveyAnswer]:
    rows = SurveyAnswer.objects.visible_to(actor)
    if year is not None:
        rows = rows.filter(survey__period_start__year=year)
    if within is not None:
        rows = rows.filter(area_path__startswith=within.path)
    return rows


def satisfaction_change(
    *, actor: Any, year: int, baseline: int, within: Area | None = None
) -> dict[str, Any]:
    """满意率 of the surveys of ``year`` against those of ``baseline`` (relative change)."""
    current = answer_figures(answers_in(actor, year=year, within=within))
    before = answer_figures(answers_in(actor, year=baseline, within=within))
    return {
        "year": year,
        "baseline": baseline,
        "current": current,
        "before": before,
        "change": change_pct(before["rate"], current["rate"]),
    }


def survey_results(surveys: QuerySet[Survey]) -> list[Any]:
    """Each survey with its answers, 满意率, item means and response rate (answers per
    household of the area): two queries for the page."""
    rows: list[Any] = list(
        surveys.annotate(
            n_answers=Count("answers"),
            n_satisfied=Count("answers", filter=Q(answers__overall__gte=4)),
            **{f"avg_{item}": Avg(f"answers__{item}") for item in ITEM_FIELDS},
        ).select_related("area", "company")
    )
    households = households_by_prefix([s.area_path for s in rows], ESTATE_PATH_LENGTH)
    for survey in rows:
        survey.households = households.get(survey.area_path, 0)
        survey.response_rate = share(survey.n_answers, survey.households)
        survey.satisfaction = share(survey.n_satisfied, survey.n_answers)
    return rows


def satisfaction_by(
    actor: Any, *, group: str, year: int, within: Area | None = None
) -> list[dict[str, Any]]:
    """满意率 and response by company or residential area for a year's surveys."""
    key = "company_id" if group == "company" else "survey__area_id"
    rows = list(
        answers_in(actor, year=year, within=within)
        .filter(**{f"{key}__isnull": False})
        .order_by()
        .values(key)
        .annotate(
            n=Count("pk"),
            satisfied=Count("pk", filter=SATISFIED),
            **{f"avg_{item}": Avg(item) for item in ITEM_FIELDS},
        )
    )
    ids = [row[key] for row in rows]
    labels = _labels("company" if group == "company" else "estate", ids)
    if group == "company":
        households = company_households(ids, Period(date(year, 1, 1), date(year + 1, 1, 1)))
    else:
        paths = dict(Area.objects.filter(pk__in=ids).values_list("pk", "path"))
        counts = households_by_prefix(paths.values(), ESTATE_PATH_LENGTH)
        households = {pk: counts.get(path, 0) for pk, path in paths.items()}
    for row in rows:
        row["key"] = row[key]
        row["label"] = labels.get(row[key], "—")
        row["rate"] = share(row["satisfied"], row["n"])
        row["households"] = households.get(row[key], 0)
        row["response_rate"] = share(row["n"], row["households"])
    rows.sort(key=lambda r: (-(r["rate"] or 0), r["label"]))
    return rows


# --- 红黑榜 --------------------------------------------------------------------------------------


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
    late = CaseEvent.objects.filter(case_id=OuterRef("case_id"), action=CaseAction.OVERDUE)
    handled = {
        row["company_id"]: row
        for row in base.filter(case__resolved_at__gte=start, case__resolved_at__lt=end)
        .order_by()
        .values("company_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(Exists(late))))
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
        rate = _rate(n, hh, elapsed.months)
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

"""The same figures counted straight from the case tables: what a team writes first, and the
yardstick of the rollups. Tests compare every figure of :class:`~dashboards.rollup.RollupSource`
with this; `make bench` measures a dashboard computed this way beside the real one (the
"naive" rows). Each call scans the territory's cases of the period, with two timeline lookups
and an assignment lookup per case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Cast, Ceil, Coalesce, Concat, TruncMonth
from django.utils import timezone

from cases.models import OPEN_STATES, Case, CaseAssignment, CaseEvent

from .measures import Measures
from .models import MEASURES
from .periods import Period, month_index, month_of
from .territory import Territory


class WorkingSeconds(Func):
    """Working time between two moments, by the work calendar (the same SQL function the
    rollup triggers use; tests check it against ``cases.calendar``)."""

    function = "dashboards_working_seconds"
    output_field = DecimalField(max_digits=20, decimal_places=6)


OPEN = Q(state__in=sorted(OPEN_STATES))
CONDITIONS: dict[str, Q] = {
    "n": Q(),
    "open": OPEN,
    "overdue_now": OPEN & Q(alert="red"),
    "yellow_now": OPEN & Q(alert="yellow"),
    "overdue_ever": Q(x_overdue=True),
    "closed": Q(state="closed"),
    "on_time": Q(state="closed", x_overdue=False),
    "rated": ~Q(satisfaction=""),
    "satisfied": Q(satisfaction__in=["satisfied", "basically"]),
    "reopened": Q(reopen_count__gt=0),
    "escalated": Q(x_escalated=True),
    "supervised": ~Q(supervision=""),
    "sup_yellow": Q(supervision="yellow"),
    "sup_red": Q(supervision="red"),
    "urgent": Q(is_urgent=True),
    "handled": Q(resolved_at__isnull=False),
}
assert tuple(CONDITIONS) == MEASURES


def _lead_unit() -> Subquery:
    # The active lead, or the one that completed the case (as the rollup triggers count it).
    lead = CaseAssignment.objects.filter(
        Q(ended_at__isnull=True) | Q(completed=True), case=OuterRef("pk"), role="lead"
    )
    label = SqlCase(
        When(
            department_id__isnull=False,
            then=Concat(Value("department:"), Cast("department_id", CharField())),
        ),
        When(
            company_id__isnull=False,
            then=Concat(Value("company:"), Cast("company_id", CharField())),
        ),
        When(
            unit_area_id__isnull=False,
            then=Concat(Value("area:"), Cast("unit_area_id", CharField())),
        ),
        default=Value(""),
        output_field=CharField(),
    )
    return Subquery(lead.order_by("-id").annotate(label=label).values("label")[:1])


def annotated(cases: QuerySet[Case]) -> Any:
    """Cases with what the case row does not hold: ever escalated, ever overdue, the lead
    unit, the working seconds from report to resolution."""
    events = CaseEvent.objects.filter(case=OuterRef("pk"))
    return cases.annotate(
        x_escalated=Exists(events.filter(action="escalate"), output_field=BooleanField()),
        x_overdue=Exists(events.filter(action="overdue"), output_field=BooleanField()),
        x_unit=Coalesce(_lead_unit(), Value("")),
        x_seconds=WorkingSeconds(F("created_at"), F("resolved_at")),
    )


def _aggregates() -> dict[str, Any]:
    counts: dict[str, Any] = {name: Count("pk", filter=q) for name, q in CONDITIONS.items()}
    counts["handling_seconds"] = Coalesce(
        Sum("x_seconds", filter=Q(resolved_at__isnull=False)),
        Value(0),
        output_field=DecimalField(max_digits=24, decimal_places=6),
    )
    return counts


def _measures(row: Any) -> Measures:
    return Measures.from_row([row[name] for name in MEASURES] + [row["handling_seconds"]])


FACET_EXPRESSIONS: dict[str, Any] = {
    "state": F("state"),
    "tier": F("tier"),
    "category": Cast("category_id", CharField()),
    "source": F("source"),
    "unit": F("x_unit"),
    "reporter": Coalesce(Cast("reporter_id", CharField()), Value("")),
    "handling": Cast(Cast(Ceil(F("x_seconds") / Value(86400)), IntegerField()), CharField()),
}


def _cases(territory: Territory, first: date, end: date) -> Any:
    tz = timezone.get_current_timezone()
    cases = Case.objects.filter(
        created_at__gte=datetime.combine(first, time.min, tzinfo=tz),
        created_at__lt=datetime.combine(end, time.min, tzinfo=tz),
    )
    if territory.is_unit:
        return annotated(cases).filter(x_unit=territory.unit)
    if not territory.everything:
        cases = cases.filter(
            Q(street_id__in=territory.street_ids) | Q(community_id__in=territory.community_ids)
        )
    return annotated(cases)


class DirectSource:
    """The dashboards' figures counted from the case tables (same interface as the rollups)."""

    name = "direct"

    def facets(
        self, territory: Territory, period: Period, facets: Sequence[str]
    ) -> dict[str, dict[str, Measures]]:
        result: dict[str, dict[str, Measures]] = {}
        if territory.is_unit:  # a unit's dashboard counts its own cases as one
            facets = [f for f in facets if f == "unit"]
        for facet in facets:
            cases = _cases(territory, period.first, period.end)
            if facet == "handling":
                cases = cases.filter(resolved_at__isnull=False)
            rows = (
                cases.annotate(x_value=FACET_EXPRESSIONS[facet])
                .order_by()
                .values("x_value")
                .annotate(**_aggregates())
            )
            result[facet] = {str(row["x_value"]): _measures(row) for row in rows}
        return result

    def months(
        self, territory: Territory, first: date, last: date, by: str | None = None
    ) -> list[tuple[date, int, Measures]]:
        end = month_of(month_index(last) + 1)
        by = None if territory.is_unit else by
        child = {"street": "street_id", "community": "community_id"}.get(by or "")
        cases = _cases(territory, first, end).annotate(
            x_month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
        )
        keys = ["x_month", child] if child else ["x_month"]
        rows = cases.order_by().values(*keys).annotate(**_aggregates())
        return [
            (
                timezone.localtime(row["x_month"]).date(),
                int(row[child]) if child else 0,
                _measures(row),
            )
            for row in rows
        ]

    def units(self, period: Period, kind: str) -> dict[str, Measures]:
        cases = _cases(Territory(label="", everything=True), period.first, period.end)
        rows = (
            cases.filter(x_unit__startswith=f"{kind}:")
            .order_by()
            .values("x_unit")
            .annotate(**_aggregates())
        )
        return {row["x_unit"]: _measures(row) for row in rows}

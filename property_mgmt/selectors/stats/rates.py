"""The complaint rate: property complaints (cases not rejected or merged) per 1,000
households per month, by company, residential area, community or street. A month is
365.25 / 12 days, so a part of a month counts as its part."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import Area

from ...models import (
    ComplaintDetail,
    ComplaintKind,
)
from ..periods import Period, month_starts
from .base import STEP, company_households, households_by_prefix, labels_of

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
    rows = rows.filter(counted=True)
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


def monthly_rate(count: int, households: int, months: float) -> float | None:
    if not households or months <= 0:
        return None
    return round(count / (households / 1000) / months, 2)


def _group_households(group: str, keys: list[int], period: Period) -> dict[int, int]:
    if group == "company":
        return company_households(keys, period)
    paths = dict(Area.objects.filter(pk__in=keys).values_list("pk", "path"))
    counts = households_by_prefix(paths.values(), len(next(iter(paths.values()), "")) or STEP)
    return {pk: counts.get(path, 0) for pk, path in paths.items()}


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
    labels = labels_of(group, keys)
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
                rates=[
                    monthly_rate(n, hh, length)
                    for n, length in zip(per_month, lengths, strict=True)
                ],
                total=sum(per_month),
                rate=monthly_rate(sum(per_month), hh, sum(lengths)),
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
            rates=[monthly_rate(n, hh, length) for n, length in zip(sums, lengths, strict=True)],
            total=sum(sums),
            rate=monthly_rate(sum(sums), hh, sum(lengths)),
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
    return count, households, monthly_rate(count, households, period.months)

"""What the figures share: a share and a change in percent, household counts under paths
and by company, and the names of what a figure is grouped by."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import Substr

from cases.models import CaseState
from governance.models import Area, Household, PropertyCompany

from ...models import (
    ServiceContract,
)
from ..periods import Period

STEP = Area.steplen
ESTATE_PATH_LENGTH = 4 * STEP
NOT_COUNTED = (CaseState.REJECTED, CaseState.MERGED)


def share(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def change_pct(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before == 0:
        return None
    return round(100 * (after - before) / before, 1)


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


def labels_of(group: str, keys: list[int]) -> dict[int, str]:
    if group == "company":
        return dict(PropertyCompany.objects.filter(pk__in=keys).values_list("pk", "name"))
    return dict(Area.objects.filter(pk__in=keys).values_list("pk", "name"))

"""What the figures share: a share and a change in percent, household counts under paths
and by company, and the names of what a figure is grouped by."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Substr

from governance.models import Area, Household, PropertyCompany

from ...models import (
    ServiceContract,
)
from ..periods import Period

STEP = Area.steplen
ESTATE_PATH_LENGTH = 4 * STEP


def share(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def change_pct(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before == 0:
        return None
    return round(100 * (after - before) / before, 1)


#: Up to this many paths are counted by their own index ranges; more in one grouped scan.
FEW_PATHS = 8
#: How long the grouped count of a subtree is kept (a household added shows at once).
KEPT_SECONDS = 60


def households_by_prefix(paths: Iterable[str], length: int) -> dict[str, int]:
    """Active households under each path of ``length`` characters. Counts are not personal
    data; they are taken from the whole table for the paths asked.

    A few paths are read through the path index, one range each. Many (every contracted
    residential area of a district) are counted in one scan of the subtree they share,
    grouped by the prefix (an ``OR`` of a thousand ``LIKE`` conditions would test each of
    them on every household). Either count is kept for :data:`KEPT_SECONDS` under the
    table's highest id: a household added anywhere starts a fresh count, one moved out shows
    within the minute."""
    wanted = sorted(set(paths))
    if not wanted:
        return {}
    if len(wanted) <= FEW_PATHS:
        condition = Q()
        for path in wanted:
            condition |= Q(area_path__startswith=path)
        scope = ",".join(wanted)
    else:
        scope = _shared_path(wanted[0], wanted[-1])
        condition = Q(area_path__startswith=scope)
    digest = hashlib.sha256(scope.encode()).hexdigest()[:32]
    key = f"property:households:{digest}:{length}:{_household_version()}"
    counts = cache.get(key)
    if counts is None:
        counts = _grouped(condition, length)
        cache.set(key, counts, KEPT_SECONDS)
    return {path: counts[path] for path in wanted if path in counts}


def _grouped(condition: Q, length: int) -> dict[str, int]:
    rows = (
        Household.objects.filter(condition, is_active=True)
        .annotate(prefix=Substr("area_path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(n=Count("id"))
        .values_list("prefix", "n")
    )
    return dict(rows)


def _household_version() -> str:
    """The database's identity and the households' highest id: two index lookups."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),"
            " (SELECT max(id) FROM governance_household)"
        )
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


def _shared_path(first: str, last: str) -> str:
    """The longest area path both start with (of sorted paths, the first and the last)."""
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[: length - length % STEP]


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

"""The area page's figures for a large subtree, precomputed: a district's or a street's counts of
households, residents, members, organisations and open needs (and its coverage) read hundreds
of thousands of rows; counted once, they are kept in the cache for ``PORTAL_SUBTREE_COUNT_SECONDS``
(60 s) and shared by everyone whose scope covers the whole subtree (what they may see there is
all of it).

A key carries the highest id of each counted table, so a row added anywhere starts a fresh
count at once; a change that adds no row (a household moved out, a need claimed) shows within
the minute. Communities and smaller areas, and actors who see only part of a subtree, are
counted live as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from accounts.scoping import scope_of

from . import selectors
from .models import Area, AreaLevel, Household, NeedsLedger, PartyMember, PartyOrg, Resident

#: Areas whose figures are kept: above the community (a community counts in milliseconds).
KEPT_LEVELS = frozenset({AreaLevel.DISTRICT, AreaLevel.STREET})
COUNTED = (Household, Resident, PartyMember, PartyOrg, NeedsLedger)


def _seconds() -> int:
    return int(getattr(settings, "PORTAL_SUBTREE_COUNT_SECONDS", 60))


def _fingerprint() -> str:
    """The database's identity (a database made again, a test run or a restore, never meets
    the figures of the one before) and the highest id of each counted table, in one statement
    of index lookups."""
    tables = [m._meta.db_table for m in COUNTED]  # model tables, no input
    parts = ", ".join(
        ["(SELECT oid FROM pg_database WHERE datname = current_database())"]
        + [f"(SELECT max(id) FROM {table})" for table in tables]  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


def _covers_all(actor: Any, area: Area) -> bool:
    scope = scope_of(actor)
    return all(
        scope.covers_area_path(area.path, roles=model.objects.none().scope_roles)
        for model in COUNTED
    )


def _kept(key: str, compute: Any) -> Any:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, _seconds())
    return value


def _key(area: Area) -> str | None:
    if area.level not in KEPT_LEVELS or _seconds() <= 0:
        return None
    return f"governance:area-figures:{area.pk}:{area.path}:{_fingerprint()}"


def area_coverage(area: Area) -> selectors.Coverage:
    """``selectors.coverage_for``, kept for a district or a street (it is the same for all)."""
    key = _key(area)
    if key is None:
        return selectors.coverage_for(area)
    return _kept(f"{key}:coverage", lambda: selectors.coverage_for(area))


def area_counts(*, actor: Any, area: Area) -> dict[str, int]:
    """``selectors.subtree_counts``, kept for a district or a street when the actor sees all of
    it (the same figures for everyone who does)."""
    key = _key(area)
    if key is None or not _covers_all(actor, area):
        return selectors.subtree_counts(actor=actor, area=area)
    counts: dict[str, int] = _kept(
        f"{key}:counts", lambda: selectors.subtree_counts(actor=actor, area=area)
    )
    return counts

"""The dashboard's map: every grid of the territory (the grids' own GeoJSON boundaries), each
with its open and overdue cases, its households and its staffing, so the page can colour it by
open or overdue cases per 1,000 households or by staffing breaches, and a click leads to its
community's dashboard.

Open cases are read from the partial index of open cases (a few per cent of the table) and
grouped by area path; each path is placed in the grid covering it (a residential area or a
building: active coverages never overlap). Households change slowly: their counts per grid are
cached for five minutes. Five queries, whatever the number of grids.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q

from accounts.scoping import any_of
from cases.models import OPEN_STATES, Case
from governance.models import Area, Household
from grids.models import Grid, GridCoverage
from grids.selectors import breaches_of, with_staffing

from .territory import Territory

HOUSEHOLD_SECONDS = 300


def territory_paths(territory: Territory) -> list[str] | None:
    """The area paths the territory covers (None: the whole district)."""
    if territory.everything:
        return None
    if territory.area is not None:
        return [territory.area.path]
    ids = [*territory.street_ids, *territory.community_ids]
    return list(Area.objects.filter(pk__in=ids).values_list("path", flat=True))


def _within(paths: list[str] | None, field: str = "area_path") -> Q:
    if paths is None:
        return Q()
    return any_of(Q(**{f"{field}__startswith": p}) for p in paths) or Q(pk__in=[])


def _grid_of(path: str, covering: dict[str, int]) -> int | None:
    """The grid covering ``path`` (the longest covered prefix of it)."""
    step = Area.steplen
    for end in range(len(path), step - 1, -step):
        grid = covering.get(path[:end])
        if grid is not None:
            return grid
    return None


def _households(paths: list[str] | None, covering: dict[str, int], key: str) -> dict[int, int]:
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    rows = (
        Household.objects.filter(_within(paths), is_active=True)
        .order_by()
        .values_list("area_path")
        .annotate(n=Count("id"))
    )
    per_grid: dict[int, int] = {}
    for path, n in rows:
        grid_id = _grid_of(path, covering)
        if grid_id is not None:
            per_grid[grid_id] = per_grid.get(grid_id, 0) + n
    cache.set(key, per_grid, HOUSEHOLD_SECONDS)
    return per_grid


def map_features(*, actor: Any, territory: Territory) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the territory's active grids with their figures."""
    paths = territory_paths(territory)
    grids = list(
        with_staffing(
            Grid.objects.visible_to(actor).filter(_within(paths), is_active=True)
        ).select_related("community")
    )
    ids = [g.pk for g in grids]
    covering = dict(
        GridCoverage.objects.filter(grid_id__in=ids, is_active=True).values_list(
            "area_path", "grid_id"
        )
    )
    open_rows = (
        Case.objects.visible_to(actor)
        .filter(_within(paths), state__in=sorted(OPEN_STATES))
        .order_by()
        .values_list("area_path")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(alert="red")))
    )
    open_cases: dict[int, list[int]] = {}
    for path, n, overdue in open_rows:
        grid_id = _grid_of(path, covering)
        if grid_id is not None:
            counts = open_cases.setdefault(grid_id, [0, 0])
            counts[0] += n
            counts[1] += overdue
    key = f"dashboards:map-households:{actor.pk}:{territory.label}:{len(ids)}"
    households = _households(paths, covering, key)
    features = []
    for grid in grids:
        if not grid.boundary:
            continue
        n_open, n_overdue = open_cases.get(grid.pk, [0, 0])
        homes = households.get(grid.pk, 0)
        problems = breaches_of(grid)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": grid.pk,
                    "name": grid.name,
                    "community": grid.community.name,
                    "community_id": grid.community_id,
                    "open": n_open,
                    "overdue": n_overdue,
                    "households": homes,
                    "open_per_1000": round(1000 * n_open / homes, 1) if homes else None,
                    "overdue_per_1000": round(1000 * n_overdue / homes, 1) if homes else None,
                    "staffing_ok": not problems,
                    "problems": problems,
                },
                "geometry": grid.boundary,
            }
        )
    return {"type": "FeatureCollection", "features": features}

"""What the supports selectors share: choices of areas in scope and ordering by key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from accounts.scoping import Actor, any_of, scope_of
from governance.models import Area, AreaLevel


def areas_in_scope(
    *, actor: Actor, level: str = AreaLevel.COMMUNITY, roles: Iterable[str] | None = None
) -> QuerySet[Area]:
    """Streets or communities under the actor's area grants (of ``roles`` if given)."""
    scope = scope_of(actor)
    areas = Area.objects.filter(level=level).order_by("path")
    if scope.superuser:
        return areas
    condition = any_of(Q(path__startswith=path) for path in scope.area_paths(roles))
    return areas.filter(condition) if condition is not None else areas.none()


def ordered(rows: QuerySet[Any], orderings: Mapping[str, Any], key: str, default: str) -> Any:
    """``rows`` sorted by the ordering named ``key`` (a page's ``?o=``), or by ``default``;
    the primary key breaks ties so pages never repeat or skip a row."""
    chosen = orderings.get(key) or orderings[default]
    fields = list(chosen) if isinstance(chosen, tuple | list) else [chosen]
    return rows.order_by(*fields, "-pk" if str(fields[0]).startswith("-") else "pk")


def under(path_field: str, area: Area | None) -> Q:
    return Q(**{f"{path_field}__startswith": area.path}) if area is not None else Q()

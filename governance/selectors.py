"""Reads of the governance backbone, already scoped and prefetched.

Subtree counts are one indexed query each: ``area_path LIKE '<path>%'`` on the table that is
counted (the path is copied onto every hot table), never a walk up or down the tree.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.scoping import scope_of

from .models import (
    Area,
    AreaLevel,
    AreaQuerySet,
    Household,
    NeedsLedger,
    PartyMember,
    PartyOrg,
    PartyOrgQuerySet,
    Resident,
)

SEARCH_LIMIT = 50


def area_list(*, actor: Any, within: int | None = None, level: str = "") -> AreaQuerySet:
    """Areas in the actor's scope; ``within`` cuts to one visible area's subtree (404 if the
    area is outside the scope, exactly as if it did not exist)."""
    areas = Area.objects.visible_to(actor)
    if within is not None:
        root: Area = get_object_or_404(Area.objects.visible_to(actor), pk=within)
        areas = areas.within(root)
    if level:
        areas = areas.filter(level=level)
    return areas


def area_get(*, actor: Any, pk: int) -> Area:
    area: Area = get_object_or_404(Area.objects.visible_to(actor), pk=pk)
    return area


def area_tops(*, actor: Any) -> AreaQuerySet:
    """The highest areas the actor sees: the nodes of its grants (all roots for a superuser)."""
    scope = scope_of(actor)
    if scope.superuser:
        return Area.objects.filter(depth=1)
    paths = scope.area_paths()
    if not paths:
        return Area.objects.none()
    return Area.objects.filter(path__in=paths)


def area_children(*, actor: Any, parent: Area) -> AreaQuerySet:
    """Children of a visible area: one query on (path prefix, depth)."""
    return Area.objects.visible_to(actor).filter(
        path__startswith=parent.path, depth=parent.depth + 1
    )


def area_search(*, actor: Any, query: str) -> list[Area]:
    """Areas whose name contains ``query`` or whose pinyin initials start with it (hysq →
    华阳社区), with the names of their ancestors for display."""
    query = query.strip()
    if not query:
        return []
    condition = Q(name__icontains=query)
    if query.isascii():
        condition |= Q(name_initials__startswith=query.lower()) | Q(code__startswith=query)
    found = list(Area.objects.visible_to(actor).filter(condition)[:SEARCH_LIMIT])
    attach_trail(found)
    return found


def attach_trail(areas: Iterable[Area]) -> None:
    """Set ``trail`` ("台儿庄区 / 运河街道 / 华阳社区") on each area with one query."""
    areas = list(areas)
    paths = {path for area in areas for path in area.ancestor_paths()}
    names = dict(Area.objects.filter(path__in=paths).values_list("path", "name")) if paths else {}
    for area in areas:
        area.trail = " / ".join(names.get(p, "") for p in area.ancestor_paths()[:-1])


def area_names(paths: Iterable[str]) -> dict[str, str]:
    """Names of the areas at ``paths``, one query."""
    paths = set(paths)
    if not paths:
        return {}
    return dict(Area.objects.filter(path__in=paths).values_list("path", "name"))


@dataclass(frozen=True)
class Coverage:
    """全域组织覆盖: residential areas and buildings that have an anchored organisation."""

    estates: int
    estates_covered: int
    buildings: int
    buildings_covered: int

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def estate_share(self) -> float | None:
        return self._share(self.estates_covered, self.estates)

    @property
    def building_share(self) -> float | None:
        return self._share(self.buildings_covered, self.buildings)


def coverage_for(area: Area) -> Coverage:
    """Coverage of ``area``'s subtree: one query over the subtree's residential areas and
    buildings, each checked for an active organisation anchored on it. Inactive areas do not
    count."""
    anchored = PartyOrg.objects.filter(area=OuterRef("pk"), is_active=True)
    rows = (
        Area.objects.filter(
            path__startswith=area.path,
            level__in=[AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING],
            is_active=True,
        )
        .order_by()
        .values("level")
        .annotate(total=Count("id"), covered=Count("id", filter=Q(Exists(anchored))))
    )
    counts = {row["level"]: (row["total"], row["covered"]) for row in rows}
    estates = counts.get(AreaLevel.RESIDENTIAL_AREA, (0, 0))
    buildings = counts.get(AreaLevel.BUILDING, (0, 0))
    return Coverage(estates[0], estates[1], buildings[0], buildings[1])


def subtree_counts(*, actor: Any, area: Area) -> dict[str, int]:
    """What lies under ``area`` for the actor: one indexed count per table."""
    within = {"area_path__startswith": area.path}
    return {
        "households": Household.objects.visible_to(actor).filter(**within, is_active=True).count(),
        "residents": Resident.objects.visible_to(actor).filter(**within, is_active=True).count(),
        "members": PartyMember.objects.visible_to(actor).filter(**within, is_active=True).count(),
        "orgs": PartyOrg.objects.visible_to(actor).filter(**within, is_active=True).count(),
        "open_needs": NeedsLedger.objects.visible_to(actor).filter(**within, status="open").count(),
    }


# --- Party organisations ------------------------------------------------------------------------


def party_org_get(*, actor: Any, pk: int) -> PartyOrg:
    org: PartyOrg = get_object_or_404(
        PartyOrg.objects.visible_to(actor).select_related("area", "department", "company"), pk=pk
    )
    return org


def party_org_list(*, actor: Any) -> PartyOrgQuerySet:
    return PartyOrg.objects.visible_to(actor).select_related("area", "department", "company")


def _subtree_members() -> Subquery:
    """The active party members of an organisation and of every organisation below it (a
    community's committee shows the members of all its branches, not its own 0)."""
    return Subquery(
        PartyMember.objects.filter(org__path__startswith=OuterRef("path"), is_active=True)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )


def party_org_tops(*, actor: Any) -> list[PartyOrg]:
    """The highest organisations the actor sees (those whose parent it does not see)."""
    visible = list(party_org_list(actor=actor).annotate(n_members=_subtree_members()))
    paths = {org.path for org in visible}
    return [org for org in visible if org.path[: -PartyOrg.steplen] not in paths][:200]


def party_org_children(*, actor: Any, parent: PartyOrg) -> QuerySet[PartyOrg]:
    return (
        party_org_list(actor=actor)
        .filter(path__startswith=parent.path, depth=parent.depth + 1)
        .annotate(n_members=_subtree_members())
    )


def party_org_search(*, actor: Any, query: str) -> list[PartyOrg]:
    query = query.strip()
    if not query:
        return []
    condition = Q(name__icontains=query)
    if query.isascii():
        condition |= Q(name_initials__startswith=query.lower())
    return list(
        party_org_list(actor=actor)
        .filter(condition)
        .annotate(n_members=_subtree_members())[:SEARCH_LIMIT]
    )


# --- Ledgers ------------------------------------------------------------------------------------


def household_list(*, actor: Any) -> QuerySet[Household]:
    return (
        Household.objects.visible_to(actor)
        .select_related("building")
        .order_by("area_path", "unit", "room", "id")
    )


def household_get(*, actor: Any, pk: int) -> Household:
    household: Household = get_object_or_404(household_list(actor=actor), pk=pk)
    return household


def resident_list(*, actor: Any) -> QuerySet[Resident]:
    return (
        Resident.objects.visible_to(actor)
        .select_related("household", "household__building")
        .order_by("area_path", "household_id", "id")
    )


def resident_get(*, actor: Any, pk: int) -> Resident:
    resident: Resident = get_object_or_404(resident_list(actor=actor), pk=pk)
    return resident


def member_list(*, actor: Any) -> QuerySet[PartyMember]:
    return (
        PartyMember.objects.visible_to(actor)
        .select_related("org", "household", "household__building")
        .order_by("area_path", "name", "id")
    )


def member_get(*, actor: Any, pk: int) -> PartyMember:
    member: PartyMember = get_object_or_404(member_list(actor=actor), pk=pk)
    return member


def need_list(*, actor: Any) -> QuerySet[NeedsLedger]:
    return (
        NeedsLedger.objects.visible_to(actor)
        .select_related("household", "household__building")
        .order_by("-raised_on", "-id")
    )


def need_get(*, actor: Any, pk: int) -> NeedsLedger:
    need: NeedsLedger = get_object_or_404(need_list(actor=actor), pk=pk)
    return need


def attach_estate_names(rows: Iterable[Any], path_attr: str = "area_path") -> None:
    """Set ``estate_name`` (the residential area) on rows whose path runs through a building:
    one query for the whole page, whatever its length."""
    rows = list(rows)
    steplen = Area.steplen
    estate_depth = 4
    paths = {
        getattr(row, path_attr)[: steplen * estate_depth]
        for row in rows
        if len(getattr(row, path_attr)) >= steplen * estate_depth
    }
    names = area_names(paths)
    for row in rows:
        row.estate_name = names.get(getattr(row, path_attr)[: steplen * estate_depth], "")


def ledger_areas(*, actor: Any) -> list[Area]:
    """The areas a ledger can be cut to (街道, 社区, 小区 in scope), for the filter select."""
    areas = list(
        Area.objects.visible_to(actor)
        .filter(
            level__in=[AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA],
        )
        .only("id", "name", "depth", "path", "level")[:2000]
    )
    return areas


def communities_for(*, actor: Any) -> QuerySet[Area]:
    """Communities whose ledgers the actor keeps (an import goes into one of them)."""
    from .policies import LEDGER_KEEPERS

    scope = scope_of(actor)
    communities = Area.objects.filter(level=AreaLevel.COMMUNITY, is_active=True)
    if scope.superuser:
        return communities
    condition = Q(pk__in=[])
    for path in scope.area_paths(LEDGER_KEEPERS):
        condition |= Q(path__startswith=path)
    return communities.filter(condition)

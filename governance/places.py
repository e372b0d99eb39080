"""Places named in full: a household or an area is shown with its path below the reader's
scope (运河花园 / 1号楼 / 1单元101室 for a community worker, 华阳社区 / 运河花园 / … for a
street), never as a bare "1号楼" that every estate has. The names come from one query for a
whole list. ``place_search`` answers the choosers' autocomplete, scoped like every other read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from accounts.scoping import scope_of

from .models import Area, AreaLevel, Household

SEPARATOR = " / "
SEARCH_LIMIT = 20


def _prefixes(path: str) -> list[str]:
    step = Area.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _below_scope(actor: Any, paths: Iterable[str]) -> set[str]:
    """The ancestor paths worth naming: those strictly below the actor's scope node (a
    district-wide actor sees the district's name left out, nothing more)."""
    roots = scope_of(actor).area_paths() or (Area.steplen * "0",)
    wanted: set[str] = set()
    for path in paths:
        root = max((r for r in roots if path.startswith(r)), key=len, default="")
        depth = max(len(root), Area.steplen)
        wanted.update(p for p in _prefixes(path) if len(p) > depth)
    return wanted


def _names(paths: set[str]) -> dict[str, str]:
    return dict(Area.objects.filter(path__in=paths).values_list("path", "name"))


def _labels(actor: Any, items: Sequence[Any], path: str, tail: Any) -> dict[int, str]:
    below = _below_scope(actor, (getattr(item, path) for item in items))
    names = _names(below)
    labels = {}
    for item in items:
        prefixes = _prefixes(getattr(item, path))
        parts = [names[p] for p in prefixes if p in below and p in names]
        labels[item.pk] = tail(item, parts)
    return labels


def area_labels(actor: Any, areas: Sequence[Area]) -> dict[int, str]:
    """Each area's full name below the actor's scope, by id."""
    return _labels(actor, areas, "path", lambda area, parts: SEPARATOR.join(parts) or area.name)


def household_labels(actor: Any, households: Sequence[Household]) -> dict[int, str]:
    """Each household's full address below the actor's scope, by id (with the head's name)."""

    def label(home: Household, parts: list[str]) -> str:
        head = f"（{home.head_name}）" if home.head_name else ""
        return SEPARATOR.join([*parts, home.address]) + head

    return _labels(actor, households, "area_path", label)


def _tokens(query: str) -> list[str]:
    return [t for t in query.replace("/", " ").split() if t][:5]


def _named_paths(areas: QuerySet[Area], token: str) -> list[str]:
    return list(areas.filter(name__icontains=token).values_list("path", flat=True)[:50])


#: What a place chooser may ask for: households, or areas of these levels.
PLACE_KINDS: dict[str, tuple[str, ...]] = {
    "household": (),
    "community": (AreaLevel.COMMUNITY,),
    "estate": (AreaLevel.RESIDENTIAL_AREA,),
    "building": (AreaLevel.BUILDING,),
    "estate_building": (AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING),
    "place": (AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING),
    # What a ledger or a figure is cut to: a street, a community or a residential area.
    "scope": (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA),
    "area": tuple(level for level, _label in AreaLevel.choices),
    "parent": tuple(level for level, _label in AreaLevel.choices if level != AreaLevel.BUILDING),
}


def search_places(
    actor: Any, kind: str, query: str, *, within: QuerySet[Any] | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[dict[str, Any]]:  # fmt: skip
    """The households or areas of ``kind`` in the actor's scope (and in ``within``, a
    chooser's own choices, when given) that match every word of the query."""
    if kind == "household":
        return search_households(actor, query, limit=limit, within=within)
    return search_areas(actor, query, PLACE_KINDS[kind], limit=limit, within=within)


def search_households(
    actor: Any, query: str, limit: int = SEARCH_LIMIT, within: QuerySet[Any] | None = None
) -> list[dict[str, Any]]:
    """Households in scope whose estate, building, unit, room or head's name match every
    word of the query, labelled in full."""
    homes = Household.objects.visible_to(actor).filter(is_active=True)
    if within is not None:
        homes = homes.filter(pk__in=within.order_by().values("pk"))
    areas = Area.objects.visible_to(actor).filter(
        level__in=[AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING]
    )
    for token in _tokens(query):
        condition = Q(room__icontains=token.removesuffix("室")) | Q(head_name__icontains=token)
        condition |= Q(unit=token.removesuffix("单元"))
        for path in _named_paths(areas, token):
            condition |= Q(area_path__startswith=path)
        homes = homes.filter(condition)
    found = list(homes.order_by("area_path", "unit", "room")[:limit])
    labels = household_labels(actor, found)
    return [{"id": h.pk, "label": labels[h.pk]} for h in found]


def search_areas(
    actor: Any, query: str, levels: Sequence[str], limit: int = SEARCH_LIMIT,
    within: QuerySet[Any] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Areas of ``levels`` in scope whose own or ancestors' names match every word."""
    visible = Area.objects.visible_to(actor).filter(is_active=True)
    found_qs = visible.filter(level__in=levels)
    if within is not None:
        found_qs = found_qs.filter(pk__in=within.order_by().values("pk"))
    for token in _tokens(query):
        condition = Q(name__icontains=token)
        for path in _named_paths(visible, token):
            condition |= Q(path__startswith=path)
        found_qs = found_qs.filter(condition)
    found = list(found_qs.order_by("path")[:limit])
    labels = area_labels(actor, found)
    return [{"id": a.pk, "label": labels[a.pk]} for a in found]


def full_paths(areas: Iterable[Area]) -> dict[int, str]:
    """Names from the street down (运河街道 / 华阳社区 / 运河花园) for a list that holds the
    ancestors too (a back-office chooser of every area): no query beyond the list's own."""
    areas = list(areas)
    names = {a.path: a.name for a in areas}
    missing = {p for a in areas for p in _prefixes(a.path) if p not in names}
    names.update(_names(missing))
    labels = {}
    for area in areas:
        parts = [names[p] for p in _prefixes(area.path)[1:] if p in names]
        labels[area.pk] = SEPARATOR.join(parts) or area.name
    return labels


class _PathChoices(forms.models.ModelChoiceIterator):
    """The options read once: the areas, then their ancestors' names in one more query."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        areas = list(self.queryset)
        self.field._labels = full_paths(areas)  # type: ignore[attr-defined]
        for area in areas:
            yield self.choice(area)


class AreaPathChoiceField(forms.ModelChoiceField):
    """A choice of areas labelled with their full paths below the street (运河街道 / 华阳社区,
    no more 20 look-alike "1号楼"s), in path order when the queryset is."""

    iterator = _PathChoices

    def label_from_instance(self, obj: Any) -> str:
        labels: dict[int, str] | None = getattr(self, "_labels", None)
        if labels is None:
            labels = self._labels = full_paths(self.queryset)  # type: ignore[arg-type]
        return labels.get(obj.pk, str(obj))

"""Where is a point, or a written address? The case workflow needs the answer (an Open311
client locates a request by ``lat``/``long`` or ``address_string``), but the map of grids
lives in ``grids``, which sits above ``cases``. So ``grids`` registers its point locator here
when it starts (``GridsConfig.ready``), and ``cases`` asks without importing it.

Addresses are matched against the names of the areas the actor may see: the area whose name,
and as many of its ancestors' names as possible, appear in the text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import StrIndex

from governance.models import Area, AreaLevel

CASE_PLACE_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING)


@dataclass(frozen=True)
class Place:
    """A located place: the area a case is filed on, and the grid it fell in (if any)."""

    area: Area
    grid_name: str = ""


PointLocator = Callable[[Any, float, float], Place | None]
_locators: list[PointLocator] = []


def register_point_locator(locator: PointLocator) -> None:
    if locator not in _locators:
        _locators.append(locator)


def place_at_point(*, actor: Any, longitude: float, latitude: float) -> Place | None:
    """The place of a point within the actor's scope, or None when no grid holds it."""
    for locator in _locators:
        place = locator(actor, longitude, latitude)
        if place is not None:
            return place
    return None


def areas_in_text(*, actor: Any, text: str) -> list[Area]:
    """The best-matching areas of a written address, best first: ties mean the text is
    ambiguous (``1号楼`` alone is in every estate). An empty list: no name matched."""
    text = "".join(text.split())
    if not text:
        return []
    named = list(
        Area.objects.visible_to(actor)
        .filter(is_active=True, level__in=CASE_PLACE_LEVELS)
        .annotate(at=StrIndex(Value(text), F("name")))
        .filter(at__gt=0)
        .only("id", "name", "path", "level", "code")
    )
    paths = {area.path for area in named}
    steplen = Area.steplen

    def score(area: Area) -> tuple[int, int]:
        chain = sum(
            1 for end in range(steplen, len(area.path) + 1, steplen) if area.path[:end] in paths
        )
        return (chain, len(area.path))

    ranked = sorted(named, key=score, reverse=True)
    if not ranked:
        return []
    best = score(ranked[0])
    return [area for area in ranked if score(area) == best]

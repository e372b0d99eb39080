"""The grid map answers ``cases``' question "where is this point?" (``cases.locating``): the
grid whose boundary holds it and, when the grid covers a single residential area, that area;
otherwise the grid's community."""

from __future__ import annotations

from typing import Any

from cases.locating import Place
from governance.models import AreaLevel

from .models import GridCoverage
from .selectors import grid_locate


def grid_place(actor: Any, longitude: float, latitude: float) -> Place | None:
    grid = grid_locate(actor=actor, longitude=longitude, latitude=latitude)
    if grid is None:
        return None
    covered = list(
        GridCoverage.objects.filter(grid=grid, is_active=True, area__is_active=True)
        .select_related("area")
        .only("area__id", "area__name", "area__path", "area__level", "area__code")[:2]
    )
    estates = [c.area for c in covered if c.area.level == AreaLevel.RESIDENTIAL_AREA]
    area = estates[0] if len(covered) == 1 and estates else grid.community
    return Place(area=area, grid_name=grid.name)

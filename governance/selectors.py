"""Reads of the governance backbone, already scoped."""

from typing import Any

from django.shortcuts import get_object_or_404

from .models import Area, AreaQuerySet


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

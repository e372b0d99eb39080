"""Template tags of the grids app: the grid worker's home block and navigation helpers."""

from typing import Any

from django import template

from grids import policies, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def grids_can_view_roster(context: Any) -> bool:
    request = context.get("request")
    return bool(request is not None and policies.can_view_roster(request.user))


@register.inclusion_tag("grids/includes/my_grids_block.html", takes_context=True)
def grids_my_home(context: Any) -> dict[str, Any]:
    """What a grid worker's phone home lists: their grids, visits due and their cases."""
    request = context["request"]
    return {"home": selectors.grid_worker_home(actor=request.user)}

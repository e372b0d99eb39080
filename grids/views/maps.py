"""The grid map: the community's grids drawn from their GeoJSON, and finding the grid that
holds a point."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grids import forms, policies, selectors

from .base import require


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    """The community's grids drawn from their GeoJSON, coloured by staffing or open cases."""
    require(policies.can_view_grids(request.user))
    communities = list(selectors.map_communities(actor=request.user))
    chosen = request.GET.get("community")
    community = next((c for c in communities if str(c.pk) == chosen), None)
    if community is None and communities:
        community = communities[0]
    color = "cases" if request.GET.get("color") == "cases" else "staffing"
    features = selectors.map_grids(actor=request.user, community=community) if community else []
    return render(
        request,
        "grids/grid_map.html",
        {
            "communities": communities,
            "community": community,
            "color": color,
            "geojson": {"type": "FeatureCollection", "features": features},
            "locate_form": forms.LocateForm(),
        },
    )


@login_required
def grid_locate(request: HttpRequest) -> HttpResponse:
    """Which grid holds a point (longitude, latitude)? Opens it, or says none does."""
    require(policies.can_view_grids(request.user))
    form = forms.LocateForm(request.GET or None)
    if not form.is_valid():
        messages.error(request, _("请输入有效的经度和纬度。"))
        return redirect("grids:grid_map")
    grid = selectors.grid_locate(actor=request.user, **form.cleaned_data)
    if grid is None:
        messages.warning(request, _("该位置不在您辖区内任何网格之中。"))
        return redirect("grids:grid_map")
    messages.success(request, _("该位置属于网格“%(name)s”。") % {"name": grid.name})
    return redirect("grids:grid_detail", pk=grid.pk)

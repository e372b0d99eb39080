"""The report form's place from the phone's position: the chooser asks, after geolocation,
which place the grid map puts the point in (``cases.locating``), within the reporter's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from governance.places import area_labels

from . import policies
from .locating import place_at_point


@login_required
@require_GET
def case_new_place(request: HttpRequest) -> JsonResponse:
    """``{"id", "label", "grid"}`` of the point's place, ``{}`` when no grid of the reporter's
    scope holds it, 400 for coordinates that are not numbers on the globe."""
    if not (policies.can_use_cases(request.user) and policies.can_report(request.user)):
        raise PermissionDenied
    try:
        longitude = float(request.GET.get("longitude", ""))
        latitude = float(request.GET.get("latitude", ""))
    except ValueError:
        return JsonResponse({}, status=400)
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        return JsonResponse({}, status=400)
    place = place_at_point(actor=request.user, longitude=longitude, latitude=latitude)
    if place is None:
        return JsonResponse({})
    label = area_labels(request.user, [place.area])[place.area.pk]
    return JsonResponse({"id": place.area.pk, "label": label, "grid": place.grid_name})

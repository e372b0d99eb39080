"""The places choosers' autocomplete: ``/governance/places/?kind=household&q=运河 101``
answers the households (or areas) in the reader's scope that match, named in full."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from governance.models import AreaLevel
from governance.places import search_areas, search_households

#: What a chooser may ask for: households, or areas of these levels.
AREA_KINDS: dict[str, list[str]] = {
    "community": [AreaLevel.COMMUNITY],
    "estate": [AreaLevel.RESIDENTIAL_AREA],
    "building": [AreaLevel.BUILDING],
    "place": [AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING],
    "area": [level for level, _label in AreaLevel.choices],
}


@login_required
@require_GET
def place_search(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "household")
    if kind == "household":
        results = search_households(request.user, query)
    elif kind in AREA_KINDS:
        results = search_areas(request.user, query, AREA_KINDS[kind])
    else:
        return JsonResponse({"results": [], "error": "kind"}, status=400)
    return JsonResponse({"results": results})

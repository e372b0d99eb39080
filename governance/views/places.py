"""The places choosers' autocomplete: ``/governance/places/?kind=household&q=运河 101``
answers the households (or areas) in the reader's scope that match, named in full."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from governance.places import PLACE_KINDS, search_places


@login_required
@require_GET
def place_search(request: HttpRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "household")
    if kind not in PLACE_KINDS:
        return JsonResponse({"results": [], "error": "kind"}, status=400)
    return JsonResponse({"results": search_places(request.user, kind, query)})

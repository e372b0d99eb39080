"""The benchmark's own pages, mounted by config/urls.py under the benchmark's settings only."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from .peers import tuned_site


def floor(request: HttpRequest) -> HttpResponse:
    """The framework's floor: a response with no database and no template."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("floor", floor),
    path("admin/", tuned_site.urls),
]

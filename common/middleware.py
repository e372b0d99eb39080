"""Input no page or API may take: a NUL character (``%00``, ``\\u0000``) in the address, the
query or a form or JSON body. PostgreSQL refuses it in text, so it would end as a server error
deep in a query; here it is a 400 at the door (the error page, or the API's error contract
under ``/api/`` and ``/open311/``, through ``handler400``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_plus

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.content_type in FORM_TYPES:
        return any("\x00" in value for _key, values in request.POST.lists() for value in values)
    if (request.content_type or "").endswith("json"):
        return b"\x00" in request.body or b"\\u0000" in request.body
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            raise BadRequest("a NUL character in the request")
        return self.get_response(request)

"""The query string that a list page's links build on."""

from django.http import HttpRequest, QueryDict


def list_query(request: HttpRequest, *drop: str) -> QueryDict:
    """The request's query without the page number and the export flag (and the keys in
    ``drop``): pagination, sorting and export links add their own parameter to it."""
    query = request.GET.copy()
    for key in ("page", "export", *drop):
        query.pop(key, None)
    return query

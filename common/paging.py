"""Pagination that sorts first and joins after.

A list such as the case queue filters many rows (a department may have thousands of dispatched
cases), sorts them and shows 20. With its ``select_related`` joins in the same statement,
PostgreSQL often joins every matching row before the top-N sort. These paginators take the page's
primary keys from the bare query (``values_list`` drops the joins), then load those rows with
their joins (and only the columns ``base`` loads) in a second, 20-row query, in the same order:
two queries, both cheap, whatever the size of the list.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from common.api.pagination import PortalPagination


def late_join(rows: Any, base: Any) -> list[Any]:
    """The page's rows: ids from the sorted bare query ``rows`` (a slice of ``base``, so already
    scoped and filtered), then those rows by primary key with ``base``'s joins and prefetches.
    The scope is not applied twice: the ids came through it."""
    if not isinstance(rows, QuerySet) or not isinstance(base, QuerySet):
        return list(rows)
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return []
    page = base.model._default_manager.filter(pk__in=ids)
    page.query.select_related = base.query.select_related
    page.query.deferred_loading = base.query.deferred_loading  # base's only() or defer()
    page = page.prefetch_related(*base._prefetch_related_lookups)  # type: ignore[attr-defined]
    by_id = {obj.pk: obj for obj in page}
    return [by_id[pk] for pk in ids if pk in by_id]


class LateJoinPaginator(Paginator):
    """``Paginator`` whose pages are loaded by :func:`late_join`. ``known`` is a count the
    caller already has (the queue counts its tabs in one aggregate), so it is not counted again."""

    def __init__(self, *args: Any, known: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known = known

    @cached_property
    def count(self) -> int:
        """Counted once per paginator (the page range, the template and DRF all ask)."""
        if self.known is not None:
            return self.known
        return int(Paginator.count.func(self))  # type: ignore[attr-defined]

    def _get_page(self, object_list: Any, number: Any, paginator: Paginator) -> Page:
        return Page(late_join(object_list, self.object_list), number, paginator)


class LateJoinPagination(PortalPagination):
    """The API's page-number pagination with :class:`LateJoinPaginator`."""

    django_paginator_class = LateJoinPaginator

"""What the pages of 红色物业 share: the ledger skeleton (filters, sortable headers, paging,
Excel export, empty state: a ledger is a declaration), the permission guard, form errors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict, form_errors
from common.excel import xlsx_response
from common.listing import list_query

PER_PAGE = 20
EXPORT_LIMIT = 50_000


def need(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def refuse(request: HttpRequest, exc: ValidationError | Conflict) -> None:
    """A service's refusal as messages on the page (for actions without their own form)."""
    texts = [str(exc.message)] if isinstance(exc, Conflict) else exc.messages
    for text in texts:
        messages.error(request, text)


def show_errors(form: forms.Form, exc: ValidationError | Conflict) -> None:
    form_errors(form, exc)


@dataclass(frozen=True)
class Column:
    label: str | Promise
    cell: Callable[[Any], Any]
    sort: str = ""
    link: Callable[[Any], str] | None = None
    export_only: bool = False


@dataclass(frozen=True)
class Ledger:
    """A ledger page: its title, columns and the tab it sits under. ``respond`` shows one page of
    ``rows`` (already scoped, filtered, sorted), or with ``?export=xlsx`` the Excel file of all
    of them (audited)."""

    key: str
    title: str | Promise
    columns: Sequence[Column]
    default_ordering: str
    empty: str | Promise = ""
    decorate: Callable[[list[Any]], None] | None = None
    actions: Sequence[tuple[str | Promise, str]] = field(default_factory=tuple)

    def ordering(self, request: HttpRequest) -> str:
        return request.GET.get("o") or self.default_ordering

    def respond(
        self,
        request: HttpRequest,
        rows: Any,
        filter_form: forms.Form | None = None,
        **context: Any,
    ) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            audit_record(
                action=AuditAction.EXPORT,
                actor=request.user,
                request=request,
                target=str(self.title),
                detail={"query": request.GET.urlencode()[:500]},
            )
            batch = list(rows[:EXPORT_LIMIT])
            if self.decorate is not None:
                self.decorate(batch)
            return xlsx_response(
                filename=str(self.title),
                title=str(self.title),
                headers=[str(c.label) for c in self.columns],
                rows=([_plain(c.cell(row)) for c in self.columns] for row in batch),
            )
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        if self.decorate is not None:
            self.decorate(shown)
        ordering = self.ordering(request)
        unordered = list_query(request, "o").urlencode()
        headers = []
        for column in self.columns:
            if column.export_only:
                continue
            link = ""
            if column.sort:
                target = f"-{column.sort}" if ordering == column.sort else column.sort
                link = f"?{unordered}&o={target}" if unordered else f"?o={target}"
            headers.append({"label": column.label, "link": link, "sort": column.sort})
        table = [
            [
                {"label": c.label, "value": c.cell(row), "link": c.link(row) if c.link else ""}
                for c in self.columns
                if not c.export_only
            ]
            for row in shown
        ]
        return render(
            request,
            context.pop("template", "property_mgmt/ledger.html"),
            {
                "ledger": self,
                "page": page,
                "table": table,
                "headers": headers,
                "ordering": ordering,
                "query": list_query(request).urlencode(),
                "filter_form": filter_form,
                **context,
            },
        )


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if value is None:
        return ""
    if isinstance(value, Promise):
        return str(value)
    return value


def yes(value: bool) -> str:
    return _("是") if value else ""

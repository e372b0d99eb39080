"""One list page for every ledger (台账) and list: a declaration, not a copy.

A page subclasses :class:`ListPage` and declares what differs: its title, its columns (and,
when the Excel file carries more or other columns, its export columns), its filter form, the
selector call that gives the rows, and who may see it. The base does the rest the same way on
every page: filter bar, sortable column headers (``?o=``), pagination, Excel export with the
page's filters (``?export=xlsx``; above a few thousand rows a job with a progress page,
``common.exports``), the empty state, and a table that stacks into labelled
lines on a phone. The template skeleton is ``templates/includes/list_page.html``; a page that
needs more (tabs, figures, its own table) extends it and fills its blocks.

The shared helpers stay below the apps: the base imports no app. Auditing an export (which
every page must do, in its app's own words) is the :meth:`ListPage.exported` hook.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from operator import attrgetter
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View

from common import fragments
from common.excel import xlsx_response
from common.exports import (
    export_job_create,
    export_job_unsent,
    register_page,
    row_count,
    sync_rows,
)
from common.listing import list_query
from common.tasks import run_export_task

log = logging.getLogger(__name__)

#: What an empty cell shows.
EMPTY = "—"
#: Django date formats with a strftime equal (a fifth of the time: dates are most cells).
STRFTIME = {
    "Y-m-d": "%Y-%m-%d",
    "Y-m-d H:i": "%Y-%m-%d %H:%M",
    "Y-m-d H:i:s": "%Y-%m-%d %H:%M:%S",
    "H:i": "%H:%M",
    "Y-m": "%Y-%m",
}


def cell_text(value: Any, date_format: str = "Y-m-d") -> str:
    """A cell value as the page shows it: dates in ``date_format`` (local time), nothing as
    a dash; numbers (0 too) and text as they are."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        fast = STRFTIME.get(date_format)
        return value.strftime(fast) if fast is not None else format_date(value, date_format)
    return str(value)


@dataclass(frozen=True)
class Column:
    """One column of a list.

    ``value`` gives a row's cell: the Excel export writes it as it is (numbers stay numbers,
    dates dates), the page shows it as text (:func:`cell_text`). ``html`` replaces what the
    page shows (a badge, a coloured state; build it with ``format_html``). ``sort`` is the
    ``?o=`` key of the column: ``"name"`` sorts ascending on the first click, ``"-date"``
    descending; a second click reverses. ``link`` makes the cell a link to ``link(row)``.
    ``hide_label`` is for a column of buttons: its header is read by screen readers only."""

    label: Any
    value: Callable[[Any], Any]
    sort: str = ""
    link: Callable[[Any], str] | None = None
    html: Callable[[Any], SafeString] | None = None
    css: str = ""
    date_format: str = "Y-m-d"
    hide_label: bool = False

    def cell_value(self, row: Any, page: ListPage) -> Any:
        """The row's value for ``page`` (a subclass may consult the page, e.g. whether it
        shows plain personal data)."""
        return self.value(row)

    def exporter(self, page: ListPage) -> Callable[[Any], Any]:
        """``cell_value`` for ``page`` as one function of the row, made once per export (a
        method call per cell, and the page's tables looked up again, were a third of the rows'
        time); a column that overrides ``cell_value`` keeps it."""
        if type(self).cell_value is Column.cell_value:
            return self.value
        return partial(self.cell_value, page=page)

    def content(self, row: Any, page: ListPage) -> SafeString:
        if self.html is not None:
            shown = self.html(row)
        else:
            shown = conditional_escape(cell_text(self.cell_value(row, page), self.date_format))
        if self.link is not None:
            shown = format_html('<a href="{}">{}</a>', self.link(row), shown)
        return shown


@dataclass(frozen=True)
class ChoiceColumn(Column):
    """A choice field's label, as ``get_<name>_display()`` gives it, from a table the page
    makes once (``get_FOO_display`` hashes every lazy label of the field on each call: most of
    an export's time). Blank for a blank value."""

    field: Any = None

    def cell_value(self, row: Any, page: ListPage) -> Any:
        raw = self.value(row)
        if raw in ("", None):
            return ""
        return page.choice_label(self.field, raw)

    def exporter(self, page: ListPage) -> Callable[[Any], Any]:
        if type(self).cell_value is not ChoiceColumn.cell_value:
            return super().exporter(page)
        value = self.value
        labels = {key: page.choice_label(self.field, key) for key, _label in self.field.flatchoices}

        def label(row: Any) -> Any:
            raw = value(row)
            if raw in ("", None):
                return ""
            return labels.get(raw, raw)

        return label


@dataclass(frozen=True)
class FlagColumn(Column):
    """``text`` (translated once per page) where the row's flag is set, blank otherwise."""

    text: Any = ""

    def cell_value(self, row: Any, page: ListPage) -> Any:
        return page.translated(self.text) if self.value(row) else ""

    def exporter(self, page: ListPage) -> Callable[[Any], Any]:
        if type(self).cell_value is not FlagColumn.cell_value:
            return super().exporter(page)
        value, text = self.value, page.translated(self.text)
        return lambda row: text if value(row) else ""


def choice_column(
    label: Any, model: Any, name: str, sort: str = "", **options: Any
) -> ChoiceColumn:
    return ChoiceColumn(label, attrgetter(name), sort, field=model._meta.get_field(name), **options)


def flag_column(label: Any, name: str, text: Any) -> FlagColumn:
    return FlagColumn(label, attrgetter(name), text=text)


@dataclass(frozen=True)
class Action:
    """A button in the page head (``style``: "primary", "plain" or "" for a normal one)."""

    label: Any
    url: str
    style: str = ""


@dataclass(frozen=True)
class Header:
    label: Any
    link: str = ""
    css: str = ""
    #: "ascending" or "descending" when the list is sorted by this column (``aria-sort``).
    direction: str = ""
    hide_label: bool = False

    @property
    def arrow(self) -> str:
        return {"ascending": " ↑", "descending": " ↓"}.get(self.direction, "")


@dataclass(frozen=True)
class Cell:
    label: Any
    content: SafeString
    css: str = ""
    hide_label: bool = False


@dataclass(frozen=True)
class Row:
    obj: Any
    cells: list[Cell] = field(default_factory=list)
    css: str = ""


def in_chunks(rows: Any, size: int) -> Iterator[list[Any]]:
    """``rows`` in lists of ``size``; a queryset is read with a server-side cursor."""
    source: Iterable[Any] = rows.iterator(chunk_size=size) if isinstance(rows, QuerySet) else rows
    chunk: list[Any] = []
    for row in source:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _enqueue_export(job_id: int) -> None:
    """Hand the export job to a worker once its row has committed. A broker that cannot take
    it must not turn the answered request into a 500 (the callback runs inside the request, or
    when an outer transaction commits): the job ends as unsent (``export_job_unsent``)."""
    try:
        run_export_task.delay(job_id)
    except Exception as exc:
        conf = run_export_task.app.conf
        if conf.task_always_eager and conf.task_eager_propagates:
            raise
        log.exception("export %s could not be queued", job_id)
        export_job_unsent(job_id, type(exc).__name__)


class ListPage(LoginRequiredMixin, View):
    """The base of every list page. Declare the attributes below and override
    :meth:`get_rows` (the scoped selector call), :meth:`allowed` and :meth:`exported`;
    the other methods are hooks with a sensible default."""

    #: The page's name: ``<title>``, heading, and the Excel file's and sheet's name.
    title: Any = ""
    #: A longer heading than the title, when there is one.
    heading: Any = None
    #: The Excel file's name when it differs from the title (e.g. "网格台账").
    export_name: Any = None
    #: A line under the heading saying what the list is.
    intro: Any = ""
    columns: Sequence[Column] = ()
    #: The Excel file's columns, when they are not the page's.
    export_columns: Sequence[Column] | None = None
    exportable: bool = True
    #: At most this many rows in the file (None: all); the job's page says so when it cuts.
    export_limit: int | None = None
    export_chunk: int = 2000
    #: The filter form, built from the query string (``form_class(request.GET or None)``);
    #: override :meth:`get_form` when it needs more (choices in the actor's scope).
    form_class: type[BaseForm] | None = None
    #: The ``?o=`` value when none (or, with ``orderings``, an unknown one) is given.
    default_ordering: str = ""
    #: The ``?o=`` values the selector knows; ``None`` passes any value on.
    orderings: Collection[str] | None = None
    #: Query parameters kept through the filter form besides ``o`` (e.g. ``grid``).
    keep: Sequence[str] = ()
    per_page: int = 20
    paginator_class: type[Paginator] = Paginator
    template_name: str = "includes/list_page.html"
    empty_text: Any = _("没有符合条件的记录。")
    #: ``data-testid`` of the table.
    table_id: str = "list"
    #: Keep the rendered filter bar (``common.fragments``) per user, language and filter
    #: values. Only for a form whose choices are all plain constants or model choices over
    #: watched models (a choice list built from the database any other way would go stale);
    #: a bar with errors, or with a model that is not watched, is always rendered.
    filter_cache: bool = False
    #: The models besides the fields' querysets whose changes change the bar: the actor's
    #: grants decide which areas it offers.
    filter_depends: Sequence[str] = ("accounts.RoleGrant",)

    http_method_names = ["get", "head", "options"]
    request: HttpRequest

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register_page(cls)  # an export job rebuilds the page by this name

    # --- what a page declares ------------------------------------------------------------

    def allowed(self, user: Any) -> bool:
        """May ``user`` open this page? (Refused: 403.) Rows are scoped by the selector."""
        return True

    def get_rows(self) -> Any:
        """The rows, filtered by ``self.filters`` and sorted by ``self.ordering``: one call
        of a scoped selector (a queryset, so that paging and export read only what they
        need)."""
        raise NotImplementedError

    def exported(self, rows: Any) -> None:
        """Audit an export (called before the file is written). Every exportable page says
        how: the helpers cannot import the audit log."""
        raise NotImplementedError(f"{type(self).__name__} does not say how its export is audited")

    # --- hooks ---------------------------------------------------------------------------

    def get_form(self) -> BaseForm | None:
        if self.form_class is None:
            return None
        return self.form_class(self.request.GET or None)

    def get_filters(self, form: BaseForm | None) -> dict[str, Any]:
        """The filter form's valid data; none (the whole list) when it is not valid."""
        if form is None or not form.is_valid():
            return {}
        return dict(form.cleaned_data)

    def get_ordering(self) -> str:
        ordering = self.request.GET.get("o") or self.default_ordering
        if self.orderings is not None and ordering not in self.orderings:
            return self.default_ordering
        return ordering

    def get_columns(self) -> Sequence[Column]:
        return self.columns

    def choice_label(self, field: Any, value: Any) -> Any:
        """The label of ``value`` of a choice field, in this request's language."""
        tables = self.__dict__.setdefault("_choice_labels", {})
        table = tables.get(field)
        if table is None:
            table = tables[field] = {key: str(label) for key, label in field.flatchoices}
        return table.get(value, value)

    def translated(self, text: Any) -> str:
        """``str(text)`` of a lazy text, once per page."""
        texts = self.__dict__.setdefault("_texts", {})
        # by identity: a lazy text's hash translates it, on each lookup
        found = texts.get(id(text))
        if found is None or found[0] is not text:
            found = texts[id(text)] = (text, str(text))
        result: str = found[1]
        return result

    def get_export_columns(self) -> Sequence[Column]:
        return self.export_columns if self.export_columns is not None else self.get_columns()

    def get_paginator(self, rows: Any) -> Paginator:
        return self.paginator_class(rows, self.per_page)

    def prepare(self, rows: list[Any]) -> None:
        """Complete the rows about to be shown or exported (a chunk at a time) with what the
        selector's query cannot carry, in a constant number of queries."""

    def shown(self, rows: list[Any]) -> None:
        """Called with the page's rows once they are loaded (e.g. to audit a plain view)."""

    def row_css(self, row: Any) -> str:
        return ""

    def get_actions(self) -> list[Action]:
        """Buttons in the page head before the export button (create, import, …)."""
        return []

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        """The template's context; a page adds its own (figures, permissions) here."""
        return context

    # --- the page ------------------------------------------------------------------------

    @property
    def exporting(self) -> bool:
        return self.exportable and self.request.GET.get("export") == "xlsx"

    def load(self) -> Any:
        """The rows of the request: permission, filter form, filters, ordering, selector."""
        if not self.allowed(self.request.user):
            raise PermissionDenied
        self.form = self.get_form()
        self.filters = self.get_filters(self.form)
        self.ordering = self.get_ordering()
        return self.get_rows()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = self.load()
        if self.exporting:
            return self.export(rows)
        page = self.get_paginator(rows).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        self.prepare(page.object_list)
        self.shown(page.object_list)
        return render(request, self.template_name, self.page_context(page))

    def export(self, rows: Any) -> HttpResponse:
        """Up to ``PORTAL_EXPORT_SYNC_ROWS`` rows: the file now. More: a job for a worker
        (common.exports) and its page, which says how many rows and shows the progress."""
        name = str(self.export_name or self.title)
        total = row_count(rows)
        if self.export_limit is not None:
            total = min(total, self.export_limit)
        if total > sync_rows():
            self.exported(rows)
            job = export_job_create(
                user=self.request.user, title=name, page=self, request=self.request, total=total
            )
            transaction.on_commit(partial(_enqueue_export, job.pk))
            return redirect("exports:status", pk=job.pk)
        self.exported(rows)
        columns = self.get_export_columns()
        return xlsx_response(
            filename=name,
            title=name,
            headers=[str(column.label) for column in columns],
            rows=self.export_rows(rows, columns),
        )

    def export_rows(self, rows: Any, columns: Sequence[Column]) -> Iterator[list[Any]]:
        getters = [column.exporter(self) for column in columns]

        def cells(row: Any) -> list[Any]:
            return [getter(row) for getter in getters]

        for chunk in in_chunks(rows[: self.export_limit], self.export_chunk):
            self.prepare(chunk)
            yield from map(cells, chunk)

    def headers(self) -> list[Header]:
        unordered = list_query(self.request, "o").urlencode()
        headers = []
        for column in self.get_columns():
            link, direction = "", ""
            if column.sort:
                key = column.sort.lstrip("-")
                target = column.sort
                if self.ordering == key:
                    direction, target = "ascending", f"-{key}"
                elif self.ordering == f"-{key}":
                    direction, target = "descending", key
                link = f"?{unordered}&o={target}" if unordered else f"?o={target}"
            headers.append(Header(column.label, link, column.css, direction, column.hide_label))
        return headers

    def row(self, obj: Any) -> Row:
        cells = [
            Cell(column.label, column.content(obj, self), column.css, column.hide_label)
            for column in self.get_columns()
        ]
        return Row(obj, cells, self.row_css(obj))

    def table_html(self, headers: Sequence[Header], table: Sequence[Row]) -> SafeString:
        """The table of ``templates/includes/list_page.html``, written here: twenty rows of a
        dozen cells were the costliest part of a ledger page in the template language."""
        parts = [f'<table class="table table--stack" data-testid="{escape(self.table_id)}">']
        parts.append("<thead><tr>")
        for header in headers:
            label: str = conditional_escape(header.label)
            css = f' class="{escape(header.css)}"' if header.css else ""
            sort = f' aria-sort="{escape(header.direction)}"' if header.direction else ""
            if header.hide_label:
                label = f'<span class="visually-hidden">{label}</span>'
            elif header.link:
                label = f'<a href="{escape(header.link)}">{label}{header.arrow}</a>'
            parts.append(f'<th scope="col"{css}{sort}>{label}</th>')
        parts.append("</tr></thead>\n<tbody>")
        labels: dict[int, tuple[Any, str]] = {}
        for row in table:
            parts.append(f'<tr class="{escape(row.css)}">' if row.css else "<tr>")
            for cell in row.cells:
                known = labels.get(id(cell.label))
                if known is None or known[0] is not cell.label:
                    known = labels[id(cell.label)] = (cell.label, conditional_escape(cell.label))
                attrs = "" if cell.hide_label else f' data-label="{known[1]}"'
                if cell.css:
                    attrs += f' class="{escape(cell.css)}"'
                parts.append(f"<td{attrs}>{conditional_escape(cell.content)}</td>")
            parts.append("</tr>\n")
        parts.append("</tbody>\n</table>")
        return SafeString("".join(parts))

    def filter_fields(self) -> SafeString:
        """The filter bar's fields, rendered (or as kept, with ``filter_cache``)."""
        if self.form is None:
            return SafeString("")
        key = self.filter_key(self.form) if self.filter_cache else None
        if key is not None:
            kept = cache.get(key)
            if kept is not None:
                return SafeString(kept)
        html = render_to_string("includes/filter_fields.html", {"form": self.form})
        if key is not None:
            cache.set(key, str(html), fragments.TIMEOUT)
        return SafeString(html)

    def filter_key(self, form: BaseForm) -> str | None:
        """The cache key of the rendered bar, or None when it must be rendered: who asks, in
        which language, with which values, and the versions of the models it offers."""
        if form.is_bound and form.errors:
            return None
        labels = list(self.filter_depends)
        for form_field in form.fields.values():
            queryset = getattr(form_field, "queryset", None)
            if queryset is not None:
                labels.append(queryset.model._meta.label)
        if not all(fragments.watched(label) for label in labels):
            return None
        values = [
            (name, form.data.getlist(form.add_prefix(name)) if form.is_bound else [])  # type: ignore[attr-defined]
            for name in form.fields
        ]
        digest = hashlib.sha256(
            repr((values, sorted(zip(labels, fragments.versions(labels), strict=True)))).encode()
        ).hexdigest()[:32]
        page = f"{type(self).__module__}.{type(self).__qualname__}"
        return f"fragments:filters:{page}:{get_language()}:{self.request.user.pk}:{digest}"

    def hidden_inputs(self) -> list[tuple[str, str]]:
        """Query parameters the filter form carries on: the ordering and ``keep``."""
        return [
            (name, self.request.GET[name])
            for name in ("o", *self.keep)
            if self.request.GET.get(name)
        ]

    def page_context(self, page: Page) -> dict[str, Any]:
        query = list_query(self.request).urlencode()
        export = f"?{query}&export=xlsx" if query else "?export=xlsx"
        headers = self.headers()
        table = [self.row(obj) for obj in page.object_list]
        return self.get_context_data(
            view=self,
            title=self.title,
            heading=self.heading or self.title,
            form=self.form,
            filter_fields=self.filter_fields(),
            page=page,
            query=query,
            ordering=self.ordering,
            headers=headers,
            table=table,
            # called by the template only where it shows the common table
            table_html=partial(self.table_html, headers, table),
            actions=self.get_actions(),
            export_url=export if self.exportable else "",
            hidden=self.hidden_inputs(),
        )

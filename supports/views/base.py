"""What the supports pages share: the permission guard, the list-page base (export audited,
the supports tabs above), a form page and an import page, and the streets offered to a
street filter."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import AuditAction
from accounts.services import audit_record
from common.excel import XLSX
from common.listpage import ListPage
from common.pages import form_view
from governance.models import AreaLevel

from .. import imports
from ..selectors._base import areas_in_scope


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def pk_of(obj: Any) -> int | None:
    return obj.pk if obj is not None else None


def streets(request: HttpRequest, roles: Any = None) -> Any:
    return areas_in_scope(actor=request.user, level=AreaLevel.STREET, roles=roles)


def communities(request: HttpRequest, roles: Any = None) -> Any:
    return areas_in_scope(actor=request.user, level=AreaLevel.COMMUNITY, roles=roles)


class SupportsListPage(ListPage):
    """A supports ledger: under the supports tabs, the export audited under its name.
    ``summary_template`` is an include shown between the heading and the filters."""

    template_name = "supports/ledger.html"
    tab = ""
    summary_template = ""

    def exported(self, rows: Any) -> None:
        audit_record(
            action=AuditAction.EXPORT,
            actor=self.request.user,
            request=self.request,
            target=str(self.export_name or self.title),
        )


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: Any,
    tab: str,
    back: str = "",
    intro: Any = "",
    **handling: Any,
) -> HttpResponse:
    """The one page for a form that creates or edits a row, under the supports tab ``tab``:
    :func:`common.pages.form_view` (``handling`` is its ``save``, ``message`` and
    ``success_url``) on the supports form template."""
    return form_view(
        request,
        form,
        template="supports/form.html",
        context={"title": title, "tab": tab, "back": back, "intro": intro},
        **handling,
    )


def template_download(spec: imports.Template, name: str) -> HttpResponse:
    response = HttpResponse(imports.template_workbook(spec), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="template-{name}.xlsx"; '
        f"filename*=UTF-8''{quote(str(spec.title))}.xlsx"
    )
    return response


def import_page(
    request: HttpRequest, *, spec: imports.Template, form: Any, plan: Any, tab: str, back: str
) -> HttpResponse:
    return render(
        request,
        "supports/import.html",
        {"spec": spec, "form": form, "plan": plan, "tab": tab, "back": back},
    )

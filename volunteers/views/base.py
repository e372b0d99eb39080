"""What the 双报到 pages share: the guard, the list-page base (under the app's tabs, the export
audited under the list's name), messages for refusals posted from a detail page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.models import AuditAction
from accounts.services import audit_record
from common import once
from common.errors import Conflict
from common.excel import XLSX
from common.importpages import import_submit
from common.imports import Template
from common.listpage import ListPage
from governance.models import Area, Department

from .. import forms, policies, selectors


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def refusal(request: HttpRequest, exc: ValidationError | Conflict) -> None:
    """A service's refusal of an action posted from a detail page, shown there."""
    if isinstance(exc, Conflict):
        messages.warning(request, str(exc.message))
        return
    for text in exc.messages:
        messages.error(request, text)


def act_once(request: HttpRequest, act: Callable[[], None]) -> None:
    """An action posted from a detail page, run once per posted one-time token
    (:func:`common.once.submit_once`; the form carries ``{% once_token %}``): a double click
    takes effect once and the second says so. A refusal (``ValidationError``, ``Conflict``) is
    shown by :func:`refusal` and gives the token back. The caller redirects back."""

    def run() -> bool:
        try:
            act()
        except (ValidationError, Conflict) as exc:
            refusal(request, exc)
            return False
        return True

    once.submit_once(request, run, page=False)


class VolunteersListPage(ListPage):
    """A 双报到 list: under the app's tabs, the export audited under the list's name."""

    template_name = "volunteers/ledger.html"
    #: The tab the page is under.
    tab = ""
    # The bars offer constants, the years around today, and areas, departments and teams in
    # the actor's scope: kept while none of those changes (a model that is not watched, a
    # bar that is never kept; common.fragments).
    filter_cache = True

    def allowed(self, user: Any) -> bool:
        return policies.can_use(user)

    def exported(self, rows: Any) -> None:
        audit_record(
            action=AuditAction.EXPORT,
            actor=self.request.user,
            request=self.request,
            target=str(self.export_name or self.title),
            detail={"query": self.request.GET.urlencode()[:500]},
        )

    def communities(self) -> QuerySet[Area]:
        return selectors.communities_for(actor=self.request.user).order_by("path")

    def departments(self) -> QuerySet[Department]:
        return selectors.departments_for(actor=self.request.user)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["tab"] = self.tab
        return context


def import_page(
    request: HttpRequest, *, kind: str, spec: Template, template: Callable[[], bytes],
    runner: Callable[..., Any], target: str, context: dict[str, Any],
) -> HttpResponse:  # fmt: skip
    """An Excel import page: the template (``?template=1``), or a filled one queued as a job
    for ``runner`` (``common.importpages``) with ``{"kind": kind}``; any bad row: nothing
    imported, every bad row and its reasons shown."""
    if request.GET.get("template"):
        response = HttpResponse(template(), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="template-{kind}.xlsx"; '
            f"filename*=UTF-8''{quote(str(spec.title))}.xlsx"
        )
        return response
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        answer, plan = import_submit(
            request,
            form,
            runner=runner,
            title=spec.title,
            upload=form.cleaned_data["file"],
            params={"kind": kind},
            target=reverse(target),
        )
        if answer is not None:
            return answer
    return render(
        request, "volunteers/import.html", {"form": form, "plan": plan, "spec": spec, **context}
    )

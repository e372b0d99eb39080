"""Pages: parse input, resolve objects through a scoped selector, call one service, render."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AuditAction
from accounts.personal_data import can_unmask, mask_phone
from accounts.services import audit_record, audit_unmask
from common import once
from common.errors import Conflict, form_errors
from common.files import private_file_response
from common.listing import list_query
from common.listpage import Action, Column, ListPage, choice_column, flag_column
from common.paging import LateJoinPaginator

from . import calendar, policies, selectors, services
from .exporting import FIELDS as EXPORT_FIELDS
from .exporting import ExportNames
from .forms import CaseFilterForm, ReportForm, TransitionForm
from .models import Case
from .rows import only_shown
from .workflow import TRANSITIONS

PAGE_SIZE = 20


def _require_cases(request: HttpRequest) -> None:
    if not policies.can_use_cases(request.user):
        raise PermissionDenied


class CaseListPage(ListPage):
    """事件台账: the cases in the actor's scope, filtered, sorted, paged (late join) and
    exported to Excel."""

    title = gettext_lazy("事件")
    export_name = gettext_lazy("事件台账")
    template_name = "cases/case_list.html"
    table_id = "case-table"
    empty_text = gettext_lazy("没有符合条件的事件。")
    default_ordering = selectors.DEFAULT_ORDERING
    orderings = selectors.ORDERINGS
    per_page = PAGE_SIZE
    paginator_class = LateJoinPaginator
    filter_cache = True  # constants, categories and areas (all watched)
    # The page shows cases/includes/case_rows.html (shared with the queue); these columns are
    # the Excel file's, over the plain rows of cases.exporting.
    export_columns = (
        Column(gettext_lazy("编号"), attrgetter("number")),
        Column(gettext_lazy("标题"), attrgetter("title")),
        Column(gettext_lazy("类别"), attrgetter("category")),
        choice_column(gettext_lazy("状态"), Case, "state"),
        choice_column(gettext_lazy("层级"), Case, "tier"),
        Column(gettext_lazy("街道/镇"), attrgetter("street_name")),
        Column(gettext_lazy("社区"), attrgetter("community_name")),
        Column(gettext_lazy("位置"), attrgetter("area_name")),
        Column(gettext_lazy("详细地址"), attrgetter("address")),
        choice_column(gettext_lazy("来源"), Case, "source"),
        flag_column(gettext_lazy("加急"), "is_urgent", gettext_lazy("是")),
        choice_column(gettext_lazy("督办"), Case, "supervision"),
        choice_column(gettext_lazy("时限"), Case, "alert"),
        Column(gettext_lazy("上报时间"), attrgetter("created_at")),
        Column(gettext_lazy("办理期限"), attrgetter("due_at")),
        Column(gettext_lazy("关闭时间"), attrgetter("closed_at")),
        choice_column(gettext_lazy("满意度"), Case, "satisfaction"),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_use_cases(user)

    def get_form(self) -> CaseFilterForm:
        return CaseFilterForm(self.request.GET or None, actor=self.request.user)

    def get_filters(self, form: Any) -> dict[str, Any]:
        return {"filters": form.filters()}

    def get_rows(self) -> Any:
        rows = selectors.case_list(
            actor=self.request.user, filters=self.filters["filters"], ordering=self.ordering
        )
        if self.exporting:
            self.names = ExportNames()
            return rows.select_related(None).values(*EXPORT_FIELDS)
        return only_shown(rows)

    def prepare(self, rows: list[Any]) -> None:
        if self.exporting:
            rows[:] = self.names.rows(rows)

    def exported(self, rows: Any) -> None:
        audit_record(
            action=AuditAction.EXPORT, actor=self.request.user, request=self.request, target="cases"
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_report(self.request.user):
            return []
        return [Action(_("上报事件"), reverse("cases:new"), "primary")]

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["query_without_order"] = list_query(self.request, "o").urlencode()
        return context


case_list = CaseListPage.as_view()


class CaseQueuePage(ListPage):
    """我的待办: what waits for the actor, what is overdue and what is supervised, as tabs
    counted in one aggregate (the count is not run again for the pages)."""

    title = gettext_lazy("我的待办")
    template_name = "cases/queue.html"
    table_id = "queue-table"
    exportable = False
    per_page = PAGE_SIZE
    keep = ("tab",)
    empty_texts = {
        "waiting": gettext_lazy("目前没有等待您办理的事件。"),
        "overdue": gettext_lazy("没有超期事件。"),
        "supervised": gettext_lazy("没有督办中的事件。"),
    }

    def allowed(self, user: Any) -> bool:
        return policies.can_use_cases(user)

    @property
    def tab(self) -> str:
        tab = self.request.GET.get("tab", "waiting")
        return tab if tab in selectors.QUEUE_TABS else "waiting"

    @property
    def empty_text(self) -> Any:
        return self.empty_texts[self.tab]

    def get_rows(self) -> Any:
        self.counts = selectors.queue_counts(actor=self.request.user)
        return only_shown(selectors.case_queue(actor=self.request.user, tab=self.tab))

    def get_paginator(self, rows: Any) -> LateJoinPaginator:
        return LateJoinPaginator(rows, self.per_page, known=self.counts[self.tab])

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context.update(tab=self.tab, counts=self.counts, query=f"tab={self.tab}")
        return context


case_queue = CaseQueuePage.as_view()


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    _require_cases(request)
    if not policies.can_report(request.user):
        raise PermissionDenied
    form = once.protect(ReportForm(request.POST or None, request.FILES or None, actor=request.user))
    if request.method == "POST" and form.is_valid():
        response = once.submit_once(request, lambda: _report(request, form))
        if response is not None:
            return response
    return render(request, "cases/case_new.html", {"form": form})


def _report(request: HttpRequest, form: Any) -> HttpResponse | bool:
    """The report form's one save; a refusal goes on the form (False)."""
    data = form.cleaned_data
    try:
        case = services.case_report(
            actor=request.user,
            category=data["category"],
            area=data["area"],
            title=data["title"],
            description=data["description"],
            address=data["address"],
            longitude=data["longitude"],
            latitude=data["latitude"],
            source=data["source"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"] or "",
            urgent=data["urgent"],
            photos=data["photos"],
        )
    except ValidationError as exc:
        form_errors(form, exc)
        return False
    messages.success(request, _("事件已上报，编号 %(number)s。") % {"number": case.number})
    return redirect("cases:detail", pk=case.pk)


@login_required
def case_photo(request: HttpRequest, pk: int, which: str = "image") -> HttpResponse:
    """A case's photo (or its thumbnail) for whoever sees the case: 404 to anyone else, and
    never from a public URL (common.files)."""
    _require_cases(request)
    photo = selectors.attachment_get(actor=request.user, pk=pk)
    if which == "thumb":
        return private_file_response(photo.thumbnail, content_type="image/jpeg")
    return private_file_response(photo.image, content_type=photo.content_type)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_cases(request)
    case = selectors.case_get(actor=request.user, pk=pk)
    show_phone = request.GET.get("unmask") == "1" and can_unmask(request.user)
    if show_phone and case.contact_phone:
        audit_unmask(actor=request.user, target=case, fields=["contact_phone"], request=request)
    return _render_detail(request, case, show_phone=show_phone)


def _render_detail(
    request: HttpRequest, case: Case, bound: TransitionForm | None = None,
    show_phone: bool = False, status: int = 200,
) -> HttpResponse:  # fmt: skip
    """The case page with one form per action the actor may take now; ``bound`` (a refused
    submission) replaces its action's empty form and is shown open."""
    timeline = list(selectors.case_timeline(case=case))
    assignments = list(case.assignments.all())
    open_action = bound.transition.action if bound is not None and bound.transition else ""
    action_forms = [
        bound
        if t.action == open_action and bound is not None
        else TransitionForm(actor=request.user, action=t.action)
        for t in policies.available_actions(request.user, case)
    ]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "timeline": timeline,
            "assignments": assignments,
            "action_forms": action_forms,
            "open_action": open_action,
            "phone": case.contact_phone if show_phone else mask_phone(case.contact_phone),
            "can_unmask": can_unmask(request.user) and bool(case.contact_phone),
            # A deadline in a year whose holidays are not entered counts plain weekdays.
            "calendar_missing": calendar.missing_year(case.due_at) if case.due_at else None,
        },
        status=status,
    )


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    _require_cases(request)
    case = selectors.case_get(actor=request.user, pk=pk)
    action = request.POST.get("action", "")
    if action not in TRANSITIONS:
        messages.error(request, _("未知的操作。"))
        return redirect("cases:detail", pk=case.pk)
    form = TransitionForm(request.POST, request.FILES, actor=request.user, action=action)
    if form.is_valid():
        try:
            services.case_transition(
                actor=request.user, case=case, action=action, **form.service_params()
            )
        except Conflict as exc:
            messages.error(request, str(exc.message))
            return redirect("cases:detail", pk=case.pk)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("已完成“%(action)s”。") % {"action": TRANSITIONS[action].label}
            )
            return redirect("cases:detail", pk=case.pk)
    case = selectors.case_get(actor=request.user, pk=pk)
    return _render_detail(request, case, form, status=400)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    _require_cases(request)
    if request.method == "POST":
        services.notification_mark_read(actor=request.user)
        messages.success(request, _("已全部标记为已读。"))
        return redirect("cases:notifications")
    page = Paginator(selectors.notification_list(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "cases/notifications.html", {"page": page, "query": ""})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(selectors.notification_list(actor=request.user), pk=pk)
    services.notification_mark_read(actor=request.user, ids=[notification.pk])
    return redirect("cases:detail", pk=notification.case_id)

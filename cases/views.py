"""Pages: parse input, resolve objects through a scoped selector, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AuditAction
from accounts.personal_data import can_unmask, mask_phone
from accounts.services import audit_record, audit_unmask
from common.errors import Conflict, form_errors
from common.excel import xlsx_response
from common.listing import list_query
from common.paging import LateJoinPaginator

from . import policies, selectors, services
from .forms import CaseFilterForm, ReportForm, TransitionForm
from .models import Case
from .workflow import TRANSITIONS

PAGE_SIZE = 20


EXPORT_LIMIT = 50_000


def _require_cases(request: HttpRequest) -> None:
    if not policies.can_use_cases(request.user):
        raise PermissionDenied


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _require_cases(request)
    form = CaseFilterForm(request.GET or None, actor=request.user)
    ordering = request.GET.get("o", selectors.DEFAULT_ORDERING)
    if ordering not in selectors.ORDERINGS:
        ordering = selectors.DEFAULT_ORDERING
    cases = selectors.case_list(actor=request.user, filters=form.filters(), ordering=ordering)
    if request.GET.get("export") == "xlsx":
        return _export(request, cases)
    page = LateJoinPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "ordering": ordering,
            "query": list_query(request).urlencode(),
            "query_without_order": list_query(request, "o").urlencode(),
            "can_report": policies.can_report(request.user),
        },
    )


def _export(request: HttpRequest, cases: Any) -> HttpResponse:
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request, target="cases")
    rows = (
        (
            c.number,
            c.title,
            str(c.category),
            c.get_state_display(),
            c.get_tier_display(),
            c.street.name,
            c.community.name,
            c.area.name,
            c.address,
            c.get_source_display(),
            _("是") if c.is_urgent else "",
            c.get_supervision_display() if c.supervision else "",
            c.get_alert_display() if c.alert else "",
            c.created_at,
            c.due_at,
            c.closed_at,
            c.get_satisfaction_display() if c.satisfaction else "",
        )
        for c in cases[:EXPORT_LIMIT].iterator(chunk_size=2000)
    )
    return xlsx_response(
        filename=_("事件台账"),
        title=_("事件台账"),
        headers=[
            _("编号"),
            _("标题"),
            _("类别"),
            _("状态"),
            _("层级"),
            _("街道/镇"),
            _("社区"),
            _("位置"),
            _("详细地址"),
            _("来源"),
            _("加急"),
            _("督办"),
            _("时限"),
            _("上报时间"),
            _("办理期限"),
            _("关闭时间"),
            _("满意度"),
        ],
        rows=rows,
    )


@login_required
def case_queue(request: HttpRequest) -> HttpResponse:
    _require_cases(request)
    tab = request.GET.get("tab", "waiting")
    if tab not in selectors.QUEUE_TABS:
        tab = "waiting"
    cases = selectors.case_queue(actor=request.user, tab=tab)
    counts = selectors.queue_counts(actor=request.user)
    page = LateJoinPaginator(cases, PAGE_SIZE, known=counts[tab]).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/queue.html",
        {"page": page, "tab": tab, "counts": counts, "query": f"tab={tab}"},
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    _require_cases(request)
    if not policies.can_report(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
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
        else:
            messages.success(request, _("事件已上报，编号 %(number)s。") % {"number": case.number})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form})


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

"""Property complaints and disputes (cases with their detail) and the mediation of disputes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.services import audit_record
from common.errors import Conflict
from common.files import private_file_response
from common.pages import form_view
from governance.models import Area, AreaLevel

from .. import policies, selectors, services
from ..forms import (
    ComplaintFilter,
    ComplaintForm,
    ConcludeForm,
    MediationFilter,
    MediatorForm,
    SessionForm,
)
from ._base import Column, Ledger, need, refuse, show_errors

COMPLAINTS = Ledger(
    key="complaints",
    title=gettext_lazy("物业投诉与矛盾纠纷"),
    default_ordering="-reported",
    empty=gettext_lazy("没有符合条件的投诉或纠纷。"),
    columns=(
        Column(
            gettext_lazy("事件编号"),
            lambda d: d.case.number,
            link=lambda d: reverse("cases:detail", args=[d.case_id]),
        ),
        Column(gettext_lazy("反映时间"), lambda d: d.reported_at, "reported"),
        Column(gettext_lazy("类别"), lambda d: d.get_kind_display()),
        Column(gettext_lazy("类型"), lambda d: d.get_complaint_type_display()),
        Column(gettext_lazy("标题"), lambda d: d.case.title),
        Column(gettext_lazy("小区"), lambda d: d.estate.name, "estate"),
        Column(gettext_lazy("社区"), lambda d: d.community.name),
        Column(gettext_lazy("物业企业"), lambda d: d.company.name if d.company else "—"),
        Column(gettext_lazy("办理状态"), lambda d: d.case.get_state_display()),
        Column(gettext_lazy("办理期限"), lambda d: d.case.due_at, "due"),
    ),
)


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    """Complaints and disputes. Property staff see their company's complaints (no residents'
    names or phones here: the case page shows what handling needs). Whether a complaint
    counts, when it was resolved and whether on time cut the list as the 红黑榜 counts them."""
    need(policies.can_read_area_ledgers(request.user))
    companies = selectors.company_list(actor=request.user)
    form = ComplaintFilter(
        request.GET or None,
        areas=selectors.filter_areas(request.user),
        actor=request.user,
        companies=companies,
    )
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.complaint_list(
        actor=request.user,
        kind=data.get("kind", ""),
        within=selectors.area_in_scope(request.user, data.get("within")),
        company=data["company"].pk if data.get("company") else None,
        complaint_type=data.get("complaint_type", ""),
        state=data.get("state", ""),
        start=data.get("start"),
        end=data.get("end"),
        q=(data.get("q") or "").strip(),
        ordering=COMPLAINTS.ordering(request),
    )
    rows = selectors.narrow_complaints(
        rows,
        counted=data.get("counted"),
        resolved_from=data.get("resolved_start"),
        resolved_to=data.get("resolved_end"),
        timeliness=data.get("timeliness", ""),
    )
    actions = []
    if policies.can_report_complaint(request.user):
        actions = [
            (_("登记物业投诉"), reverse("property_mgmt:complaint_new")),
            (_("登记矛盾纠纷"), reverse("property_mgmt:dispute_new")),
        ]
    return COMPLAINTS.respond(request, rows, form, tab="complaints", page_actions=actions)


def _report(request: HttpRequest, dispute: bool) -> HttpResponse:
    need(policies.can_report_complaint(request.user))
    areas = Area.objects.visible_to(request.user).filter(
        level__in=[AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING], is_active=True
    )
    form = ComplaintForm(request.POST or None, areas=areas, actor=request.user, dispute=dispute)

    def save(data: dict[str, Any]) -> Any:
        if dispute:
            return services.dispute_report(actor=request.user, **data).case
        return services.complaint_report(actor=request.user, **data).case

    return form_view(
        request,
        form,
        save=save,
        message=lambda case: _("已登记为事件 %(number)s。") % {"number": case.number},
        success_url=lambda case: reverse(
            "property_mgmt:mediation_detail" if dispute else "cases:detail", args=[case.pk]
        ),
        template="property_mgmt/form.html",
        context={
            "title": _("登记矛盾纠纷") if dispute else _("登记物业投诉"),
            "tab": "complaints",
            "back": reverse("property_mgmt:complaint_list"),
        },
    )


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    return _report(request, dispute=False)


@login_required
def dispute_new(request: HttpRequest) -> HttpResponse:
    return _report(request, dispute=True)


# --- Mediation ---------------------------------------------------------------------------------

MEDIATIONS = Ledger(
    key="mediations",
    title=gettext_lazy("矛盾纠纷调解"),
    default_ordering="-created",
    empty=gettext_lazy("没有符合条件的纠纷调解。"),
    columns=(
        Column(
            gettext_lazy("事件编号"),
            lambda m: m.case.number,
            link=lambda m: reverse("property_mgmt:mediation_detail", args=[m.pk]),
        ),
        Column(gettext_lazy("纠纷"), lambda m: m.case.title),
        Column(gettext_lazy("调解小组"), lambda m: m.group.name),
        Column(gettext_lazy("调解次数"), lambda m: m.n_sessions),
        Column(gettext_lazy("调解结果"), lambda m: m.get_outcome_display()),
        Column(gettext_lazy("移交"), lambda m: m.get_referral_display() if m.referral else ""),
        Column(gettext_lazy("协议书"), lambda m: _("有") if m.agreement else ""),
    ),
)


@login_required
def mediation_list(request: HttpRequest) -> HttpResponse:
    need(policies.can_read_mediation(request.user))
    form = MediationFilter(
        request.GET or None, areas=selectors.filter_areas(request.user), actor=request.user
    )
    data = form.cleaned_data if form.is_valid() else {}
    outcome = data.get("outcome") or None
    rows = selectors.mediation_list(
        actor=request.user,
        within=selectors.area_in_scope(request.user, data.get("within")),
        outcome="" if outcome == "pending" else outcome,
        q=(data.get("q") or "").strip(),
    )
    return MEDIATIONS.respond(request, rows, form, tab="mediations")


@login_required
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need(policies.can_read_mediation(request.user))
    mediation = selectors.mediation_get(actor=request.user, pk=pk)
    may_keep = policies.can_keep(request.user, mediation.area_path)
    mediators = mediation.group.mediators.filter(is_active=True)
    session_form = SessionForm(prefix="session", mediators=mediators)
    conclude_form = ConcludeForm(prefix="conclude")
    mediator_form = MediatorForm(prefix="mediator")
    if request.method == "POST":
        need(may_keep)
        form: Any = None
        try:
            if "session-notes" in request.POST:
                form = session_form = SessionForm(
                    request.POST, prefix="session", mediators=mediators
                )
                if form.is_valid():
                    services.mediation_session_add(
                        actor=request.user, mediation=mediation, **form.cleaned_data
                    )
                    return redirect("property_mgmt:mediation_detail", pk=pk)
            elif "mediator-name" in request.POST:
                form = mediator_form = MediatorForm(request.POST, prefix="mediator")
                if form.is_valid():
                    services.mediator_add(
                        actor=request.user, group=mediation.group, **form.cleaned_data
                    )
                    return redirect("property_mgmt:mediation_detail", pk=pk)
            else:
                form = conclude_form = ConcludeForm(request.POST, request.FILES, prefix="conclude")
                if form.is_valid():
                    services.mediation_conclude(
                        actor=request.user, mediation=mediation, **form.cleaned_data
                    )
                    messages.success(request, _("调解结果已记录。"))
                    return redirect("property_mgmt:mediation_detail", pk=pk)
        except Conflict as exc:
            refuse(request, exc)
        except ValidationError as exc:
            show_errors(form, exc)
    return render(
        request,
        "property_mgmt/mediation_detail.html",
        {
            "mediation": mediation,
            "sessions": list(mediation.sessions.all()),
            "may_keep": may_keep,
            "session_form": session_form,
            "conclude_form": conclude_form,
            "mediator_form": mediator_form,
            "mediators": list(mediation.group.mediators.all()),
            "tab": "mediations",
        },
    )


@login_required
def mediation_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed agreement, only to who may read the mediation (404 otherwise, and never from a
    public URL: common.files); audited."""
    need(policies.can_read_mediation(request.user))
    mediation = selectors.mediation_get(actor=request.user, pk=pk)
    if not mediation.agreement:
        raise Http404
    extension = (mediation.agreement.name or "").rsplit(".", 1)[-1]
    response = private_file_response(
        mediation.agreement,
        content_type=mediation.agreement_type or "application/octet-stream",
        filename=f"agreement-{mediation.pk}.{extension}",
    )
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        target=mediation,
        detail={"file": "agreement"},
    )
    # It names the parties: not kept in the browser's cache either.
    response["Cache-Control"] = "private, no-store"
    return response

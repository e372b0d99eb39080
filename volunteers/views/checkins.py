"""Unit check-ins (单位报到): the list, a new check-in, a check-in's page with its resources
and agreement, which units serve which community, the resources list, and the Excel imports."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.listpage import Action, Column, choice_column
from common.pages import form_view

from .. import forms, policies, selectors, services
from ..imports import TEMPLATES, ImportKind, spec, template_workbook
from ..models import CheckInState, Resource, UnitCheckIn
from ..services.imports import checkin_import_job
from .base import VolunteersListPage, act_once, import_page, require


def _checkin_url(row: Any) -> str:
    return reverse("volunteers:checkin_detail", args=[row.pk])


class CheckinListPage(VolunteersListPage):
    """单位报到: units at communities by year; a liaison sees their unit's only."""

    title = gettext_lazy("单位报到")
    export_name = gettext_lazy("单位报到台账")
    tab = "checkins"
    table_id = "checkin-table"
    default_ordering = "community"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["checkins"] for p in ("", "-")]
    empty_text = gettext_lazy("没有符合条件的单位报到。")
    columns = (
        Column(gettext_lazy("报到单位"), attrgetter("department.name"), "department",
               link=_checkin_url),
        choice_column(gettext_lazy("单位类型"), UnitCheckIn, "unit_type"),
        Column(gettext_lazy("报到社区"), attrgetter("community.name"), "community"),
        Column(gettext_lazy("年度"), attrgetter("year"), "-year", css="num"),
        Column(gettext_lazy("联系人"), attrgetter("contact_name")),
        Column(gettext_lazy("联系电话"), attrgetter("contact_phone_masked")),
        Column(gettext_lazy("资源项数"), attrgetter("n_resources"), "-resources", css="num"),
        choice_column(gettext_lazy("状态"), UnitCheckIn, "state", "state"),
    )  # fmt: skip

    def get_form(self) -> forms.CheckinFilterForm:
        return forms.CheckinFilterForm(
            self.request.GET or None,
            communities=self.communities(),
            departments=self.departments(),
        )

    def get_rows(self) -> Any:
        rows = selectors.checkin_list(actor=self.request.user)
        return selectors.ordered(
            selectors.filter_checkins(rows, self.filters), "checkins", self.ordering
        )

    def get_actions(self) -> list[Action]:
        user = self.request.user
        actions = [Action(_("单位报到登记"), reverse("volunteers:checkin_new"), "primary")]
        if policies.can_import(user, ImportKind.UNITS):
            actions.append(
                Action(_("Excel 导入"), reverse("volunteers:import", args=[ImportKind.UNITS]))
            )
        return actions


checkin_list = CheckinListPage.as_view()


@login_required
def checkin_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_use(request.user))
    form = forms.CheckinForm(
        request.POST or None,
        communities=selectors.communities_for(actor=request.user)
        if policies.can_keep(request.user)
        else selectors.communities_all(),
        departments=selectors.departments_for(actor=request.user),
    )
    return form_view(
        request,
        form,
        save=lambda data: services.unit_checkin_create(actor=request.user, **data),
        message=_("已登记报到，待社区确认。"),
        success_url=lambda checkin: reverse("volunteers:checkin_detail", args=[checkin.pk]),
        template="volunteers/form.html",
        context={"title": _("单位报到登记"), "tab": "checkins"},
    )


@login_required
def checkin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use(request.user))
    checkin = selectors.checkin_get(actor=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "volunteers/checkin_detail.html",
        {
            "checkin": checkin,
            "resources": selectors.checkin_resources(checkin),
            "agreement": selectors.checkin_agreement(checkin),
            "can_confirm": checkin.state == CheckInState.PENDING
            and policies.can_confirm(user, checkin),
            "can_sign": checkin.state == CheckInState.CONFIRMED
            and policies.can_sign_agreement(user, checkin),
            "can_keep_resources": checkin.state != CheckInState.WITHDRAWN
            and policies.can_keep_resources(user, checkin),
            "resource_form": forms.ResourceForm(),
            "agreement_form": forms.AgreementForm(
                initial={
                    "signed_on": timezone.localdate(),
                    "starts_on": timezone.localdate(),
                    "ends_on": timezone.localdate().replace(month=12, day=31),
                }
            ),
            "tab": "checkins",
        },
    )


@login_required
@require_POST
def checkin_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """确认 / 撤回 / 登记资源 / 签订协议, posted from the check-in's page."""
    checkin = selectors.checkin_get(actor=request.user, pk=pk)

    def act() -> None:
        if action == "confirm":
            services.unit_checkin_confirm(actor=request.user, checkin=checkin)
            messages.success(request, _("已确认报到。"))
        elif action == "withdraw":
            services.unit_checkin_withdraw(actor=request.user, checkin=checkin)
            messages.success(request, _("已撤回报到。"))
        elif action == "resource":
            form = forms.ResourceForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请检查资源信息。"))
            services.resource_add(actor=request.user, checkin=checkin, **form.cleaned_data)
            messages.success(request, _("已登记资源。"))
        elif action == "agreement":
            agreement = forms.AgreementForm(request.POST)
            if not agreement.is_valid():
                raise ValidationError(_("请完整填写协议信息。"))
            services.agreement_sign(actor=request.user, checkin=checkin, **agreement.cleaned_data)
            messages.success(request, _("已登记共建协议。"))
        else:
            raise Http404

    act_once(request, act)
    return redirect("volunteers:checkin_detail", pk=checkin.pk)


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """Which units serve which community in a year, and which communities have none."""
    require(policies.can_use(request.user))
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year
    rows = selectors.coverage(actor=request.user, year=year)
    return render(
        request,
        "volunteers/coverage.html",
        {
            "rows": rows,
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
            "without": [row for row in rows if not row.departments],
            "tab": "coverage",
        },
    )


class ResourceListPage(VolunteersListPage):
    title = gettext_lazy("资源清单")
    tab = "resources"
    table_id = "resource-table"
    default_ordering = "community"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["resources"] for p in ("", "-")]
    empty_text = gettext_lazy("没有符合条件的资源。")
    columns = (
        Column(gettext_lazy("资源名称"), attrgetter("name"),
               link=lambda r: reverse("volunteers:checkin_detail", args=[r.checkin_id])),
        choice_column(gettext_lazy("资源类别"), Resource, "kind", "kind"),
        Column(gettext_lazy("单位"), attrgetter("department.name"), "department"),
        Column(gettext_lazy("社区"), attrgetter("checkin.community.name"), "community"),
        Column(gettext_lazy("数量"), attrgetter("quantity"), "-quantity", css="num"),
        Column(gettext_lazy("计量单位"), attrgetter("unit")),
        Column(gettext_lazy("说明"), attrgetter("description")),
        Column(gettext_lazy("用于项目数"), attrgetter("n_projects"), css="num"),
    )  # fmt: skip

    def get_form(self) -> forms.ResourceFilterForm:
        return forms.ResourceFilterForm(
            self.request.GET or None, communities=self.communities(), departments=self.departments()
        )

    def get_rows(self) -> Any:
        rows = selectors.resource_list(actor=self.request.user)
        return selectors.ordered(
            selectors.filter_resources(rows, self.filters), "resources", self.ordering
        )


resource_list = ResourceListPage.as_view()


@login_required
def checkin_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Download the template (``?template=1``) or upload a filled one. A file with any bad
    row imports nothing; the page lists every bad row and its reason."""
    if kind not in TEMPLATES:
        raise Http404
    require(policies.can_import(request.user, kind))
    units = kind == ImportKind.UNITS
    return import_page(
        request, kind=kind, spec=spec(kind), template=lambda: template_workbook(kind),
        runner=checkin_import_job,
        target="volunteers:checkin_list" if units else "volunteers:member_list",
        context={"tab": "checkins" if units else "members"},
    )  # fmt: skip

"""专项行动: the campaigns, a campaign's page (people and hours per grid and per day, its
shifts), a shift's sign-ups and attendance, and the people mobilised."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.listpage import Action, Column, choice_column
from common.pages import form_view
from governance.models import Area, AreaLevel
from grids.models import Grid

from .. import forms, policies, selectors, services
from ..models import CampaignPerson, MemberCheckIn
from .base import VolunteersListPage, act_once, require


class CampaignListPage(VolunteersListPage):
    title = gettext_lazy("专项行动")
    tab = "campaigns"
    table_id = "campaign-table"
    default_ordering = "-starts_on"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["campaigns"] for p in ("", "-")]
    empty_text = gettext_lazy("没有专项行动。")
    columns = (
        Column(gettext_lazy("行动名称"), attrgetter("title"), "title",
               link=lambda c: reverse("volunteers:campaign_detail", args=[c.pk])),
        Column(gettext_lazy("组织单位"), attrgetter("area.name")),
        Column(gettext_lazy("开始日期"), attrgetter("starts_on"), "-starts_on"),
        Column(gettext_lazy("结束日期"), attrgetter("ends_on")),
        Column(gettext_lazy("动员人数"), attrgetter("n_people"), css="num"),
    )  # fmt: skip

    def allowed(self, user: Any) -> bool:
        return policies.can_use_campaigns(user)

    def get_form(self) -> forms.CampaignFilterForm:
        return forms.CampaignFilterForm(self.request.GET or None)

    def get_rows(self) -> Any:
        rows = selectors.campaign_list(actor=self.request.user)
        return selectors.ordered(
            selectors.filter_campaigns(rows, self.filters), "campaigns", self.ordering
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_run_campaign(self.request.user):
            return []
        return [Action(_("发起专项行动"), reverse("volunteers:campaign_new"), "primary")]


campaign_list = CampaignListPage.as_view()


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_run_campaign(request.user))
    areas = (
        Area.objects.visible_to(request.user)
        .filter(level__in=[AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY])
        .order_by("path")
    )
    grids = Grid.objects.visible_to(request.user).filter(is_active=True).order_by("code")
    form = forms.CampaignForm(request.POST or None, areas=areas, grids=grids)
    return form_view(
        request,
        form,
        save=lambda data: services.campaign_create(actor=request.user, **data),
        message=_("已发起专项行动。"),
        success_url=lambda campaign: reverse("volunteers:campaign_detail", args=[campaign.pk]),
        template="volunteers/form.html",
        context={"title": _("发起专项行动"), "tab": "campaigns"},
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Distinct people mobilised and their hours, per grid and per day, in the caller's part
    of the campaign; its shifts (the latest 200)."""
    require(policies.can_use_campaigns(request.user))
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    grids = selectors.grids_of_campaign(campaign, actor=request.user)
    may_run = policies.can_run_campaign(request.user, campaign.area_path) or any(
        policies.can_run_campaign(request.user, g.area_path) for g in grids
    )
    return render(
        request,
        "volunteers/campaign_detail.html",
        {
            "campaign": campaign,
            "stats": selectors.campaign_stats(actor=request.user, campaign=campaign),
            "shifts": list(
                selectors.shift_list(actor=request.user, campaign=campaign).order_by(
                    "-day", "grid__code"
                )[:200]
            ),
            "shift_form": forms.ShiftForm(grids=grids) if may_run else None,
            "tab": "campaigns",
        },
    )


@login_required
@require_POST
def shift_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(actor=request.user, pk=pk)
    form = forms.ShiftForm(
        request.POST, grids=selectors.grids_of_campaign(campaign, actor=request.user)
    )

    def act() -> None:
        if not form.is_valid():
            raise ValidationError(_("请检查班次信息。"))
        services.shift_add(actor=request.user, campaign=campaign, **form.cleaned_data)
        messages.success(request, _("已添加班次。"))

    act_once(request, act)
    return redirect("volunteers:campaign_detail", pk=campaign.pk)


@login_required
def shift_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use_campaigns(request.user))
    shift = selectors.shift_get(actor=request.user, pk=pk)
    may_run = policies.can_run_campaign(request.user, shift.area_path)
    members = MemberCheckIn.objects.visible_to(request.user).filter(
        ended_on__isnull=True, community_id=shift.grid.community_id
    )
    return render(
        request,
        "volunteers/shift_detail.html",
        {
            "shift": shift,
            "signups": list(selectors.signup_list(actor=request.user).filter(shift=shift)),
            "form": forms.SignupForm(members=members.order_by("name")) if may_run else None,
            "may_run": may_run,
            "tab": "campaigns",
        },
    )


@login_required
@require_POST
def shift_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    shift = selectors.shift_get(actor=request.user, pk=pk)

    def act() -> None:
        if action == "signup":
            members = MemberCheckIn.objects.visible_to(request.user).filter(ended_on__isnull=True)
            form = forms.SignupForm(request.POST, members=members)
            if not form.is_valid():
                raise ValidationError(_("请检查报名信息。"))
            services.signup_add(actor=request.user, shift=shift, **form.cleaned_data)
            messages.success(request, _("已报名。"))
        elif action == "attend":
            signup = (
                selectors.signup_list(actor=request.user)
                .filter(shift=shift, pk=request.POST.get("signup") or 0)
                .first()
            )
            attend = forms.AttendForm(request.POST)
            if signup is None:
                raise Http404
            if not attend.is_valid():
                raise ValidationError(_("请选择到岗情况。"))
            services.signup_attend(actor=request.user, signup=signup, **attend.cleaned_data)
            messages.success(request, _("已登记到岗情况。"))
        else:
            raise Http404

    act_once(request, act)
    return redirect("volunteers:shift_detail", pk=shift.pk)


class CampaignPeoplePage(VolunteersListPage):
    """The people campaigns mobilised, each once, with their shifts and hours."""

    title = gettext_lazy("专项行动参与人员")
    tab = "campaigns"
    table_id = "people-table"
    default_ordering = "name"
    orderings = [f"{p}{k}" for k in selectors.ORDERINGS["people"] for p in ("", "-")]
    empty_text = gettext_lazy("没有参与人员。")
    columns = (
        Column(gettext_lazy("姓名"), attrgetter("name"), "name"),
        choice_column(gettext_lazy("身份"), CampaignPerson, "kind"),
        Column(gettext_lazy("工作单位"), attrgetter("employer")),
        Column(gettext_lazy("手机号"), attrgetter("phone_masked")),
        Column(gettext_lazy("值守班次"), attrgetter("n_shifts"), "-shifts", css="num"),
        Column(gettext_lazy("时长（小时）"), attrgetter("total_hours"), "-hours", css="num"),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_use_campaigns(user)

    def get_form(self) -> forms.PeopleFilterForm:
        return forms.PeopleFilterForm(self.request.GET or None)

    def get_rows(self) -> Any:
        rows = selectors.campaign_people(
            actor=self.request.user, campaign_id=self.filters.get("campaign")
        )
        return selectors.ordered(
            selectors.filter_people(rows, self.filters), "people", self.ordering
        )


campaign_people = CampaignPeoplePage.as_view()

"""Owners' committees and their members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.pages import form_view
from governance.models import PartyOrg, PartyOrgSector

from .. import policies, selectors, services
from ..forms import CommitteeFilter, CommitteeForm, MemberForm
from ..models import CommitteeMember
from ._base import Column, Ledger, need, refuse, show_errors


def _flags(rows: list) -> None:
    for row in rows:
        selectors.committee_flags(row)


def _term(c: object) -> str:
    if getattr(c, "expiring", False):
        return _("%(n)d 天后届满") % {"n": c.days_left}  # type: ignore[attr-defined]
    if getattr(c, "in_office", False):
        return _("在任")
    return _("已届满") if c.days_left < 0 else _("未到任期")  # type: ignore[attr-defined]


COMMITTEES = Ledger(
    key="committees",
    title=gettext_lazy("业主委员会"),
    default_ordering="area",
    empty=gettext_lazy("没有符合条件的业主委员会。"),
    decorate=_flags,
    columns=(
        Column(
            gettext_lazy("名称"),
            lambda c: c.name,
            "area",
            link=lambda c: reverse("property_mgmt:committee_detail", args=[c.pk]),
        ),
        Column(gettext_lazy("小区"), lambda c: c.area.name),
        Column(gettext_lazy("任期开始"), lambda c: c.term_starts_on),
        Column(gettext_lazy("任期结束"), lambda c: c.term_ends_on, "ends"),
        Column(gettext_lazy("任期状态"), _term),
        Column(gettext_lazy("备案日期"), lambda c: c.filed_on, "filed"),
        Column(gettext_lazy("成员"), lambda c: c.n_members),
        Column(gettext_lazy("其中党员"), lambda c: c.n_party),
        Column(gettext_lazy("业委会党组织"), lambda c: c.party_org.name if c.party_org else ""),
    ),
)


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    need(policies.can_read_area_ledgers(request.user))
    form = CommitteeFilter(
        request.GET or None, areas=selectors.filter_areas(request.user), actor=request.user
    )
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.committee_list(
        actor=request.user,
        within=selectors.area_in_scope(request.user, data.get("within")),
        status=data.get("status", ""),
        q=(data.get("q") or "").strip(),
        ordering=COMMITTEES.ordering(request),
    )
    actions = []
    if policies.can_keep_any(request.user):
        actions = [
            (_("登记业委会"), reverse("property_mgmt:committee_new")),
            (_("导入成员"), reverse("property_mgmt:import", args=["members"])),
        ]
    return COMMITTEES.respond(request, rows, form, tab="committees", page_actions=actions)


@login_required
def committee_new(request: HttpRequest) -> HttpResponse:
    need(policies.can_keep_any(request.user))
    estates = selectors.estates_in_scope(request.user)
    orgs = PartyOrg.objects.visible_to(request.user).filter(sector=PartyOrgSector.OWNERS_COMMITTEE)
    form = CommitteeForm(request.POST or None, estates=estates, orgs=orgs, actor=request.user)
    return form_view(
        request,
        form,
        save=lambda data: services.committee_create(actor=request.user, **data),
        message=_("业主委员会已登记。"),
        success_url=lambda committee: reverse(
            "property_mgmt:committee_detail", args=[committee.pk]
        ),
        template="property_mgmt/form.html",
        context={
            "title": _("登记业主委员会"),
            "tab": "committees",
            "back": reverse("property_mgmt:committee_list"),
        },
    )


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need(policies.can_read_area_ledgers(request.user))
    committee = selectors.committee_get(actor=request.user, pk=pk)
    may_keep = policies.can_keep(request.user, committee.area_path)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        need(may_keep)
        if form.is_valid():
            try:
                services.member_add(actor=request.user, committee=committee, **form.cleaned_data)
            except ValidationError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("成员已添加。"))
                return redirect("property_mgmt:committee_detail", pk=pk)
    return render(
        request,
        "property_mgmt/committee_detail.html",
        {
            "committee": committee,
            "members": list(committee.members.all()),
            "form": form if may_keep else None,
            "may_keep": may_keep,
            "contacts": policies.may_see_contacts(request.user),
            "tab": "committees",
        },
    )


@login_required
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(CommitteeMember.objects.visible_to(request.user), pk=pk)
    need(policies.can_keep(request.user, member.area_path))
    try:
        services.member_leave(actor=request.user, member=member, on=timezone.localdate())
    except ValidationError as exc:
        refuse(request, exc)
    return redirect("property_mgmt:committee_detail", pk=member.committee_id)

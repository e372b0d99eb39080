"""The volunteer service's home, teams and volunteers (their record, hours, stars, points,
the service certificate), and the Excel imports of volunteers and attendance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.pages import form_view
from grids.models import Grid

from .. import policies, service_forms, services
from .. import service_selectors as sel
from ..certificates import certificate_pdf
from ..figures import service_figures
from ..imports import spec
from ..models import ShopItem, VolunteerTeam
from ..selectors import communities_for
from ..service_imports import SERVICE_TEMPLATES, service_import_job, service_template
from .base import act_once, import_page, require

TABS = "volunteers/service/tabs.html"


def form_page(
    request: HttpRequest, form: Any, *, title: str, tab: str,
    save: Callable[[dict[str, Any]], Any], done: str, target: Callable[[Any], str],
) -> HttpResponse:  # fmt: skip
    """A service form (:func:`common.pages.form_view`): ``save`` gets the form's data, its
    refusal is shown on the form, else ``done`` and a redirect to ``target`` of what it made."""
    return form_view(
        request, form, save=save, message=done, success_url=target,
        template="volunteers/form.html",
        context={"title": title, "tab": tab, "tabs_template": TABS},
    )  # fmt: skip


@login_required
def service_home(request: HttpRequest) -> HttpResponse:
    require(policies.can_use_service(request.user))
    return render(
        request,
        "volunteers/service/home.html",
        {
            "figures": service_figures(request.user),
            "communities": sel.hours_by_community(actor=request.user),
            "grids": sel.hours_by_grid(actor=request.user),
            "tab": "service",
        },
    )


@login_required
def team_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_run_service(request.user))
    communities = sel_communities(request)
    grids = Grid.objects.visible_to(request.user).filter(is_active=True).order_by("code")
    form = service_forms.TeamForm(request.POST or None, communities=communities, grids=grids)
    return form_page(
        request, form, title=_("新建志愿服务队"), tab="teams", done=_("已新建队伍。"),
        save=lambda data: services.team_create(actor=request.user, **data),
        target=lambda team: reverse("volunteers:team_detail", args=[team.pk]),
    )  # fmt: skip


def sel_communities(request: HttpRequest) -> Any:
    return communities_for(actor=request.user).order_by("path")


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use_service(request.user))
    team = sel.team_get(actor=request.user, pk=pk)
    return render(
        request,
        "volunteers/service/team_detail.html",
        {
            "team": team,
            "stats": sel.team_stats(team),
            "members": sel.team_members(team),
            "activities": list(
                sel.activity_list(actor=request.user).filter(team=team).order_by("-starts_at")[:20]
            ),
            "may_run": policies.can_run_service(request.user, team.area_path),
            "tab": "teams",
        },
    )


@login_required
def volunteer_new(request: HttpRequest) -> HttpResponse:
    require(policies.can_run_service(request.user))
    teams = sel.team_list(actor=request.user).order_by("area_path", "name")
    form = service_forms.VolunteerForm(
        request.POST or None, communities=sel_communities(request), teams=teams
    )
    return form_page(
        request, form, title=_("登记志愿者"), tab="volunteers", done=_("已登记志愿者。"),
        save=lambda data: services.volunteer_register(actor=request.user, **data),
        target=lambda v: reverse("volunteers:volunteer_detail", args=[v.pk]),
    )  # fmt: skip


@login_required
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(policies.can_use_service(request.user))
    volunteer = sel.volunteer_get(actor=request.user, pk=pk)
    may_run = policies.can_run_service(request.user, volunteer.area_path)
    return render(
        request,
        "volunteers/service/volunteer_detail.html",
        {
            "volunteer": volunteer,
            **sel.volunteer_record(volunteer),
            "shop": sel.shop_for(volunteer) if may_run else [],
            "teams_to_join": (
                VolunteerTeam.objects.filter(area_path=volunteer.area_path)
                .exclude(memberships__volunteer=volunteer)
                .order_by("name")
                if may_run
                else []
            ),
            "may_run": may_run,
            "tab": "volunteers",
        },
    )


@login_required
@require_POST
def volunteer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    volunteer = sel.volunteer_get(actor=request.user, pk=pk)

    def act() -> None:
        if action == "redeem":
            form = service_forms.RedeemForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请选择兑换物品和数量。"))
            item = get_object_or_404(
                ShopItem.objects.visible_to(request.user), pk=form.cleaned_data["item"]
            )
            services.points_redeem(
                actor=request.user, volunteer=volunteer, item=item,
                quantity=form.cleaned_data["quantity"],
            )  # fmt: skip
            messages.success(request, _("已兑换%(n)s。") % {"n": item.name})
        elif action == "join":
            team = get_object_or_404(
                VolunteerTeam.objects.visible_to(request.user), pk=request.POST.get("team") or 0
            )
            services.team_join(actor=request.user, team=team, volunteer=volunteer)
            messages.success(request, _("已加入%(t)s。") % {"t": team.name})
        elif action == "role":
            services.points_award_role(
                actor=request.user, volunteer=volunteer, note=request.POST.get("note", "")
            )
            messages.success(request, _("已发放项目骨干积分。"))
        else:
            raise Http404

    act_once(request, act)
    return redirect("volunteers:volunteer_detail", pk=volunteer.pk)


@login_required
def volunteer_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """志愿服务证明 (PDF) of a volunteer in the caller's scope."""
    require(policies.can_use_service(request.user))
    volunteer = sel.volunteer_get(actor=request.user, pk=pk)
    pdf = certificate_pdf(volunteer=volunteer, attendance=sel.approved_attendance(volunteer))
    services.base.audit(request.user, volunteer, "volunteer.certificate")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = quote(f"志愿服务证明-{volunteer.name}.pdf")
    response["Content-Disposition"] = (
        f"inline; filename=\"certificate-{volunteer.pk}.pdf\"; filename*=UTF-8''{name}"
    )
    return response


@login_required
def service_import_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Volunteers or attendance from Excel: all rows or none; every bad row with its reason."""
    if kind not in SERVICE_TEMPLATES:
        raise Http404
    require(policies.can_run_service(request.user))
    target = "volunteer_list" if kind == "volunteers" else "attendance_list"
    return import_page(
        request, kind=kind, spec=spec(kind, SERVICE_TEMPLATES),
        template=lambda: service_template(kind), runner=service_import_job,
        target=f"volunteers:{target}",
        context={"tab": kind, "tabs_template": TABS},
    )  # fmt: skip

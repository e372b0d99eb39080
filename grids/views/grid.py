"""Grid pages: the grid ledger, a grid's page, its coverage and staffing, and the staffing
check of every grid."""

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.concurrency import version_form_field
from common.listpage import Action, Column, choice_column
from common.pages import form_action, form_view
from governance.models import Area
from grids import forms, policies, selectors, services
from grids.models import CommunityWorker, Grid, GridCoverage, GridStaffing
from grids.policies import GRID_KEEPERS

from .base import GridsListPage, export, pk_of, require, yes_no


def _grid_url(grid: Grid) -> str:
    return reverse("grids:grid_detail", args=[grid.pk])


def _name_cell(grid: Grid) -> SafeString:
    url = _grid_url(grid)
    if grid.is_active:
        return format_html('<a href="{}">{}</a>', url, grid.name)
    return format_html(
        '<a href="{}">{}</a> <span class="badge">{}</span>', url, grid.name, _("已停用")
    )


def _staffing_cell(grid: Any) -> SafeString:
    if grid.problems:
        return format_html(
            '<span class="staffing staffing--breach">{}</span>', "；".join(grid.problems)
        )
    return format_html('<span class="staffing staffing--ok">{}</span>', _("达标"))


class GridListPage(GridsListPage):
    """Grids in scope with their staffing, the ones breaking the staffing rule marked."""

    title = gettext_lazy("网格")
    export_name = gettext_lazy("网格台账")
    tab = "grids"
    table_id = "grid-table"
    empty_text = gettext_lazy("没有符合条件的网格。")
    default_ordering = "code"
    columns = (
        Column(gettext_lazy("网格编码"), attrgetter("code"), "code"),
        Column(gettext_lazy("网格名称"), attrgetter("name"), "name", html=_name_cell),
        Column(gettext_lazy("所属社区"), attrgetter("community.name"), "community"),
        choice_column(gettext_lazy("类型"), Grid, "kind"),
        Column(gettext_lazy("网格员"), attrgetter("n_workers"), "workers", css="num"),
        Column(gettext_lazy("配备情况"), attrgetter("problems"), html=_staffing_cell),
    )
    export_columns = (
        Column(gettext_lazy("网格编码"), attrgetter("code")),
        Column(gettext_lazy("网格名称"), attrgetter("name")),
        Column(gettext_lazy("所属社区"), attrgetter("community.name")),
        choice_column(gettext_lazy("网格类型"), Grid, "kind"),
        Column(gettext_lazy("网格员人数"), attrgetter("n_workers")),
        Column(gettext_lazy("网格长"), attrgetter("n_leaders")),
        Column(gettext_lazy("网格党组织书记"), attrgetter("n_secretaries")),
        Column(gettext_lazy("覆盖小区/楼栋数"), attrgetter("n_coverages")),
        Column(gettext_lazy("配备情况"), lambda g: "；".join(g.problems) or _("达标")),
        Column(gettext_lazy("启用"), lambda g: yes_no(g.is_active)),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_grids(user)

    def get_form(self) -> forms.GridFilterForm:
        return forms.GridFilterForm(self.request.GET or None, communities=self.communities())

    def get_rows(self) -> QuerySet[Grid]:
        return selectors.grid_list(
            actor=self.request.user,
            community=pk_of(self.filters.get("community")),
            kind=self.filters.get("kind", ""),
            staffing=self.filters.get("staffing", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def prepare(self, rows: list[Any]) -> None:
        for grid in rows:
            grid.problems = selectors.breaches_of(grid)

    def get_actions(self) -> list[Action]:
        if not policies.can_manage_grids(self.request.user):
            return []
        return [Action(_("新建网格"), reverse("grids:grid_create"), "primary")]


grid_list = GridListPage.as_view()


@login_required
def grid_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_manage_grids(request.user))
    communities = selectors.communities_in_scope(actor=request.user, roles=GRID_KEEPERS)
    form = forms.GridForm(request.POST or None, communities=communities)
    return form_view(
        request,
        form,
        save=lambda data: services.grid_create(actor=request.user, **data),
        message=lambda grid: _("网格“%(name)s”已创建。") % {"name": grid.name},
        success_url=_grid_url,
        template="grids/grid_form.html",
        context={"grid": None},
    )


@login_required
def grid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=pk)
    require(policies.can_manage_grids(request.user, grid.area_path))
    initial = {f: getattr(grid, f) for f in services.GRID_FIELDS}
    initial["version"] = grid.version
    form = forms.GridForm(
        request.POST or None, initial=initial, communities=Area.objects.none(), editing=True
    )
    form.fields["version"] = version_form_field()
    return form_view(
        request,
        form,
        save=lambda data: services.grid_update(
            actor=request.user,
            grid=grid,
            seen_version=data["version"],
            **{k: v for k, v in data.items() if k in services.GRID_FIELDS},
        ),
        message=_("网格已保存。"),
        success_url=_grid_url(grid),
        template="grids/grid_form.html",
        context={"grid": grid},
    )


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grid = selectors.grid_get(actor=request.user, pk=pk)
    can_manage = policies.can_manage_grids(request.user, grid.area_path)
    context: dict[str, Any] = {
        "grid": grid,
        "problems": selectors.breaches_of(grid),
        "can_manage": can_manage,
        "current": [s for s in grid.all_staffings if s.ended_on is None],  # type: ignore[attr-defined]
        "history": [s for s in grid.all_staffings if s.ended_on is not None],  # type: ignore[attr-defined]
        "households": selectors.households_of(grid),
        "figures": selectors.grid_figures(actor=request.user, grid=grid),
    }
    if can_manage:
        workers = (
            CommunityWorker.objects.visible_to(request.user)
            .filter(community_id=grid.community_id)
            .exclude(status="left")
        )
        context["coverage_form"] = forms.CoverageForm(community=grid.community, actor=request.user)
        context["staffing_form"] = forms.StaffingForm(workers=workers)
        context["end_form"] = forms.StaffingEndForm()
    return render(request, "grids/grid_detail.html", context)


@login_required
@require_POST
def grid_cover(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_object_or_404(
        Grid.objects.visible_to(request.user).select_related("community"), pk=pk
    )
    require(policies.can_manage_grids(request.user, grid.area_path))
    form_action(
        request,
        forms.CoverageForm(request.POST, community=grid.community, actor=request.user),
        save=lambda data: services.grid_cover_area(
            actor=request.user, grid=grid, area=data["area"]
        ),
        message=_("已划入网格。"),
        invalid=_("请选择本社区的小区或楼栋。"),
    )
    return redirect("grids:grid_detail", pk=grid.pk)


@login_required
@require_POST
def grid_uncover(request: HttpRequest, pk: int, coverage_pk: int) -> HttpResponse:
    grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=pk)
    coverage = get_object_or_404(
        GridCoverage.objects.select_related("grid"), grid=grid, pk=coverage_pk
    )
    require(policies.can_manage_grids(request.user, grid.area_path))
    services.grid_uncover_area(actor=request.user, coverage=coverage)
    messages.success(request, _("已移出网格。"))
    return redirect("grids:grid_detail", pk=grid.pk)


@login_required
@require_POST
def staffing_add(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=pk)
    require(policies.can_manage_grids(request.user, grid.area_path))
    workers = CommunityWorker.objects.visible_to(request.user).filter(
        community_id=grid.community_id
    )
    form_action(
        request,
        forms.StaffingForm(request.POST, workers=workers),
        save=lambda data: services.staffing_assign(actor=request.user, grid=grid, **data),
        message=_("人员已配备。"),
    )
    return redirect("grids:grid_detail", pk=grid.pk)


@login_required
@require_POST
def staffing_end(request: HttpRequest, pk: int) -> HttpResponse:
    staffing = get_object_or_404(GridStaffing.objects.visible_to(request.user), pk=pk)
    require(policies.can_manage_grids(request.user, staffing.area_path))
    form_action(
        request,
        forms.StaffingEndForm(request.POST),
        save=lambda data: services.staffing_end(
            actor=request.user, staffing=staffing, ended_on=data["ended_on"]
        ),
        message=_("%(name)s 已离任。") % {"name": staffing.person_name},
        invalid=_("请填写离任日期。"),
    )
    return redirect("grids:grid_detail", pk=staffing.grid_id)


@login_required
def staffing_breaches(request: HttpRequest) -> HttpResponse:
    """Every grid that breaks the staffing rule, per street and community."""
    require(policies.can_view_grids(request.user))
    groups = selectors.staffing_breaches(actor=request.user)
    if request.GET.get("export") == "xlsx":
        return export(
            request,
            name=_("网格配备不达标清单"),
            headers=[_("街道/镇"), _("社区"), _("网格编码"), _("网格名称"), _("问题")],
            rows=(
                (group["street"], block["community"], g.code, g.name, "；".join(g.problems))
                for group in groups
                for block in group["communities"]
                for g in block["grids"]
            ),
        )
    low, high = selectors.worker_limits()
    total = sum(group["count"] for group in groups)
    return render(
        request,
        "grids/staffing_breaches.html",
        {"groups": groups, "total": total, "low": low, "high": high},
    )

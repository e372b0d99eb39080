"""Pages of the grids app. A view parses input, resolves objects through a scoped selector,
calls one service and renders; objects outside the actor's scope are 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter, methodcaller
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import AuditAction
from accounts.services import audit_record
from common.excel import xlsx_response
from common.listing import list_query
from governance.models import Area

from . import forms, policies, selectors, services
from .models import CommunityWorker, Grid, GridCoverage, GridStaffing
from .policies import GRID_KEEPERS
from .visits import visit_figures

PER_PAGE = 30
EXPORT_LIMIT = 50_000


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _form_errors(form: django_forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field messages on their fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _message_errors(request: HttpRequest, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


def _listing(request: HttpRequest, rows: QuerySet[Any], ordering: str) -> dict[str, Any]:
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "ordering": ordering,
        "query": list_query(request).urlencode(),
        "query_without_order": list_query(request, "o").urlencode(),
    }


def _export(request: HttpRequest, *, name: str, headers: list[str], rows: Any) -> HttpResponse:
    audit_record(action=AuditAction.EXPORT, actor=request.user, request=request, target=name)
    return xlsx_response(filename=name, title=name, headers=headers, rows=rows)


#: A ledger column: its header and the cell of a row.
Column = tuple[Promise, Callable[[Any], Any]]


@dataclass(frozen=True)
class Ledger:
    """A ledger page (台账): the rows of one scoped selector, filtered and sorted, shown a page
    at a time or, with ``?export=xlsx``, exported to Excel with the same filters (the export
    is audited). ``decorate`` prepares each row of the shown page."""

    name: Promise
    template: str
    columns: tuple[Column, ...]
    default_ordering: str
    decorate: Callable[[Any], None] | None = None

    def filters(self, request: HttpRequest, form: django_forms.Form) -> tuple[dict[str, Any], str]:
        """The filter form's valid data (empty when it is not) and the chosen ordering."""
        data = dict(form.cleaned_data) if form.is_valid() else {}
        data["q"] = (data.get("q") or "").strip()
        return data, request.GET.get("o", self.default_ordering)

    def respond(
        self, request: HttpRequest, rows: QuerySet[Any], ordering: str, **context: Any
    ) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return _export(
                request,
                name=str(self.name),
                headers=[str(header) for header, _cell in self.columns],
                rows=(
                    tuple(cell(row) for _header, cell in self.columns)
                    for row in rows[:EXPORT_LIMIT]
                ),
            )
        listing = _listing(request, rows, ordering)
        if self.decorate is not None:
            for row in listing["page"].object_list:
                self.decorate(row)
        return render(request, self.template, listing | context)


def _pk(obj: Any) -> int | None:
    return obj.pk if obj is not None else None


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def _community_choices(request: HttpRequest) -> QuerySet[Area]:
    return selectors.communities_in_scope(actor=request.user)


# --- Grids ---------------------------------------------------------------------------------


def _with_breaches(grid: Any) -> None:
    grid.problems = selectors.breaches_of(grid)


GRID_LEDGER = Ledger(
    name=gettext_lazy("网格台账"),
    template="grids/grid_list.html",
    default_ordering="code",
    decorate=_with_breaches,
    columns=(
        (gettext_lazy("网格编码"), attrgetter("code")),
        (gettext_lazy("网格名称"), attrgetter("name")),
        (gettext_lazy("所属社区"), attrgetter("community.name")),
        (gettext_lazy("网格类型"), methodcaller("get_kind_display")),
        (gettext_lazy("网格员人数"), attrgetter("n_workers")),
        (gettext_lazy("网格长"), attrgetter("n_leaders")),
        (gettext_lazy("网格党组织书记"), attrgetter("n_secretaries")),
        (gettext_lazy("覆盖小区/楼栋数"), attrgetter("n_coverages")),
        (gettext_lazy("配备情况"), lambda g: "；".join(selectors.breaches_of(g)) or _("达标")),
        (gettext_lazy("启用"), lambda g: _yes_no(g.is_active)),
    ),
)


@login_required
def grid_list(request: HttpRequest) -> HttpResponse:
    _require(policies.can_view_grids(request.user))
    form = forms.GridFilterForm(request.GET or None, communities=_community_choices(request))
    data, ordering = GRID_LEDGER.filters(request, form)
    grids = selectors.grid_list(
        actor=request.user,
        community=_pk(data.get("community")),
        kind=data.get("kind", ""),
        staffing=data.get("staffing", ""),
        search=data["q"],
        ordering=ordering,
    )
    return GRID_LEDGER.respond(
        request, grids, ordering, form=form, can_manage=policies.can_manage_grids(request.user)
    )


@login_required
def grid_create(request: HttpRequest) -> HttpResponse:
    _require(policies.can_manage_grids(request.user))
    communities = selectors.communities_in_scope(actor=request.user, roles=GRID_KEEPERS)
    form = forms.GridForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            grid = services.grid_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("网格“%(name)s”已创建。") % {"name": grid.name})
            return redirect("grids:grid_detail", pk=grid.pk)
    return render(request, "grids/grid_form.html", {"form": form, "grid": None})


@login_required
def grid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=pk)
    _require(policies.can_manage_grids(request.user, grid.area_path))
    initial = {f: getattr(grid, f) for f in services.GRID_FIELDS}
    form = forms.GridForm(
        request.POST or None, initial=initial, communities=Area.objects.none(), editing=True
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.GRID_FIELDS}
        try:
            services.grid_update(actor=request.user, grid=grid, **changes)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("网格已保存。"))
            return redirect("grids:grid_detail", pk=grid.pk)
    return render(request, "grids/grid_form.html", {"form": form, "grid": grid})


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
        context["coverage_form"] = forms.CoverageForm(community=grid.community)
        context["staffing_form"] = forms.StaffingForm(workers=workers)
        context["end_form"] = forms.StaffingEndForm()
    return render(request, "grids/grid_detail.html", context)


@login_required
@require_POST
def grid_cover(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_object_or_404(
        Grid.objects.visible_to(request.user).select_related("community"), pk=pk
    )
    _require(policies.can_manage_grids(request.user, grid.area_path))
    form = forms.CoverageForm(request.POST, community=grid.community)
    if not form.is_valid():
        messages.error(request, _("请选择本社区的小区或楼栋。"))
    else:
        try:
            services.grid_cover_area(actor=request.user, grid=grid, area=form.cleaned_data["area"])
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("已划入网格。"))
    return redirect("grids:grid_detail", pk=grid.pk)


@login_required
@require_POST
def grid_uncover(request: HttpRequest, pk: int, coverage_pk: int) -> HttpResponse:
    grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=pk)
    coverage = get_object_or_404(
        GridCoverage.objects.select_related("grid"), grid=grid, pk=coverage_pk
    )
    _require(policies.can_manage_grids(request.user, grid.area_path))
    services.grid_uncover_area(actor=request.user, coverage=coverage)
    messages.success(request, _("已移出网格。"))
    return redirect("grids:grid_detail", pk=grid.pk)


@login_required
@require_POST
def staffing_add(request: HttpRequest, pk: int) -> HttpResponse:
    grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=pk)
    _require(policies.can_manage_grids(request.user, grid.area_path))
    workers = CommunityWorker.objects.visible_to(request.user).filter(
        community_id=grid.community_id
    )
    form = forms.StaffingForm(request.POST, workers=workers)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            services.staffing_assign(actor=request.user, grid=grid, **form.cleaned_data)
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("人员已配备。"))
    return redirect("grids:grid_detail", pk=grid.pk)


@login_required
@require_POST
def staffing_end(request: HttpRequest, pk: int) -> HttpResponse:
    staffing = get_object_or_404(GridStaffing.objects.visible_to(request.user), pk=pk)
    _require(policies.can_manage_grids(request.user, staffing.area_path))
    form = forms.StaffingEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写离任日期。"))
    else:
        try:
            services.staffing_end(
                actor=request.user, staffing=staffing, ended_on=form.cleaned_data["ended_on"]
            )
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("%(name)s 已离任。") % {"name": staffing.person_name})
    return redirect("grids:grid_detail", pk=staffing.grid_id)


@login_required
def staffing_breaches(request: HttpRequest) -> HttpResponse:
    """Every grid that breaks the staffing rule, per street and community."""
    _require(policies.can_view_grids(request.user))
    groups = selectors.staffing_breaches(actor=request.user)
    if request.GET.get("export") == "xlsx":
        return _export(
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


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    """The community's grids drawn from their GeoJSON, coloured by staffing or open cases."""
    _require(policies.can_view_grids(request.user))
    communities = list(selectors.map_communities(actor=request.user))
    chosen = request.GET.get("community")
    community = next((c for c in communities if str(c.pk) == chosen), None)
    if community is None and communities:
        community = communities[0]
    color = "cases" if request.GET.get("color") == "cases" else "staffing"
    features = selectors.map_grids(actor=request.user, community=community) if community else []
    return render(
        request,
        "grids/grid_map.html",
        {
            "communities": communities,
            "community": community,
            "color": color,
            "geojson": {"type": "FeatureCollection", "features": features},
            "locate_form": forms.LocateForm(),
        },
    )


@login_required
def grid_locate(request: HttpRequest) -> HttpResponse:
    """Which grid holds a point (longitude, latitude)? Opens it, or says none does."""
    _require(policies.can_view_grids(request.user))
    form = forms.LocateForm(request.GET or None)
    if not form.is_valid():
        messages.error(request, _("请输入有效的经度和纬度。"))
        return redirect("grids:grid_map")
    grid = selectors.grid_locate(actor=request.user, **form.cleaned_data)
    if grid is None:
        messages.warning(request, _("该位置不在您辖区内任何网格之中。"))
        return redirect("grids:grid_map")
    messages.success(request, _("该位置属于网格“%(name)s”。") % {"name": grid.name})
    return redirect("grids:grid_detail", pk=grid.pk)


# --- Community workers ---------------------------------------------------------------------


WORKER_LEDGER = Ledger(
    name=gettext_lazy("社区工作者台账"),
    template="grids/worker_list.html",
    default_ordering="community",
    columns=(
        (gettext_lazy("姓名"), attrgetter("name")),
        (gettext_lazy("所属社区"), attrgetter("community.name")),
        (gettext_lazy("岗位"), methodcaller("get_post_display")),
        (gettext_lazy("等级"), attrgetter("grade")),
        (gettext_lazy("五员职责"), methodcaller("get_duty_display")),
        (gettext_lazy("招录状态"), methodcaller("get_status_display")),
        (gettext_lazy("中共党员"), lambda w: _yes_no(w.is_party_member)),
        (gettext_lazy("入职日期"), attrgetter("hired_on")),
        (
            gettext_lazy("定岗网格"),
            lambda w: "、".join(s.grid.name for s in w.current_staffings),
        ),
    ),
)


@login_required
def worker_list(request: HttpRequest) -> HttpResponse:
    _require(policies.can_view_roster(request.user))
    form = forms.WorkerFilterForm(request.GET or None, communities=_community_choices(request))
    data, ordering = WORKER_LEDGER.filters(request, form)
    workers = selectors.worker_list(
        actor=request.user,
        community=_pk(data.get("community")),
        post=data.get("post", ""),
        duty=data.get("duty", ""),
        status=data.get("status", ""),
        search=data["q"],
        ordering=ordering,
    )
    return WORKER_LEDGER.respond(
        request, workers, ordering, form=form, can_manage=policies.can_manage_workers(request.user)
    )


@login_required
def worker_create(request: HttpRequest) -> HttpResponse:
    _require(policies.can_manage_workers(request.user))
    communities = selectors.communities_in_scope(actor=request.user, roles=GRID_KEEPERS)
    form = forms.WorkerForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.worker_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("社区工作者“%(name)s”已登记。") % {"name": worker.name})
            return redirect("grids:worker_detail", pk=worker.pk)
    return render(request, "grids/worker_form.html", {"form": form, "worker": None})


@login_required
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_object_or_404(CommunityWorker.objects.visible_to(request.user), pk=pk)
    _require(policies.can_manage_workers(request.user, worker.area_path))
    initial = {f: getattr(worker, f) for f in services.WORKER_FIELDS if f != "user"}
    form = forms.WorkerForm(
        request.POST or None, initial=initial, communities=Area.objects.none(), editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.worker_update(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("grids:worker_detail", pk=worker.pk)
    return render(request, "grids/worker_form.html", {"form": form, "worker": worker})


@login_required
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = selectors.worker_get(actor=request.user, pk=pk)
    year = timezone.localdate().year
    context = {
        "worker": worker,
        "salary": selectors.salary_of(post=worker.post, grade=worker.grade, year=year),
        "year": year,
        "can_manage": policies.can_manage_workers(request.user, worker.area_path),
        "can_change_grade": policies.can_change_grade(request.user, worker.area_path),
        "grade_form": forms.GradeChangeForm(initial={"post": worker.post, "grade": worker.grade}),
        "training_form": forms.TrainingForm(),
        "training_hours": sum(t.hours for t in worker.trainings.all()),
    }
    return render(request, "grids/worker_detail.html", context)


@login_required
@require_POST
def worker_grade(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_object_or_404(CommunityWorker.objects.visible_to(request.user), pk=pk)
    _require(policies.can_change_grade(request.user, worker.area_path))
    form = forms.GradeChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写岗位、等级和生效日期。"))
    else:
        try:
            services.worker_grade_change(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("岗级变动已记录。"))
    return redirect("grids:worker_detail", pk=worker.pk)


@login_required
@require_POST
def worker_training(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_object_or_404(CommunityWorker.objects.visible_to(request.user), pk=pk)
    _require(policies.can_manage_workers(request.user, worker.area_path))
    form = forms.TrainingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写课程、学时和培训日期。"))
    else:
        try:
            services.training_add(actor=request.user, worker=worker, **form.cleaned_data)
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("培训记录已添加。"))
    return redirect("grids:worker_detail", pk=worker.pk)


# --- Stations ------------------------------------------------------------------------------


STATION_LEDGER = Ledger(
    name=gettext_lazy("红色驿站台账"),
    template="grids/station_list.html",
    default_ordering="name",
    columns=(
        (gettext_lazy("名称"), attrgetter("name")),
        (gettext_lazy("类型"), methodcaller("get_kind_display")),
        (gettext_lazy("网格"), attrgetter("grid.name")),
        (gettext_lazy("所属社区"), attrgetter("grid.community.name")),
        (
            gettext_lazy("所在小区"),
            lambda s: s.residential_area.name if s.residential_area else "",
        ),
        (gettext_lazy("地址"), attrgetter("address")),
        (gettext_lazy("开放时间"), attrgetter("opening_hours")),
        (
            gettext_lazy("服务内容"),
            lambda s: "、".join(str(label) for label in service_labels(s.services)),
        ),
        (gettext_lazy("党员示范岗数"), attrgetter("n_model_posts")),
    ),
)


@login_required
def station_list(request: HttpRequest) -> HttpResponse:
    _require(policies.can_view_grids(request.user))
    form = forms.StationFilterForm(request.GET or None, communities=_community_choices(request))
    data, ordering = STATION_LEDGER.filters(request, form)
    stations = selectors.station_list(
        actor=request.user,
        community=_pk(data.get("community")),
        kind=data.get("kind", ""),
        service=data.get("service", ""),
        search=data["q"],
        ordering=ordering,
    )
    return STATION_LEDGER.respond(
        request, stations, ordering, form=form, can_manage=policies.can_manage_grids(request.user)
    )


def service_labels(values: list[str]) -> list[Any]:
    from .models import ServiceKind

    return [ServiceKind(value).label for value in values if value in ServiceKind.values]


def _station_choices(request: HttpRequest) -> tuple[QuerySet[Grid], QuerySet[Area]]:
    keepers = selectors.communities_in_scope(actor=request.user, roles=GRID_KEEPERS)
    grids = Grid.objects.visible_to(request.user).filter(community__in=keepers, is_active=True)
    return grids, selectors.residential_areas_of(keepers)


@login_required
def station_create(request: HttpRequest) -> HttpResponse:
    _require(policies.can_manage_grids(request.user))
    grids, estates = _station_choices(request)
    form = forms.StationForm(request.POST or None, grids=grids, estates=estates)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        grid = fields.pop("grid")
        try:
            station = services.station_create(actor=request.user, grid=grid, **fields)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s”已登记。") % {"name": station.name})
            return redirect("grids:station_detail", pk=station.pk)
    return render(request, "grids/station_form.html", {"form": form, "station": None})


@login_required
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(actor=request.user, pk=pk)
    _require(policies.can_manage_grids(request.user, station.area_path))
    grids, estates = _station_choices(request)
    initial = {f: getattr(station, f) for f in services.STATION_FIELDS}
    form = forms.StationForm(
        request.POST or None, initial=initial, grids=grids, estates=estates, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.station_update(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("grids:station_detail", pk=station.pk)
    return render(request, "grids/station_form.html", {"form": form, "station": station})


@login_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(actor=request.user, pk=pk)
    return render(
        request,
        "grids/station_detail.html",
        {
            "station": station,
            "services": service_labels(station.services),
            "can_manage": policies.can_manage_grids(request.user, station.area_path),
            "post_form": forms.ModelPostForm(),
        },
    )


@login_required
@require_POST
def model_post_add(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(actor=request.user, pk=pk)
    _require(policies.can_manage_grids(request.user, station.area_path))
    form = forms.ModelPostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写岗位名称、党员姓名和设岗日期。"))
    else:
        try:
            services.model_post_add(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("党员示范岗已设立。"))
    return redirect("grids:station_detail", pk=station.pk)


# --- Visits --------------------------------------------------------------------------------


VISIT_LEDGER = Ledger(
    name=gettext_lazy("民情走访台账"),
    template="grids/visit_list.html",
    default_ordering="-date",
    columns=(
        (gettext_lazy("走访日期"), attrgetter("visited_on")),
        (gettext_lazy("网格"), attrgetter("grid.name")),
        (gettext_lazy("住户"), lambda v: str(v.household)),
        (gettext_lazy("走访人"), attrgetter("visitor.display_name")),
        (gettext_lazy("走访方式"), methodcaller("get_kind_display")),
        (gettext_lazy("了解情况"), attrgetter("heard")),
        (gettext_lazy("发现问题数"), attrgetter("n_problems")),
        (gettext_lazy("已解决问题数"), attrgetter("n_solved")),
        (gettext_lazy("未解决问题数"), attrgetter("n_open")),
        (gettext_lazy("回访日期"), attrgetter("follow_up_on")),
    ),
)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    """The visit ledger; ``?grid=<id>`` keeps one grid's visits."""
    _require(policies.can_view_grids(request.user))
    form = forms.VisitFilterForm(request.GET or None)
    data, ordering = VISIT_LEDGER.filters(request, form)
    grid = request.GET.get("grid", "")
    visits = selectors.visit_list(
        actor=request.user,
        grid=int(grid) if grid.isdigit() else None,
        kind=data.get("kind", ""),
        problems=data.get("problems", ""),
        mine=bool(data.get("mine")),
        search=data["q"],
        ordering=ordering,
    )
    return VISIT_LEDGER.respond(
        request,
        visits,
        ordering,
        form=form,
        figures=visit_figures(visits),
        can_log=policies.can_log_visit(request.user),
    )


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    """The grid worker's phone form: one visit, its needs and problems, in one step."""
    _require(policies.can_log_visit(request.user))
    from governance.models import Household

    grids = Grid.objects.visible_to(request.user).filter(is_active=True).order_by("code")
    mine = selectors.my_grids(actor=request.user)
    if mine.exists():
        grids = grids.filter(pk__in=mine.values("pk"))
    households = Household.objects.visible_to(request.user).select_related("building")
    form = forms.VisitForm(request.POST or None, grids=grids, households=households)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_log(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            reported = visit.problems.count()
            if reported:
                messages.success(
                    request, _("走访已登记，%(n)s 个问题已上报为事件。") % {"n": reported}
                )
            else:
                messages.success(request, _("走访已登记。"))
            return redirect("grids:visit_detail", pk=visit.pk)
    return render(request, "grids/visit_form.html", {"form": form})


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(actor=request.user, pk=pk)
    return render(
        request,
        "grids/visit_detail.html",
        {"visit": visit, "can_log": policies.can_log_visit(request.user, visit.area_path)},
    )


@login_required
@require_POST
def visit_followed_up(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get(actor=request.user, pk=pk)
    _require(policies.can_log_visit(request.user, visit.area_path))
    try:
        services.visit_follow_up_done(actor=request.user, visit=visit)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("已记录回访。"))
    return redirect("grids:visit_detail", pk=visit.pk)

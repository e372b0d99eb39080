"""Red stations (红色驿站) and grid service stations: the ledger, a station's page and its
party member model posts (党员示范岗)."""

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.errors import form_errors
from common.listpage import Action, Column, choice_column
from common.pages import form_view
from governance.models import Area
from grids import forms, policies, selectors, services
from grids.models import Grid, ServiceKind, Station
from grids.policies import GRID_KEEPERS

from .base import GridsListPage, message_errors, pk_of, require


def service_labels(values: list[str]) -> list[Any]:
    return [ServiceKind(value).label for value in values if value in ServiceKind.values]


def _grid_cell(station: Any) -> SafeString:
    return format_html(
        '{} <span class="muted small">{}</span>', station.grid.name, station.grid.community.name
    )


class StationListPage(GridsListPage):
    """The stations of the grids in scope."""

    title = gettext_lazy("红色驿站")
    heading = gettext_lazy("红色驿站与网格党群服务站")
    export_name = gettext_lazy("红色驿站台账")
    tab = "stations"
    table_id = "station-table"
    empty_text = gettext_lazy("没有符合条件的驿站。")
    default_ordering = "name"
    columns = (
        Column(
            gettext_lazy("名称"),
            attrgetter("name"),
            "name",
            link=lambda s: reverse("grids:station_detail", args=[s.pk]),
        ),
        choice_column(gettext_lazy("类型"), Station, "kind", "kind"),
        Column(gettext_lazy("网格"), attrgetter("grid.name"), "grid", html=_grid_cell),
        Column(gettext_lazy("开放时间"), attrgetter("opening_hours")),
        Column(gettext_lazy("党员示范岗"), attrgetter("n_model_posts"), css="num"),
    )
    export_columns = (
        Column(gettext_lazy("名称"), attrgetter("name")),
        choice_column(gettext_lazy("类型"), Station, "kind"),
        Column(gettext_lazy("网格"), attrgetter("grid.name")),
        Column(gettext_lazy("所属社区"), attrgetter("grid.community.name")),
        Column(
            gettext_lazy("所在小区"),
            lambda s: s.residential_area.name if s.residential_area else "",
        ),
        Column(gettext_lazy("地址"), attrgetter("address")),
        Column(gettext_lazy("开放时间"), attrgetter("opening_hours")),
        Column(
            gettext_lazy("服务内容"),
            lambda s: "、".join(str(label) for label in service_labels(s.services)),
        ),
        Column(gettext_lazy("党员示范岗数"), attrgetter("n_model_posts")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_grids(user)

    def get_form(self) -> forms.StationFilterForm:
        return forms.StationFilterForm(self.request.GET or None, communities=self.communities())

    def get_rows(self) -> QuerySet[Station]:
        return selectors.station_list(
            actor=self.request.user,
            community=pk_of(self.filters.get("community")),
            kind=self.filters.get("kind", ""),
            service=self.filters.get("service", ""),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )

    def get_actions(self) -> list[Action]:
        if not policies.can_manage_grids(self.request.user):
            return []
        return [Action(_("登记驿站"), reverse("grids:station_create"), "primary")]


station_list = StationListPage.as_view()


def _station_choices(request: HttpRequest) -> tuple[QuerySet[Grid], QuerySet[Area]]:
    keepers = selectors.communities_in_scope(actor=request.user, roles=GRID_KEEPERS)
    grids = Grid.objects.visible_to(request.user).filter(community__in=keepers, is_active=True)
    return grids, selectors.residential_areas_of(keepers)


@login_required
def station_create(request: HttpRequest) -> HttpResponse:
    require(policies.can_manage_grids(request.user))
    grids, estates = _station_choices(request)
    form = forms.StationForm(request.POST or None, grids=grids, estates=estates, actor=request.user)
    return form_view(
        request,
        form,
        save=lambda data: services.station_create(actor=request.user, **data),
        message=lambda station: _("“%(name)s”已登记。") % {"name": station.name},
        success_url=lambda station: reverse("grids:station_detail", args=[station.pk]),
        template="grids/station_form.html",
        context={"station": None},
    )


@login_required
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get(actor=request.user, pk=pk)
    require(policies.can_manage_grids(request.user, station.area_path))
    grids, estates = _station_choices(request)
    initial = {f: getattr(station, f) for f in services.STATION_FIELDS}
    form = forms.StationForm(
        request.POST or None,
        initial=initial,
        grids=grids,
        estates=estates,
        actor=request.user,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.station_update(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
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
    require(policies.can_manage_grids(request.user, station.area_path))
    form = forms.ModelPostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请完整填写岗位名称、党员姓名和设岗日期。"))
    else:
        try:
            services.model_post_add(actor=request.user, station=station, **form.cleaned_data)
        except ValidationError as exc:
            message_errors(request, exc)
        else:
            messages.success(request, _("党员示范岗已设立。"))
    return redirect("grids:station_detail", pk=station.pk)

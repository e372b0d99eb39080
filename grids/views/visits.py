"""Visits (民情走访): the ledger with its figures, the grid worker's phone form that logs a
visit with its needs and problems in one step, a visit's page and its follow-up."""

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.listpage import Action, Column, choice_column
from common.pages import form_view
from governance.models import Household
from grids import forms, policies, selectors, services
from grids.models import Grid, Visit
from grids.visits import visit_figures

from .base import GridsListPage, message_errors, require


def _problems(visit: Any) -> str:
    if not visit.n_problems:
        return ""
    return _("%(n)s 个，未解决 %(open)s") % {"n": visit.n_problems, "open": visit.n_open}


class VisitListPage(GridsListPage):
    """The visit ledger; ``?grid=<id>`` keeps one grid's visits."""

    title = gettext_lazy("民情走访")
    export_name = gettext_lazy("民情走访台账")
    template_name = "grids/visit_list.html"
    tab = "visits"
    table_id = "visit-table"
    empty_text = gettext_lazy("没有符合条件的走访记录。")
    form_class = forms.VisitFilterForm
    default_ordering = "-date"
    keep = ("grid",)
    columns = (
        Column(
            gettext_lazy("走访日期"),
            attrgetter("visited_on"),
            "-date",
            link=lambda v: reverse("grids:visit_detail", args=[v.pk]),
        ),
        Column(gettext_lazy("网格"), attrgetter("grid.name"), "grid"),
        Column(gettext_lazy("住户"), lambda v: str(v.household)),
        Column(gettext_lazy("走访人"), attrgetter("visitor.display_name")),
        Column(gettext_lazy("问题"), _problems),
        Column(gettext_lazy("回访日期"), attrgetter("follow_up_on"), "follow_up"),
    )
    export_columns = (
        Column(gettext_lazy("走访日期"), attrgetter("visited_on")),
        Column(gettext_lazy("网格"), attrgetter("grid.name")),
        Column(gettext_lazy("住户"), lambda v: str(v.household)),
        Column(gettext_lazy("走访人"), attrgetter("visitor.display_name")),
        choice_column(gettext_lazy("走访方式"), Visit, "kind"),
        Column(gettext_lazy("了解情况"), attrgetter("heard")),
        Column(gettext_lazy("发现问题数"), attrgetter("n_problems")),
        Column(gettext_lazy("已解决问题数"), attrgetter("n_solved")),
        Column(gettext_lazy("未解决问题数"), attrgetter("n_open")),
        Column(gettext_lazy("回访日期"), attrgetter("follow_up_on")),
    )

    def allowed(self, user: Any) -> bool:
        return policies.can_view_grids(user)

    def get_rows(self) -> QuerySet[Visit]:
        grid = self.request.GET.get("grid", "")
        self.visits = selectors.visit_list(
            actor=self.request.user,
            grid=int(grid) if grid.isdigit() else None,
            kind=self.filters.get("kind", ""),
            problems=self.filters.get("problems", ""),
            mine=bool(self.filters.get("mine")),
            search=self.filters.get("q", ""),
            ordering=self.ordering,
        )
        return self.visits

    def get_actions(self) -> list[Action]:
        if not policies.can_log_visit(self.request.user):
            return []
        return [Action(_("登记走访"), reverse("grids:visit_create"), "primary")]

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return super().get_context_data(figures=visit_figures(self.visits), **context)


visit_list = VisitListPage.as_view()


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    """The grid worker's phone form: one visit, its needs and problems, in one step."""
    require(policies.can_log_visit(request.user))
    grids = Grid.objects.visible_to(request.user).filter(is_active=True).order_by("code")
    mine = selectors.my_grids(actor=request.user)
    if mine.exists():
        grids = grids.filter(pk__in=mine.values("pk"))
    households = Household.objects.visible_to(request.user).select_related("building")
    form = forms.VisitForm(
        request.POST or None, grids=grids, households=households, actor=request.user
    )
    return form_view(
        request,
        form,
        save=lambda _data: services.visit_log(actor=request.user, **form.service_kwargs()),
        message=_visit_logged,
        success_url=lambda visit: reverse("grids:visit_detail", args=[visit.pk]),
        template="grids/visit_form.html",
    )


def _visit_logged(visit: Any) -> str:
    reported = visit.problems.count()
    if reported:
        return _("走访已登记，%(n)s 个问题已上报为事件。") % {"n": reported}
    return _("走访已登记。")


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
    require(policies.can_log_visit(request.user, visit.area_path))
    try:
        services.visit_follow_up_done(actor=request.user, visit=visit)
    except ValidationError as exc:
        message_errors(request, exc)
    else:
        messages.success(request, _("已记录回访。"))
    return redirect("grids:visit_detail", pk=visit.pk)

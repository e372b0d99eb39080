"""Pages of the dashboards: parse the period and territory, call one selector, render.

``/dashboard/`` the dashboard of the user's scope (``?area=`` narrows it, ``?period=`` picks
the months, ``?export=<table>`` downloads one of its tables), ``/dashboard/cases/`` the cases
behind a figure, ``/dashboard/screen/`` the big screen and its refreshing panel,
``/dashboard/map/`` the grid map, ``/dashboard/report/`` the monthly report and its PDF.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditAction
from accounts.roles import Role
from accounts.scoping import scope_of
from accounts.services import audit_record
from cases.models import Case
from common.excel import xlsx_response
from common.listpage import Column, ListPage
from common.paging import LateJoinPaginator

from . import board_cache, pdf, selectors
from .direct import DirectSource
from .drill import MEASURE_CONDITIONS, drill_case_ids
from .forms import DashboardFilterForm
from .maps import map_features
from .periods import Period, PeriodKind, current_period, period_from, report_month
from .policies import can_view_dashboard
from .selectors import Dashboard, Table, kpi_table, ranking_table
from .territory import Territory, territory_for

SCREEN_REFRESH_SECONDS = 30
#: The dashboard's tables, in the order of the page.
TABLE_ORDER = [
    "trend", "areas", "states", "tiers", "sources", "categories", "units", "handling",
    "supervision",
]  # fmt: skip


def _require(request: HttpRequest) -> None:
    """三员分立: the security administrator and the auditor see no dashboard (403)."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied


def _territory(request: HttpRequest) -> tuple[Territory, Territory]:
    """(the territory asked for, the actor's whole territory for the picker)."""
    base = territory_for(request.user, unit=request.GET.get("unit", ""))
    area = request.GET.get("area")
    if area and not base.is_unit:
        return territory_for(request.user, area_id=area), base
    return base, base


def _all_tables(board: Dashboard) -> dict[str, Table]:
    tables = dict(board.tables)
    if board.kpis:
        tables["kpis"] = kpi_table(board)
    for ranking in board.rankings:
        table = ranking_table(ranking)
        tables[table.key] = table
    return tables


def _export(request: HttpRequest, table: Table, board: Dashboard) -> HttpResponse:
    name = f"{board.territory.label}{table.title}（{board.period.label}）"
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        target="dashboards",
        detail={"table": table.key, "period": board.period.label},
    )
    return xlsx_response(
        filename=name,
        title=str(table.title),
        headers=[str(h) for h in table.headers],
        rows=table.export_rows(),
    )


def _query(territory: Territory, period: Period, **extra: str) -> str:
    query = dict(period.query())
    if territory.is_unit:
        query["unit"] = territory.unit
    elif territory.area is not None:
        query["area"] = str(territory.area.pk)
    query.update(extra)
    return urlencode(query)


#: The page's sections; the seed report's figures load in a fragment of their own (they come
#: from every app's records, the slowest part), or with the page when exported.
PAGE_SECTIONS = selectors.ALL_SECTIONS - {"seed", "coverage"}


def _dashboard_page(request: HttpRequest, source: Any = None) -> HttpResponse:
    _require(request)
    territory, base = _territory(request)
    period = period_from(request.GET)
    export = request.GET.get("export")
    # The page of the rollups is kept until its data change (board_cache); the naive floor
    # (``source``) and the exports are counted every time.
    counted_each_time = source is not None or bool(export)
    key = None if counted_each_time else board_cache.board_key(request, "page", territory)
    board_html = board_cache.kept(key) if key else None
    if board_html is None:
        board = selectors.case_dashboard(
            actor=request.user,
            territory=territory,
            period=period,
            source=source,
            sections=selectors.ALL_SECTIONS if export == "seed" else PAGE_SECTIONS,
        )
        tables = _all_tables(board)
        if export:
            if export not in tables:
                raise Http404
            return _export(request, tables[export], board)
        board_html = render_to_string(
            "dashboards/_board.html",
            {
                "board": board,
                "tables": tables,
                "query": _query(territory, period),
                "area_query": _query(territory, current_period(PeriodKind.YEAR)),
                "rankings": [(r, ranking_table(r)) for r in board.rankings],
                "ordered": [tables[k] for k in TABLE_ORDER if k in tables],
            },
            request,
        )
        if key:
            board_cache.keep(key, board_html)
    return render(
        request,
        "dashboards/home.html",
        {
            # The head of the page needs the territory and period only.
            "head": Dashboard(territory=territory, period=period, source=""),
            "board_html": mark_safe(board_html),  # noqa: S308 (our own template's output)
            "form": DashboardFilterForm(territory=territory, period=period, base=base),
            "query": _query(territory, period),
            "area_query": _query(territory, current_period(PeriodKind.YEAR)),
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return _dashboard_page(request)


@login_required
def seed(request: HttpRequest) -> HttpResponse:
    """The seed report's figures of the actor's scope: the dashboard's lazily loaded panel
    (htmx), or a page of its own."""
    _require(request)
    territory, _base = _territory(request)
    period = period_from(request.GET)
    board = selectors.case_dashboard(
        actor=request.user, territory=territory, period=period, sections=frozenset({"seed"})
    )
    fragment = request.headers.get("HX-Request") == "true"
    template = "dashboards/_seed.html" if fragment else "dashboards/seed.html"
    return render(
        request,
        template,
        {"board": board, "table": board.tables["seed"], "query": _query(territory, period)},
    )


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """The coverage of party organisations and grids: the dashboard's fragment (htmx)."""
    _require(request)
    territory, _base = _territory(request)
    panel = selectors.coverage_panel(actor=request.user, territory=territory)
    return render(request, "dashboards/_coverage.html", {"coverage": panel})


@login_required
def direct(request: HttpRequest) -> HttpResponse:
    """核对: the same dashboard (``?view=screen``: the big screen's panel) counted straight
    from the case tables, for the district admin to check the rollups against, and the naive
    floor `make bench` measures beside the real one (its settings switch it on for everyone
    there). Each request scans the cases of the period."""
    allowed = getattr(settings, "BENCH_FLOOR_VIEW", False) or scope_of(request.user).has_role(
        Role.DISTRICT_ADMIN
    )
    if not allowed:
        raise PermissionDenied
    if request.GET.get("view") == "screen":
        board = _screen_board(request, source=DirectSource())
        return render(
            request,
            "dashboards/_screen_panel.html",
            {"board": board, "query": _query(board.territory, board.period), "oob": True,
             "refresh": SCREEN_REFRESH_SECONDS},
        )  # fmt: skip
    return _dashboard_page(request, source=DirectSource())


# --- The cases behind a figure ------------------------------------------------------------------

MEASURE_LABELS: dict[str, Any] = {
    "n": gettext_lazy("上报的事件"),
    "open": gettext_lazy("未办结的事件"),
    "overdue_now": gettext_lazy("当前超期的事件"),
    "yellow_now": gettext_lazy("临近超期的事件"),
    "overdue_ever": gettext_lazy("曾超期的事件"),
    "closed": gettext_lazy("已办结的事件"),
    "on_time": gettext_lazy("按期办结的事件"),
    "late": gettext_lazy("超期后办结的事件"),
    "rated": gettext_lazy("已评价的事件"),
    "satisfied": gettext_lazy("满意或基本满意的事件"),
    "unsatisfied": gettext_lazy("不满意的事件"),
    "reopened": gettext_lazy("重新办理过的事件"),
    "escalated": gettext_lazy("呼叫过上级的事件"),
    "supervised": gettext_lazy("督办中的事件"),
    "sup_ordinary": gettext_lazy("一般督办的事件"),
    "sup_yellow": gettext_lazy("黄牌督办的事件"),
    "sup_red": gettext_lazy("红牌督办的事件"),
    "urgent": gettext_lazy("加急的事件"),
    "handled": gettext_lazy("已办结（含待核查、待评价）的事件"),
}


class FigureCasesPage(ListPage):
    """The cases a dashboard figure counts, exactly as the rollups count them, among those
    the actor may see."""

    title = gettext_lazy("统计明细")
    export_name = gettext_lazy("统计明细")
    paginator_class = LateJoinPaginator
    table_id = "figure-cases"
    columns = (
        Column(
            gettext_lazy("编号"),
            lambda c: c.number,
            link=lambda c: reverse("cases:detail", args=[c.pk]),
        ),
        Column(gettext_lazy("标题"), lambda c: c.title),
        Column(gettext_lazy("类别"), lambda c: str(c.category)),
        Column(gettext_lazy("状态"), lambda c: c.get_state_display()),
        Column(gettext_lazy("街道/镇"), lambda c: c.street.name),
        Column(gettext_lazy("社区"), lambda c: c.community.name),
        Column(gettext_lazy("来源"), lambda c: c.get_source_display()),
        Column(gettext_lazy("满意度"), lambda c: c.get_satisfaction_display()),
        Column(gettext_lazy("上报时间"), lambda c: c.created_at, date_format="Y-m-d H:i"),
    )

    def allowed(self, user: Any) -> bool:
        return can_view_dashboard(user)

    def get_rows(self) -> Any:
        params = self.request.GET
        base = territory_for(self.request.user, unit=params.get("unit", ""))
        area = params.get("area")
        self.territory = (
            territory_for(self.request.user, area_id=area) if area and not base.is_unit else base
        )
        first = period_from(
            {"period": "custom", "from": params.get("from"), "to": params.get("to")}
        )
        self.period = first
        measure = params.get("measure", "n")
        if measure not in MEASURE_CONDITIONS:
            measure = "n"
        self.measure = measure
        ids = drill_case_ids(
            self.territory,
            self.period,
            measure=measure,
            facet=params.get("facet", ""),
            value=params.get("value", ""),
        )
        return (
            Case.objects.visible_to(self.request.user)
            .filter(pk__in=ids)
            .select_related("category__parent", "street", "community")
            .order_by("-created_at", "-id")
        )

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["heading"] = _("%(area)s %(period)s %(what)s") % {
            "area": self.territory.label,
            "period": self.period.label,
            "what": MEASURE_LABELS[self.measure],
        }
        context["back"] = reverse("dashboards:home") + "?" + _query(self.territory, self.period)
        return context

    def exported(self, rows: Any) -> None:
        audit_record(
            action=AuditAction.EXPORT,
            actor=self.request.user,
            request=self.request,
            target="dashboards.cases",
        )


figure_cases = FigureCasesPage.as_view(template_name="dashboards/figure_cases.html")


# --- The big screen ----------------------------------------------------------------------------

SCREEN_SECTIONS = frozenset({"kpis", "trend", "areas", "breakdowns", "rankings"})


def _screen_board(request: HttpRequest, source: Any = None) -> Dashboard:
    _require(request)
    territory, _base = _territory(request)
    period = period_from(request.GET)
    return selectors.case_dashboard(
        actor=request.user,
        territory=territory,
        period=period,
        sections=SCREEN_SECTIONS,
        source=source,
    )


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """大屏: the dashboard for a 1920×1080 wall, dark, read from five metres; its panel
    refreshes itself (htmx polling) without reloading the page."""
    board = _screen_board(request)
    return render(
        request,
        "dashboards/screen.html",
        {
            "board": board,
            "query": _query(board.territory, board.period),
            "refresh": SCREEN_REFRESH_SECONDS,
        },
    )


@login_required
def screen_panel(request: HttpRequest) -> HttpResponse:
    """The big screen's refreshing panel, kept until its data change (board_cache)."""
    _require(request)
    key = board_cache.board_key(request, "screen", _territory(request)[0])
    html = board_cache.kept(key)
    if html is None:
        board = _screen_board(request)
        html = render_to_string(
            "dashboards/_screen_panel.html",
            {
                "board": board,
                "query": _query(board.territory, board.period),
                "refresh": SCREEN_REFRESH_SECONDS,
                "oob": True,
            },
            request,
        )
        board_cache.keep(key, html)
    return HttpResponse(html)


# --- The map -----------------------------------------------------------------------------------


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    _require(request)
    territory, base = _territory(request)
    if territory.is_unit:
        raise Http404
    color = request.GET.get("color", "open")
    return render(
        request,
        "dashboards/map.html",
        {
            "territory": territory,
            "color": color if color in ("open", "overdue", "staffing") else "open",
            "query": _query(territory, current_period(PeriodKind.YEAR)),
            "form": DashboardFilterForm(
                territory=territory, period=current_period(PeriodKind.YEAR), base=base
            ),
        },
    )


@login_required
def map_data(request: HttpRequest) -> JsonResponse:
    _require(request)
    territory, _base = _territory(request)
    if territory.is_unit:
        raise Http404
    return JsonResponse(map_features(actor=request.user, territory=territory))


# --- The monthly report ------------------------------------------------------------------------

REPORT_SECTIONS = frozenset({"kpis", "trend", "areas", "breakdowns", "units", "rankings", "seed"})


def _report_board(request: HttpRequest) -> Dashboard:
    _require(request)
    territory, _base = _territory(request)
    return selectors.case_dashboard(
        actor=request.user,
        territory=territory,
        period=report_month(request.GET),
        sections=REPORT_SECTIONS,
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The monthly report of the scope, printable (the print style drops the portal's
    chrome); the PDF beside it carries the same figures and charts."""
    board = _report_board(request)
    query = _query(board.territory, board.period, month=f"{board.period.first:%Y-%m}")
    return render(
        request,
        "dashboards/report.html",
        {
            "board": board,
            "tables": _all_tables(board),
            "rankings": [(r, ranking_table(r)) for r in board.rankings],
            "ordered": [t for key, t in _all_tables(board).items() if key in TABLE_ORDER],
            "query": query,
            "month": f"{board.period.first:%Y-%m}",
        },
    )


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    board = _report_board(request)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        target="dashboards.report",
        detail={"month": board.period.label},
    )
    content = pdf.monthly_report(board, _all_tables(board))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"report-{board.period.first:%Y-%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

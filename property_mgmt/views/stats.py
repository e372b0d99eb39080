"""Complaint rates, satisfaction and the quarterly 红黑榜 (ranking)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction
from accounts.services import audit_record
from common.excel import xlsx_response
from governance.models import Area

from .. import figures, policies, selectors
from ..forms import WithinForm
from ..selectors import stats
from ..selectors.periods import Period
from ._base import need


def _within(request: HttpRequest) -> tuple[Any, WithinForm]:
    """The area the figures are counted for, chosen by name, and its form; an id outside the
    actor's scope is a 404 as everywhere."""
    form = WithinForm(
        request.GET or None, areas=selectors.filter_areas(request.user), actor=request.user
    )
    if form.is_valid():
        return selectors.area_in_scope(request.user, form.cleaned_data.get("within")), form
    raw = request.GET.get("within", "")
    return (selectors.area_in_scope(request.user, int(raw)) if raw.isdigit() else None), form


@login_required
def complaint_rates(request: HttpRequest) -> HttpResponse:
    """Complaints per 1,000 households per month, by company, area, community or street, for
    the last 12 months (or from ``start``), with the change against the same days of last year."""
    need(policies.can_read_area_ledgers(request.user))
    today = timezone.localdate()
    group = request.GET.get("group", "company")
    group = group if group in stats.GROUPS else "company"
    try:
        months = max(1, min(24, int(request.GET.get("months", "12"))))
    except ValueError:
        months = 12
    start = selectors.add_months(date(today.year, today.month, 1), -(months - 1))
    within, within_form = _within(request)
    table = stats.kept(
        "rates",
        request.user,
        (group, start, months, within and within.pk),
        lambda: stats.complaint_rates(
            actor=request.user, group=group, start=start, months=months, within=within
        ),
    )
    change, now_count, before_count = stats.kept(
        "rate-change", request.user, (), lambda: figures.complaint_rate_change(request.user)
    )
    drill_field = {
        "company": "company",
        "estate": "within",
        "community": "within",
        "street": "within",
    }[group]
    for row in table.rows:
        row.drill = (
            reverse("property_mgmt:complaint_list")
            + "?"
            + urlencode({"kind": "complaint", drill_field: row.key, "start": start.isoformat()})
        )
    if request.GET.get("export") == "xlsx":
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            request=request,
            target=str(_("物业投诉率")),
        )
        headers = [
            str(stats.GROUPS[group][1]),
            _("在册户数"),
            *[f"{m:%Y-%m}" for m in table.months],
            _("投诉合计"),
            _("每千户月均"),
        ]
        rows = [[r.label, r.households, *r.rates, r.total, r.rate] for r in table.rows]
        return xlsx_response(
            filename=_("物业投诉率"), title=_("物业投诉率"), headers=headers, rows=rows
        )
    return render(
        request,
        "property_mgmt/complaint_rates.html",
        {
            "table": table,
            "group": group,
            "groups": [(k, v[1]) for k, v in stats.GROUPS.items()],
            "months": months,
            "change": change,
            "now_count": now_count,
            "before_count": before_count,
            "within_form": within_form,
            "within": within,
            "tab": "rates",
            "query": request.GET.urlencode(),
        },
    )


@login_required
def satisfaction(request: HttpRequest) -> HttpResponse:
    """满意率 by company and by residential area for a year, against a baseline year."""
    need(policies.can_read_area_ledgers(request.user))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        baseline = int(request.GET.get("baseline", year - 1))
    except ValueError:
        year, baseline = today.year, today.year - 1
    within, within_form = _within(request)
    group = "estate" if request.GET.get("group") == "estate" else "company"
    change, rows, before_rows = stats.kept(
        "satisfaction",
        request.user,
        (year, baseline, group, within and within.pk),
        lambda: (
            stats.satisfaction_change(
                actor=request.user, year=year, baseline=baseline, within=within
            ),
            stats.satisfaction_by(request.user, group=group, year=year, within=within),
            stats.satisfaction_by(request.user, group=group, year=baseline, within=within),
        ),
    )
    before = {r["key"]: r for r in before_rows}
    for row in rows:
        base = before.get(row["key"])
        row["baseline_rate"] = base["rate"] if base else None
        row["change"] = stats.change_pct(row["baseline_rate"], row["rate"])
    if request.GET.get("export") == "xlsx":
        audit_record(
            action=AuditAction.EXPORT, actor=request.user, request=request, target=str(_("满意度"))
        )
        headers = [
            _("物业企业") if group == "company" else _("小区"),
            _("答卷"),
            _("在册户数"),
            _("参与率（%）"),
            _("满意率（%）"),
            _("基准年满意率（%）"),
            _("变化（%）"),
        ]
        data = [
            [
                r["label"],
                r["n"],
                r["households"],
                r["response_rate"],
                r["rate"],
                r["baseline_rate"],
                r["change"],
            ]
            for r in rows
        ]
        return xlsx_response(filename=_("满意度"), title=_("满意度"), headers=headers, rows=data)
    return render(
        request,
        "property_mgmt/satisfaction.html",
        {
            "change": change,
            "rows": rows,
            "group": group,
            "year": year,
            "baseline": baseline,
            "within_form": within_form,
            "within": within,
            "tab": "satisfaction",
            "query": request.GET.urlencode(),
        },
    )


def _drills(company: int, period: Period, within: Area | None) -> dict[str, str]:
    """The ledger listing the rows behind each input of a company's row of the 红黑榜, with
    the filters the ranking counts by (``stats.narrow_*``): the same company, period and
    area."""
    first, last = period.start.isoformat(), (period.end - timedelta(days=1)).isoformat()
    area = {"within": within.pk} if within is not None else {}
    complaints = {"kind": "complaint", "company": company, "counted": "1", **area}
    handled = {**complaints, "resolved_start": first, "resolved_end": last}
    resolutions = {"company": company, "due_start": first, "due_end": last, **area}

    def link(name: str, params: dict[str, Any]) -> str:
        return reverse(f"property_mgmt:{name}") + "?" + urlencode(params)

    return {
        "complaints": link("complaint_list", {**complaints, "start": first, "end": last}),
        "handled": link("complaint_list", handled),
        "on_time": link("complaint_list", {**handled, "timeliness": stats.ON_TIME}),
        "late": link("complaint_list", {**handled, "timeliness": stats.LATE}),
        "surveys": link(
            "survey_list", {"company": company, "period_from": first, "period_to": last, **area}
        ),
        "resolutions": link("resolution_list", {**resolutions, "keeping": stats.COUNTED}),
        "resolutions_kept": link("resolution_list", {**resolutions, "keeping": stats.KEPT}),
    }


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """红黑榜: companies ranked per quarter by the published formula, inputs drillable."""
    need(policies.can_read_area_ledgers(request.user))
    error = ""
    try:
        period = selectors.quarter(request.GET.get("quarter", ""))
    except ValidationError as exc:
        error = "；".join(exc.messages)
        period = selectors.quarter("")
    within, within_form = _within(request)
    rows = stats.kept(
        "ranking",
        request.user,
        (period.start, period.end, within and within.pk),
        lambda: stats.ranking(actor=request.user, period=period, within=within),
    )
    for row in rows:
        row.drill = _drills(row.company.pk, period, within)
    if request.GET.get("export") == "xlsx":
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            request=request,
            target=str(_("红黑榜")),
            detail={"quarter": period.label},
        )
        headers = [
            _("名次"),
            _("物业企业"),
            _("综合得分"),
            _("榜单"),
            _("满意率（%）"),
            _("答卷"),
            _("满意答卷"),
            _("每千户月均投诉"),
            _("投诉得分"),
            _("投诉件数"),
            _("在册户数"),
            _("按时办结率（%）"),
            _("办结件数"),
            _("超期办结件数"),
            _("决议按期落实率（%）"),
            _("到期决议"),
            _("按期落实决议"),
        ]
        board = {"red": _("红榜"), "black": _("黑榜")}
        data = [
            [
                r.rank,
                r.company.name,
                r.score,
                board.get(r.board, ""),
                r.satisfaction,
                r.answers,
                r.satisfied,
                r.complaint_rate,
                r.complaint_score,
                r.complaints,
                r.households,
                r.on_time,
                r.resolved,
                r.late,
                r.resolutions_rate,
                r.resolutions_due,
                r.resolutions_kept,
            ]
            for r in rows
        ]
        return xlsx_response(
            filename=f"{_('红黑榜')}-{period.label}", title=period.label, headers=headers, rows=data
        )
    return render(
        request,
        "property_mgmt/ranking.html",
        {
            "rows": rows,
            "period": period,
            "quarters": selectors.quarter_options(),
            "error": error,
            "formula": stats.RANKING_FORMULA,
            "weights": stats.WEIGHTS,
            "red_line": stats.RED_LINE,
            "black_line": stats.BLACK_LINE,
            "tab": "ranking",
            "query": request.GET.urlencode(),
            "within_form": within_form,
            "within": within,
        },
    )

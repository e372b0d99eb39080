"""The seed report's 红色物业 figures, computed live from the actor's scope.

* ``property_complaint_rate_change_pct`` (seed −60, "去年以来，全区物业投诉率下降60%"):
  property complaints per 1,000 households per month from 1 January to today, against the
  same days of last year (同期), over the households of the scope.
* ``property_satisfaction_change_pct`` (seed +60, "群众满意度提升60%"): the 满意率 of this
  year's satisfaction surveys against last year's.
* ``property_service_coverage_pct``, ``owners_committee_rate_pct``, ``triple_none_estates``:
  the report pushes 物业服务覆盖 and 业主委员会组建 (and the 三无小区) without a number; the
  seed value is the target (full coverage, none left).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_of
from common.figures import SeedFigure
from governance.models import Area

from . import policies
from .selectors import stats
from .selectors.periods import same_span_last_year, year_to_date


def _tops(actor: Any) -> list[Area]:
    scope = scope_of(actor)
    if scope.superuser:
        return list(Area.objects.filter(depth=1))
    return list(Area.objects.filter(path__in=scope.area_paths(policies.AREA_READERS)))


def complaint_rate_change(actor: Any) -> tuple[float | None, int, int]:
    """(change in %, complaints this year to date, complaints in the same days of last year).
    The households of the scope are the same for both periods, so the rates' ratio is the
    ratio of complaints per day."""
    current = year_to_date()
    baseline = same_span_last_year(current)
    now = stats.complaints(actor, current).count()
    before = stats.complaints(actor, baseline).count()
    if not before or not current.days or not baseline.days:
        return None, now, before
    change = stats.change_pct(before / baseline.days, now / current.days)
    return change, now, before


def seed_figures(actor: Any) -> list[SeedFigure]:
    """The figures above for the actor's scope, kept until what they count may have changed
    (``stats.kept``): a district's survey answers alone take a hundred milliseconds."""
    if not policies.can_read_area_ledgers(actor):
        return []
    return stats.kept("seed-figures", actor, (), lambda: _seed_figures(actor))


def _seed_figures(actor: Any) -> list[SeedFigure]:
    figures: list[SeedFigure] = []
    change, _now, _before = complaint_rate_change(actor)
    year = timezone.localdate().year
    if change is not None:
        figures.append(
            SeedFigure(
                key="property_complaint_rate_change_pct",
                label=_("物业投诉率变化（%）"),
                value=change,
                seed=-60,
                drill=reverse("property_mgmt:complaint_rates")
                + "?"
                + urlencode({"group": "street"}),
                definition=_("本年 1 月 1 日至今每千户月均物业投诉量，与上年同期相比的变化。"),
            )
        )
    satisfaction = stats.satisfaction_change(actor=actor, year=year, baseline=year - 1)
    if satisfaction["change"] is not None:
        figures.append(
            SeedFigure(
                key="property_satisfaction_change_pct",
                label=_("群众满意度变化（%）"),
                value=satisfaction["change"],
                seed=60,
                drill=reverse("property_mgmt:satisfaction") + "?" + urlencode({"year": year}),
                definition=_("本年度物业服务满意度调查的满意率，与上年度相比的变化。"),
            )
        )
    tops = _tops(actor)
    if tops:
        total = stats.CoverageRow(area=None)
        for top in tops:
            total.estates += (row := stats.coverage(top).total).estates
            total.by_company += row.by_company
            total.self_managed += row.self_managed
            total.fallback += row.fallback
            total.committees += row.committees
            total.triple_none += row.triple_none
        if total.estates:
            drill = reverse("property_mgmt:coverage")
            figures += [
                SeedFigure(
                    key="property_service_coverage_pct",
                    label=_("物业服务覆盖率（%）"),
                    value=total.service_share or 0,
                    seed=100,
                    drill=drill,
                    definition=_("今日有有效物业服务合同（含业主自管、社区托管）的小区占比。"),
                ),
                SeedFigure(
                    key="owners_committee_rate_pct",
                    label=_("业主委员会组建率（%）"),
                    value=total.committee_share or 0,
                    seed=100,
                    drill=drill,
                    definition=_("今日有在任业主委员会的小区占比。"),
                ),
                SeedFigure(
                    key="triple_none_estates",
                    label=_("三无小区（个）"),
                    value=total.triple_none,
                    seed=0,
                    drill=drill + "?" + urlencode({"show": "triple_none"}),
                    definition=_("无有效物业服务合同、无业主委员会、无主管部门的小区。"),
                ),
            ]
    return figures

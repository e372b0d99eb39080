"""The seed report's figures that grids, their people and their stations record.

民情走访 1,180 次、解决民生问题 132 件; 新建 28 个网格打造“红色驿站”; 34 名社区工作者,
“五员”队伍, “3岗18级”; 7 方面社区服务. Each value is counted live in the actor's scope; the
roster figures (workers, duties) only for those who may read the roster.
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Count, Func, Max, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cases.models import CaseState
from common.figures import SeedFigure

from . import policies
from .models import (
    CommunityWorker,
    RecruitmentStatus,
    SalaryScale,
    Station,
    StationKind,
    Visit,
    VisitProblem,
)


def _url(name: str, **query: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


class _Unnest(Func):
    function = "unnest"
    output_field = CharField()


def seed_figures(actor: Any) -> list[SeedFigure]:
    """Visits and the problems they solved, grids with red stations, the service kinds the
    stations offer; with roster access, the community workers, their 五员 duties and the posts
    and grades of 3岗18级 (the salary table's latest year)."""
    if not policies.can_view_grids(actor):
        return []
    figures = [
        SeedFigure(
            key="visits",
            label=_("民情走访"),
            value=Visit.objects.visible_to(actor).count(),
            seed=1180,
            drill=_url("grids:visit_list"),
            definition=_("网格员登记的民情走访次数。"),
        ),
        SeedFigure(
            key="visit_problems_solved",
            label=_("走访解决民生问题"),
            value=VisitProblem.objects.visible_to(actor)
            .filter(case__state=CaseState.CLOSED)
            .count(),
            seed=132,
            drill=_url("grids:visit_list", problems="solved"),
            definition=_("走访发现并上报为事件、事件已办结的问题件数。"),
        ),
        SeedFigure(
            key="new_grids_with_red_stations",
            label=_("建有红色驿站的网格"),
            value=Station.objects.visible_to(actor)
            .filter(kind=StationKind.RED_STATION, is_active=True)
            .values("grid")
            .distinct()
            .count(),
            seed=28,
            drill=_url("grids:station_list", kind=StationKind.RED_STATION),
            definition=_("有启用中的红色驿站的网格数。"),
        ),
        SeedFigure(
            key="service_kinds",
            label=_("社区服务种类"),
            value=Station.objects.visible_to(actor)
            .filter(is_active=True)
            .annotate(kind_offered=_Unnest("services"))
            .values("kind_offered")
            .distinct()
            .count(),
            seed=7,
            drill=_url("grids:station_list"),
            definition=_("启用中的驿站和服务站提供的服务种类数（共建、志愿、驿站、便民等）。"),
        ),
    ]
    if not policies.can_view_roster(actor):
        return figures
    workers = CommunityWorker.objects.visible_to(actor).exclude(status=RecruitmentStatus.LEFT)
    roster = workers.aggregate(
        people=Count("id"), duties=Count("duty", distinct=True, filter=~Q(duty=""))
    )
    latest = SalaryScale.objects.aggregate(year=Max("year"))["year"]
    table = SalaryScale.objects.filter(year=latest).aggregate(
        posts=Count("post", distinct=True), grades=Count("grade", distinct=True)
    )
    roster_url = _url("grids:worker_list")
    figures += [
        SeedFigure(
            key="community_workers",
            label=_("社区工作者"),
            value=roster["people"],
            seed=34,
            drill=roster_url,
            definition=_("在岗、试用期和招录中的社区工作者人数（不含已离职）。"),
        ),
        SeedFigure(
            key="five_duty_kinds",
            label=_("“五员”职责种类"),
            value=roster["duties"],
            seed=5,
            drill=roster_url,
            definition=_("社区工作者承担的“五员”职责种类数。"),
        ),
        SeedFigure(
            key="worker_post_kinds",
            label=_("“3岗18级”岗位数"),
            value=table["posts"],
            seed=3,
            drill=roster_url,
            definition=_("最新年度薪酬标准中的岗位数。"),
        ),
        SeedFigure(
            key="worker_grades",
            label=_("“3岗18级”等级数"),
            value=table["grades"],
            seed=18,
            drill=roster_url,
            definition=_("最新年度薪酬标准中的等级数。"),
        ),
    ]
    return figures

"""The seed report's figures, collected from every app that records some (``<app>/figures.py``,
``seed_figures(actor) -> list[SeedFigure]``; see common/figures.py).

An app whose figures module does not exist yet contributes nothing: its keys are absent from
the API and shown as "尚未录入" on the page, never invented. Should two apps give the same key,
the later one in :data:`PROVIDERS` stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.figures import SeedFigure

PROVIDERS = ["grids.figures", "volunteers.figures", "property_mgmt.figures", "supports.figures"]

#: DESIGN.md's keys in the order of the report, with the report's number and text.
SEED_KEYS: list[tuple[str, int | float, str | Promise]] = [
    ("departments_checked_in", 27, _("到社区报到的区直部门（单位）")),
    ("communities_with_checkins", 15, _("有部门报到的社区")),
    ("cobuild_projects", 40, _("共驻共建项目")),
    ("campaign_people", 1700, _("“进网格、战疫情”专项行动动员人数")),
    ("grid_volunteer_teams", 24, _("成立志愿服务队的网格")),
    ("volunteers", 170, _("网格志愿队员")),
    ("volunteer_activities", 500, _("志愿服务活动")),
    ("brand_activities", 270, _("品牌公益活动")),
    ("service_kinds", 7, _("社区服务种类")),
    ("talks", 126, _("宣讲活动")),
    ("talk_attendances", 2750, _("宣讲参与居民人次")),
    ("visits", 1180, _("民情走访")),
    ("visit_problems_solved", 132, _("走访解决民生问题")),
    ("property_complaint_rate_change_pct", -60, _("物业投诉率变化（%）")),
    ("property_satisfaction_change_pct", 60, _("群众满意度提升（%）")),
    ("new_grids_with_red_stations", 28, _("新建网格打造红色驿站")),
    ("station_activities", 120, _("党员志愿服务活动（红色驿站）")),
    ("community_workers", 34, _("社区工作者")),
    ("five_duty_kinds", 5, _("“五员”队伍职责种类")),
    ("secretary_studios", 1, _("优秀党组织书记工作室")),
    ("studio_problems_solved", 40, _("化解基层疑难杂症")),
    ("community_work_fund_yuan", 260000, _("社区工作经费（元）")),
    ("community_service_fund_yuan", 80000, _("社区服务群众专项经费（元）")),
    ("worker_post_kinds", 3, _("“3岗18级”岗位数")),
    ("worker_grades", 18, _("“3岗18级”等级数")),
]


def _provider(name: str) -> Any:
    try:
        return import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if name == missing or name.startswith(f"{missing}."):  # not there (yet)
            return None  # a module that is there but breaks on import still raises
        raise


def seed_figures(actor: Any) -> list[SeedFigure]:
    """Every recorded seed figure in the actor's scope, in the report's order (figures
    an app gives beyond the report's keys follow)."""
    found: dict[str, SeedFigure] = {}
    for name in PROVIDERS:
        module = _provider(name)
        if module is None:
            continue
        for figure in module.seed_figures(actor):
            found[figure.key] = figure
    order = {key: i for i, (key, _seed, _label) in enumerate(SEED_KEYS)}
    return sorted(found.values(), key=lambda f: (order.get(f.key, len(order)), f.key))


@dataclass(frozen=True)
class SeedRow:
    """One line of the seed panel: a recorded figure, or a key nothing records yet."""

    key: str
    label: Any
    seed: int | float
    figure: SeedFigure | None

    @property
    def recorded(self) -> bool:
        return self.figure is not None


def seed_panel(figures: list[SeedFigure]) -> list[SeedRow]:
    """The report's keys (recorded or "尚未录入") and then any other recorded figure."""
    by_key = {f.key: f for f in figures}
    rows = [
        SeedRow(key, by_key[key].label if key in by_key else label, seed, by_key.get(key))
        for key, seed, label in SEED_KEYS
    ]
    known = {key for key, _seed, _label in SEED_KEYS}
    rows += [SeedRow(f.key, f.label, f.seed, f) for f in figures if f.key not in known]
    return rows

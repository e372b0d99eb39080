"""Appraisal rankings (考核排名) of streets, communities, departments, companies and workers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from accounts.models import RoleGrant, User
from accounts.roles import Role
from common.territory import AreaLevel
from governance.models import Area, Department, PropertyCompany
from grids.models import CommunityWorker, RecruitmentStatus, Visit

from .. import appraisal
from ..appraisal import Ranked
from ..drill import drill
from ..measures import Measures
from ..periods import Period
from ..territory import Territory
from .shapes import STEP, Ranking, Source, unit_names

# --- Rankings ------------------------------------------------------------------------------------

#: The cases behind each input of a score.
INPUT_MEASURES = {
    "cases": "n",
    "on_time": "on_time",
    "satisfaction": "satisfied",
    "reopen": "reopened",
    "overdue": "overdue_ever",
}


def input_links(territory: Territory, period: Period, **where: Any) -> dict[str, str]:
    return {
        key: drill(territory, period, measure=measure, **where)
        for key, measure in INPUT_MEASURES.items()
    }


def _area_visits(actor: Any, period: Period, level: str) -> dict[str, int]:
    """Visits in the period by the path of their street or community."""
    depth = 2 if level == AreaLevel.STREET else 3
    rows = (
        Visit.objects.visible_to(actor)
        .filter(visited_on__gte=period.first, visited_on__lte=period.last_day)
        .annotate(prefix=Substr("area_path", 1, depth * STEP))
        .order_by()
        .values_list("prefix")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def _area_workers(level: str, paths: Iterable[str]) -> dict[str, int]:
    """Community workers in post (not left) by street or community path: a count, not the
    roster, so every area viewer's ranking has it."""
    depth = 2 if level == AreaLevel.STREET else 3
    condition = Q()
    for path in paths:
        condition |= Q(area_path__startswith=path)
    rows = (
        CommunityWorker.objects.filter(condition)
        .exclude(status=RecruitmentStatus.LEFT)
        .annotate(prefix=Substr("area_path", 1, depth * STEP))
        .order_by()
        .values_list("prefix")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def _area_ranking(
    actor: Any,
    territory: Territory,
    period: Period,
    level: str,
    measures: dict[int, Measures],
    weights: dict[str, int],
) -> Ranking:
    areas = list(Area.objects.filter(pk__in=measures).order_by("path"))
    visits = _area_visits(actor, period, level)
    workers = _area_workers(level, [a.path for a in areas])
    units = [
        Ranked(
            key=str(a.pk),
            name=a.name,
            measures=measures[a.pk],
            visits=visits.get(a.path, 0),
            workers=workers.get(a.path, 0),
        )
        for a in areas
    ]

    def links(unit: Ranked) -> dict[str, str]:
        area_id = int(unit.key)
        links = input_links(territory, period, area_id=area_id)
        links["dashboard"] = reverse("dashboards:home") + "?" + urlencode({"area": area_id})
        return links

    title = (
        gettext_lazy("街道考核排名") if level == AreaLevel.STREET else gettext_lazy("社区考核排名")
    )
    ranked = appraisal.rank(units, weights, links)
    subject = "streets" if level == AreaLevel.STREET else "communities"
    return Ranking(
        subject, title, weights, appraisal.formula(weights), ranked, total=_ranked_count(ranked)
    )


def _ranked_count(units: list[Ranked]) -> int:
    return sum(1 for u in units if u.rank is not None)


def _unit_ranking(
    territory: Territory, period: Period, source: Source, kind: str, weights: dict[str, int]
) -> Ranking:
    """Departments (or property companies) of the whole district: on a unit's own dashboard,
    its row and position only, never the other units' inputs."""
    values = source.units(period, kind)
    model: Any = Department if kind == "department" else PropertyCompany
    active = model.objects.filter(is_active=True).values_list("pk", "name")
    everyone: dict[str, str] = {f"{kind}:{pk}": name for pk, name in active}
    missing = [v for v in values if v not in everyone]  # inactive now, with cases then
    if missing:
        everyone.update(unit_names(missing))
    units = [
        Ranked(key=value, name=name, measures=values.get(value, Measures()))
        for value, name in everyone.items()
    ]

    def links(unit: Ranked) -> dict[str, str]:
        return input_links(Territory(label=unit.name, unit=unit.key), period)

    ranked = appraisal.rank(units, weights, links)
    title = (
        gettext_lazy("区直部门考核排名")
        if kind == "department"
        else gettext_lazy("物业企业考核排名")
    )
    ranking = Ranking(
        {"department": "departments", "company": "companies"}[kind], title, weights,
        appraisal.formula(weights), ranked,
        total=_ranked_count(ranked),
    )  # fmt: skip
    if territory.is_unit:
        ranking.units = [u for u in ranked if u.key == territory.unit]
        ranking.own_only = True
    return ranking


def _worker_ranking(
    actor: Any,
    territory: Territory,
    period: Period,
    source: Source,
    weights: dict[str, int],
) -> Ranking:
    """Grid workers of the territory: their visits, and the cases they reported."""
    grants = RoleGrant.objects.filter(role=Role.GRID_WORKER, area__isnull=False)
    if not territory.everything:
        grants = grants.filter(
            Q(area_id__in=territory.community_ids) | _under_streets(territory.street_ids)
        )
    user_ids = sorted(set(grants.values_list("user_id", flat=True)))
    users = {u.pk: u.display_name for u in User.objects.filter(pk__in=user_ids, is_active=True)}
    reported = source.facets(territory, period, ["reporter"]).get("reporter", {})
    visits = dict(
        Visit.objects.visible_to(actor)
        .filter(
            visitor_id__in=users,
            visited_on__gte=period.first,
            visited_on__lte=period.last_day,
        )
        .order_by()
        .values_list("visitor_id")
        .annotate(n=Count("id"))
    )
    units = [
        Ranked(
            key=str(pk),
            name=name,
            measures=reported.get(str(pk), Measures()),
            visits=visits.get(pk, 0),
        )
        for pk, name in users.items()
    ]

    def links(unit: Ranked) -> dict[str, str]:
        return input_links(territory, period, facet="reporter", value=unit.key)

    ranked = appraisal.rank(units, weights, links)
    return Ranking(
        "grid_workers", gettext_lazy("网格员考核排名"), weights,
        appraisal.formula(weights), ranked, total=_ranked_count(ranked),
    )  # fmt: skip


def _under_streets(street_ids: tuple[int, ...]) -> Q:
    paths = Area.objects.filter(pk__in=street_ids).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(area__path__startswith=path)
    return condition


def rankings(
    *,
    actor: Any,
    territory: Territory,
    period: Period,
    source: Source,
    child_rows: list[tuple[int, Measures]] | None = None,
) -> list[Ranking]:
    """The appraisal rankings of a dashboard: on the district's, streets, communities,
    departments, property companies and grid workers; on a street's, its communities and
    grid workers; on a community's, its grid workers; on a unit's, its own position."""
    weights = appraisal.all_weights()
    if territory.is_unit:
        return [
            _unit_ranking(territory, period, source, territory.unit_kind, weights["departments"])
        ]
    result = []
    level = territory.child_level
    if level is not None:
        if child_rows is None:
            rows = source.months(territory, period.first, period.last, level)
            child_rows = [(c, m) for _month, c, m in rows]
        per_child: dict[int, Measures] = {}
        for child, m in child_rows:
            per_child.setdefault(child, Measures()).add(m)
        result.append(_area_ranking(actor, territory, period, level, per_child, weights["areas"]))
        if level == AreaLevel.STREET:
            rows = source.months(territory, period.first, period.last, AreaLevel.COMMUNITY)
            per_community: dict[int, Measures] = {}
            for _month, child, m in rows:
                per_community.setdefault(child, Measures()).add(m)
            result.append(
                _area_ranking(
                    actor, territory, period, AreaLevel.COMMUNITY, per_community, weights["areas"]
                )
            )
    if territory.everything:
        result.append(
            _unit_ranking(territory, period, source, "department", weights["departments"])
        )
        result.append(_unit_ranking(territory, period, source, "company", weights["departments"]))
    result.append(_worker_ranking(actor, territory, period, source, weights["grid_workers"]))
    return result

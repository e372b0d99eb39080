"""Reads of the grids app: scoped through ``visible_to`` and prefetched for their pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.scoping import Actor, any_of
from cases.models import Case
from governance.models import Area

from . import geo
from .models import (
    CommunityWorker,
    GradeChange,
    Grid,
    GridCoverage,
    GridKind,
    GridPost,
    GridStaffing,
    SalaryScale,
    Station,
    Visit,
    VisitProblem,
)
from .visits import PROBLEM_FILTERS, open_cases_by_grid, visit_figures, with_problem_counts


def worker_limits() -> tuple[int, int]:
    """How many grid workers an urban grid should have: 1–2 unless configured otherwise
    (``GRID_WORKERS_MIN`` / ``GRID_WORKERS_MAX`` in the settings)."""
    return (
        int(getattr(settings, "GRID_WORKERS_MIN", 1)),
        int(getattr(settings, "GRID_WORKERS_MAX", 2)),
    )


def _current(post: str) -> Count:
    return Count(
        "staffings",
        filter=Q(staffings__post=post, staffings__ended_on__isnull=True),
        distinct=True,
    )


def _breach_condition() -> Q:
    low, high = worker_limits()
    return Q(kind=GridKind.URBAN, is_active=True) & (
        Q(n_workers__lt=low) | Q(n_workers__gt=high) | Q(n_leaders=0) | Q(n_secretaries=0)
    )


def with_staffing(grids: QuerySet[Grid]) -> QuerySet[Grid]:
    """Annotate the current number of grid workers, leaders and secretaries, and the number of
    covered areas: one grouped query, whatever the number of grids."""
    coverages = (
        GridCoverage.objects.filter(grid=OuterRef("pk"), is_active=True)
        .order_by()
        .values("grid")
        .annotate(n=Count("id"))
        .values("n")
    )
    return grids.annotate(
        n_workers=_current(GridPost.WORKER),
        n_leaders=_current(GridPost.LEADER),
        n_secretaries=_current(GridPost.SECRETARY),
        n_coverages=Coalesce(Subquery(coverages, output_field=IntegerField()), 0),
    )


def breaches_of(grid: Any) -> list[str]:
    """What is wrong with an annotated grid's staffing (empty: nothing). The rule holds for
    active urban grids: 1–2 grid workers, a grid leader and a grid party secretary."""
    if grid.kind != GridKind.URBAN or not grid.is_active:
        return []
    low, high = worker_limits()
    problems = []
    if grid.n_workers < low:
        problems.append(_("网格员 %(n)s 人，少于 %(low)s 人") % {"n": grid.n_workers, "low": low})
    if grid.n_workers > high:
        problems.append(
            _("网格员 %(n)s 人，多于 %(high)s 人") % {"n": grid.n_workers, "high": high}
        )
    if not grid.n_leaders:
        problems.append(_("未配网格长"))
    if not grid.n_secretaries:
        problems.append(_("未配网格党组织书记"))
    return problems


GRID_ORDERINGS = {
    "code": "code",
    "-code": "-code",
    "name": "name",
    "-name": "-name",
    "workers": "n_workers",
    "-workers": "-n_workers",
    "community": "area_path",
    "-community": "-area_path",
}


def grid_list(
    *,
    actor: Actor,
    community: int | None = None,
    kind: str = "",
    staffing: str = "",
    active: bool | None = None,
    search: str = "",
    ordering: str = "code",
) -> QuerySet[Grid]:
    """Grids in the actor's scope with their staffing counts. ``staffing`` is "breach" or "ok"."""
    grids = with_staffing(Grid.objects.visible_to(actor).select_related("community"))
    if community is not None:
        grids = grids.filter(community_id=community)
    if kind:
        grids = grids.filter(kind=kind)
    if active is not None:
        grids = grids.filter(is_active=active)
    if search:
        grids = grids.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if staffing == "breach":
        grids = grids.filter(_breach_condition())
    elif staffing == "ok":
        grids = grids.exclude(_breach_condition())
    return grids.order_by(GRID_ORDERINGS.get(ordering, "code"), "id")


def grid_get(*, actor: Actor, pk: int) -> Grid:
    """One grid with its coverage, staffing history and stations; 404 outside the scope."""
    grids = with_staffing(Grid.objects.visible_to(actor)).select_related("community")
    grids = grids.prefetch_related(
        Prefetch(
            "coverages",
            queryset=GridCoverage.objects.filter(is_active=True).select_related("area"),
            to_attr="active_coverages",
        ),
        Prefetch(
            "staffings",
            queryset=GridStaffing.objects.select_related("worker").order_by(
                "ended_on", "post", "-started_on", "-id"
            ),
            to_attr="all_staffings",
        ),
        Prefetch(
            "stations",
            queryset=Station.objects.prefetch_related("model_posts").order_by("name"),
            to_attr="all_stations",
        ),
    )
    grid: Grid = get_object_or_404(grids, pk=pk)
    return grid


def staffing_breaches(*, actor: Actor, street: int | None = None) -> list[dict[str, Any]]:
    """Every active urban grid in scope that breaks the staffing rule, grouped by street and
    community: [{"street": name, "communities": [{"community": name, "grids": [...]}]}]."""
    grids = grid_list(actor=actor, staffing="breach", ordering="community")
    if street is not None:
        root: Area = get_object_or_404(Area.objects.visible_to(actor), pk=street)
        grids = grids.filter(area_path__startswith=root.path)
    rows = list(grids)
    street_paths = {grid.area_path[: -Area.steplen] for grid in rows}
    streets = dict(Area.objects.filter(path__in=street_paths).values_list("path", "name"))
    grouped: dict[str, dict[str, list[Any]]] = {}
    for grid in rows:
        grid.problems = breaches_of(grid)  # type: ignore[attr-defined]
        street_name = streets.get(grid.area_path[: -Area.steplen], "")
        grouped.setdefault(street_name, {}).setdefault(grid.community.name, []).append(grid)
    return [
        {
            "street": street_name,
            "count": sum(len(g) for g in communities.values()),
            "communities": [
                {"community": name, "grids": grids_of} for name, grids_of in communities.items()
            ],
        }
        for street_name, communities in grouped.items()
    ]


def grid_locate(*, actor: Actor, longitude: float, latitude: float) -> Grid | None:
    """The visible active grid whose boundary holds the point, or None. The bounding boxes
    pick the candidates in SQL; shapely decides on the few left."""
    candidates = Grid.objects.visible_to(actor).filter(
        is_active=True,
        boundary__isnull=False,
        min_lon__lte=longitude,
        max_lon__gte=longitude,
        min_lat__lte=latitude,
        max_lat__gte=latitude,
    )
    for grid in candidates.order_by("code"):
        if grid.boundary and geo.contains(grid.boundary, longitude, latitude):
            return grid
    return None


def map_communities(*, actor: Actor) -> QuerySet[Area]:
    """Communities in scope that have at least one grid: the map page's choices."""
    paths = Grid.objects.visible_to(actor).values("area_path").distinct()
    return Area.objects.filter(path__in=Subquery(paths)).order_by("path")


def map_grids(*, actor: Actor, community: Area) -> list[dict[str, Any]]:
    """The community's active grids as GeoJSON features with their staffing state and the
    number of open cases located in them: three queries, whatever the number of grids."""
    grids = list(
        with_staffing(
            Grid.objects.visible_to(actor).filter(community=community, is_active=True)
        ).order_by("code")
    )
    open_cases = open_cases_by_grid(actor=actor, grid_ids=[grid.pk for grid in grids])
    features = []
    for grid in grids:
        if not grid.boundary:
            continue
        problems = breaches_of(grid)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": grid.name,
                    "id": grid.pk,
                    "code": grid.code,
                    "workers": grid.n_workers,  # type: ignore[attr-defined]
                    "staffing_ok": not problems,
                    "problems": problems,
                    "open_cases": open_cases.get(grid.pk, 0),
                },
                "geometry": grid.boundary,
            }
        )
    return features


WORKER_ORDERINGS = {
    "name": "name",
    "-name": "-name",
    "grade": "grade",
    "-grade": "-grade",
    "post": "post",
    "-post": "-post",
    "community": "area_path",
    "-community": "-area_path",
}


def worker_list(
    *,
    actor: Actor,
    community: int | None = None,
    post: str = "",
    duty: str = "",
    status: str = "",
    search: str = "",
    ordering: str = "community",
) -> QuerySet[CommunityWorker]:
    """The community worker roster in scope, with the grids each one staffs now."""
    workers = (
        CommunityWorker.objects.visible_to(actor)
        .select_related("community", "user")
        .prefetch_related(
            Prefetch(
                "staffings",
                queryset=GridStaffing.objects.filter(ended_on__isnull=True).select_related("grid"),
                to_attr="current_staffings",
            )
        )
    )
    if community is not None:
        workers = workers.filter(community_id=community)
    if post:
        workers = workers.filter(post=post)
    if duty:
        workers = workers.filter(duty=duty)
    if status:
        workers = workers.filter(status=status)
    if search:
        workers = workers.filter(name__icontains=search)
    return workers.order_by(WORKER_ORDERINGS.get(ordering, "area_path"), "name", "id")


def worker_get(*, actor: Actor, pk: int) -> CommunityWorker:
    workers = (
        CommunityWorker.objects.visible_to(actor)
        .select_related("community", "user")
        .prefetch_related(
            Prefetch(
                "grade_changes",
                queryset=GradeChange.objects.select_related("recorded_by").order_by(
                    "-effective_on", "-id"
                ),
            ),
            "trainings",
            Prefetch("staffings", queryset=GridStaffing.objects.select_related("grid")),
        )
    )
    worker: CommunityWorker = get_object_or_404(workers, pk=pk)
    return worker


def salary_of(*, post: str, grade: int, year: int) -> Any:
    """The monthly salary of a post and grade in a year's table (None if not entered)."""
    return (
        SalaryScale.objects.filter(year=year, post=post, grade=grade)
        .values_list("monthly_amount", flat=True)
        .first()
    )


def grade_on(*, worker: CommunityWorker, day: Any) -> GradeChange | None:
    """The post and grade a worker held on a day, from the grade history."""
    return (
        worker.grade_changes.filter(effective_on__lte=day).order_by("-effective_on", "-id").first()
    )


STATION_ORDERINGS = {
    "name": "name",
    "-name": "-name",
    "grid": "grid__code",
    "-grid": "-grid__code",
    "kind": "kind",
    "-kind": "-kind",
}


def station_list(
    *,
    actor: Actor,
    community: int | None = None,
    kind: str = "",
    service: str = "",
    search: str = "",
    ordering: str = "name",
) -> QuerySet[Station]:
    stations = (
        Station.objects.visible_to(actor)
        .select_related("grid", "grid__community", "residential_area")
        .annotate(n_model_posts=Count("model_posts"))
    )
    if community is not None:
        stations = stations.filter(grid__community_id=community)
    if kind:
        stations = stations.filter(kind=kind)
    if service:
        stations = stations.filter(services__contains=[service])
    if search:
        stations = stations.filter(Q(name__icontains=search) | Q(address__icontains=search))
    return stations.order_by(STATION_ORDERINGS.get(ordering, "name"), "id")


def station_get(*, actor: Actor, pk: int) -> Station:
    stations = (
        Station.objects.visible_to(actor)
        .select_related("grid", "grid__community", "residential_area")
        .prefetch_related("model_posts")
    )
    station: Station = get_object_or_404(stations, pk=pk)
    return station


def staffing_list(
    *, actor: Actor, current: bool | None = None, post: str = "", grid: int | None = None
) -> QuerySet[GridStaffing]:
    rows = GridStaffing.objects.visible_to(actor).select_related("grid", "worker")
    if current is True:
        rows = rows.filter(ended_on__isnull=True)
    elif current is False:
        rows = rows.filter(ended_on__isnull=False)
    if post:
        rows = rows.filter(post=post)
    if grid is not None:
        rows = rows.filter(grid_id=grid)
    return rows.order_by("grid__code", "post", "-started_on", "-id")


def my_grids(*, actor: Actor) -> QuerySet[Grid]:
    """The grids the actor staffs now, through the staffing records of the community worker
    linked to their account."""
    return (
        Grid.objects.visible_to(actor)
        .filter(
            staffings__worker__user=actor,
            staffings__ended_on__isnull=True,
        )
        .distinct()
        .order_by("code")
    )


def communities_in_scope(*, actor: Actor, roles: Any = None) -> QuerySet[Area]:
    """Communities under the actor's area grants (of ``roles`` if given): form choices."""
    from accounts.scoping import scope_of

    scope = scope_of(actor)
    communities = Area.objects.filter(level="community").order_by("path")
    if scope.superuser:
        return communities
    paths = scope.area_paths(roles)
    if not paths:
        return communities.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return communities.filter(condition)


def residential_areas_of(communities: QuerySet[Area]) -> QuerySet[Area]:
    """The residential areas of the given communities (already cut to a scope): form choices."""
    paths = [community.path for community in communities]
    condition = any_of(Q(path__startswith=path) for path in paths)
    if condition is None:
        return Area.objects.none()
    return Area.objects.filter(condition, level="residential_area").order_by("path")


def households_of(grid: Grid) -> int:
    """Households counted through the buildings the grid covers (directly or through their
    residential area)."""
    from django.db.models import Exists
    from django.db.models.lookups import StartsWith

    from governance.models import Household

    covered = GridCoverage.objects.filter(grid=grid, is_active=True).filter(
        StartsWith(OuterRef("building__path"), F("area_path"))
    )
    return Household.objects.filter(Exists(covered), is_active=True).count()


VISIT_ORDERINGS = {
    "date": "visited_on",
    "-date": "-visited_on",
    "follow_up": "follow_up_on",
    "-follow_up": "-follow_up_on",
    "grid": "grid__code",
    "-grid": "-grid__code",
}


def visit_list(
    *,
    actor: Actor,
    grid: int | None = None,
    kind: str = "",
    mine: bool = False,
    problems: str = "",
    search: str = "",
    ordering: str = "-date",
) -> QuerySet[Visit]:
    """Visits in scope with their problem counts. ``problems``: "found" (any problem),
    "solved" (every problem's case closed), "open" (a problem whose case is not closed)."""
    visits = with_problem_counts(
        Visit.objects.visible_to(actor).select_related(
            "grid", "household", "household__building", "visitor"
        )
    )
    if grid is not None:
        visits = visits.filter(grid_id=grid)
    if kind:
        visits = visits.filter(kind=kind)
    if mine:
        visits = visits.filter(visitor=actor)
    if problems in PROBLEM_FILTERS:
        visits = visits.filter(PROBLEM_FILTERS[problems])
    if search:
        visits = visits.filter(
            Q(heard__icontains=search) | Q(household__head_name__icontains=search)
        )
    return visits.order_by(VISIT_ORDERINGS.get(ordering, "-visited_on"), "-id")


def visit_get(*, actor: Actor, pk: int) -> Visit:
    """One visit with its needs and its problems, each with the case it opened."""
    visits = (
        Visit.objects.visible_to(actor)
        .select_related("grid", "household", "household__building", "visitor")
        .prefetch_related(
            Prefetch("problems", queryset=VisitProblem.objects.select_related("case")), "needs"
        )
    )
    visit: Visit = get_object_or_404(visits, pk=pk)
    return visit


def grid_worker_home(*, actor: Actor) -> dict[str, Any]:
    """A grid worker's phone home: their grids, their visits due for follow-up within a week,
    their visit figures and what they reported (我上报的): the cases they reported, directly or
    from a visit, unfinished ones first, and their visits' problems not yet reported."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    soon = timezone.localdate() + timedelta(days=7)
    grids = list(my_grids(actor=actor).select_related("community"))
    mine = Visit.objects.visible_to(actor).filter(visitor=actor)
    due = list(
        mine.filter(followed_up=False, follow_up_on__lte=soon)
        .select_related("household", "household__building")
        .order_by("follow_up_on", "id")[:10]
    )
    reported = (
        Case.objects.visible_to(actor)
        .filter(reporter=actor)
        .order_by(F("closed_at").desc(nulls_first=True), "-created_at", "-id")[:10]
    )
    cases = [
        {
            "title": case.title,
            "state": case.get_state_display(),
            "source": case.get_source_display(),
            "url": reverse("cases:detail", args=[case.pk]),
        }
        for case in reported
    ]
    unreported = (
        VisitProblem.objects.visible_to(actor)
        .filter(visit__visitor=actor, case__isnull=True)
        .order_by("-visit__visited_on", "-id")[:5]
    )
    cases += [
        {"title": p.description, "state": _("未上报"), "source": _("民情走访"), "url": ""}
        for p in unreported
    ]
    return {
        "grids": grids,
        "visits_due": due,
        "cases": cases,
        "figures": visit_figures(with_problem_counts(mine)),
    }


def grid_figures(*, actor: Actor, grid: Grid) -> dict[str, int]:
    """A grid's visits (how many, how many found problems, how many solved them through
    closed cases) and the open cases located in its areas."""
    visits = with_problem_counts(Visit.objects.visible_to(actor).filter(grid=grid))
    figures = visit_figures(visits)
    figures["open_cases"] = open_cases_by_grid(actor=actor, grid_ids=[grid.pk]).get(grid.pk, 0)
    return figures

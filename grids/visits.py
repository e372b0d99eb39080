"""Visits and the cases their problems opened (民情走访 1,180 次，解决问题 132 件).

Every problem found on a visit is a case, reported through the case service. Whether it is
solved is the state of that case (closed), never a flag of our own: a visit "solved its
problems" when it found some and every one of their cases is closed.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value, When

from accounts.scoping import Actor
from cases.models import OPEN_STATES, Case, CaseState

from .models import GridCoverage, Visit

#: A problem whose case is closed.
SOLVED = Q(problems__case__state=CaseState.CLOSED)
#: Visits (annotated by :func:`with_problem_counts`) that found problems, that solved every
#: one of them, that left one unsolved.
PROBLEM_FILTERS = {
    "found": Q(n_problems__gt=0),
    "solved": Q(n_problems__gt=0, n_open=0),
    "open": Q(n_open__gt=0),
}


def with_problem_counts(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """Annotate each visit's problems (``n_problems``), those whose case is closed
    (``n_solved``) and the others (``n_open``): one join, whatever the number of visits."""
    return visits.annotate(
        n_problems=Count("problems", distinct=True),
        n_solved=Count("problems", filter=SOLVED, distinct=True),
    ).annotate(n_open=F("n_problems") - F("n_solved"))


def visit_figures(visits: QuerySet[Visit]) -> dict[str, int]:
    """How many visits (annotated by :func:`with_problem_counts`), how many found problems,
    how many solved them (every case of the visit closed): one query."""
    return visits.order_by().aggregate(
        visits=Count("id"),
        with_problems=Count("id", filter=PROBLEM_FILTERS["found"]),
        solved=Count("id", filter=PROBLEM_FILTERS["solved"]),
    )


def open_cases_by_grid(*, actor: Actor, grid_ids: Sequence[int]) -> dict[int, int]:
    """Open cases located in each grid: on a residential area or building the grid covers, or
    below one. A case placed on the community as a whole lies in no grid. Counted among the
    cases the actor may see; two queries, whatever the number of grids (areas of active grids
    never overlap, so a case counts for one grid at most)."""
    covered = list(
        GridCoverage.objects.filter(grid_id__in=grid_ids, is_active=True)
        .order_by("area_path")
        .values_list("area_path", "grid_id")
    )
    if not covered:
        return {}
    inside = Q()
    for path, _grid_id in covered:
        inside |= Q(area_path__startswith=path)
    grid_of = SqlCase(
        *[When(area_path__startswith=path, then=Value(grid_id)) for path, grid_id in covered],
        output_field=IntegerField(),
    )
    rows: Any = (
        Case.objects.visible_to(actor)
        .filter(inside, state__in=OPEN_STATES)
        .annotate(grid_id=grid_of)
        .order_by()
        .values("grid_id")
        .annotate(n=Count("id"))
        .values_list("grid_id", "n")
    )
    return dict(rows)

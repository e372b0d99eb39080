"""Visit figures: problems found, reported and solved (民情走访 1,180 次，解决问题 132 件)."""

from typing import Any

from django.db.models import Count, Q

from .models import VisitProblem


def open_cases_by_grid(grid_ids: list[int]) -> dict[int, int]:
    """Problems found on visits that are not solved yet, per grid: one grouped query."""
    rows = (
        VisitProblem.objects.filter(visit__grid_id__in=grid_ids, solved_on__isnull=True)
        .order_by()
        .values_list("visit__grid_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def visit_figures(visits: Any) -> dict[str, int]:
    """How many visits, how many found problems, how many solved them (every problem solved)."""
    return visits.order_by().aggregate(
        visits=Count("id", distinct=True),
        with_problems=Count("id", distinct=True, filter=Q(problems__isnull=False)),
        solved=Count(
            "id",
            distinct=True,
            filter=Q(problems__isnull=False) & ~Q(problems__solved_on__isnull=True),
        ),
    )

"""Grids, workers, households and case categories for tests, built through the services."""

from datetime import date
from itertools import count
from typing import Any

from cases.models import Category
from governance.models import Area, Household
from grids import services
from grids.models import CommunityWorker, Grid, GridPost, WorkerPost
from tests.cases.factories import category

_numbers = count(1)


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def grid(community: Area, boundary: dict[str, Any] | None = None, **extra: Any) -> Grid:
    number = next(_numbers)
    fields = {"code": f"G{number:05d}", "name": f"第{number}网格", "kind": "urban"}
    fields.update(extra)
    return services.grid_create(actor=None, community=community, boundary=boundary, **fields)


def worker(community: Area, **extra: Any) -> CommunityWorker:
    fields: dict[str, Any] = {
        "name": f"工作者{next(_numbers)}",
        "post": WorkerPost.STAFF,
        "grade": 3,
    }
    fields.update(extra)
    return services.worker_create(actor=None, community=community, **fields)


def staff_fully(target: Grid, workers: int = 1) -> None:
    """A leader, a party secretary and ``workers`` grid workers."""
    community = target.community
    start = date(2024, 1, 1)
    services.staffing_assign(
        actor=None, grid=target, post=GridPost.LEADER, person_name="网格长甲", started_on=start
    )
    services.staffing_assign(
        actor=None, grid=target, post=GridPost.SECRETARY, person_name="书记乙", started_on=start
    )
    for _ in range(workers):
        services.staffing_assign(
            actor=None,
            grid=target,
            post=GridPost.WORKER,
            worker=worker(community),
            started_on=start,
        )


def household(building: Area, room: str | None = None) -> Household:
    return Household.objects.create(
        building=building, area_path=building.path, room=room or str(next(_numbers))
    )


def problem_category() -> Category:
    """A second-level case category for the problems found on visits (made once per test)."""
    found = Category.objects.filter(name="楼道设施", parent__name="民生服务").first()
    return found or category(name="楼道设施", parent_name="民生服务")

"""``visible_to(actor)`` for every grids model: each row carries its community's path."""

from typing import TYPE_CHECKING, Any

from accounts.roles import Role
from accounts.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from .models import (  # noqa: F401
        CommunityWorker,
        Grid,
        GridStaffing,
        Station,
        Visit,
        VisitProblem,
    )

#: The worker roster carries grades and salaries: the offices that run it see it; a grid worker
#: sees colleagues only as names on a grid's staffing.
ROSTER_ROLES = frozenset(
    {Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF}
)


class GridQuerySet(ScopedQuerySet["Grid"]):
    scope_area_path = "area_path"


class GridStaffingQuerySet(ScopedQuerySet["GridStaffing"]):
    scope_area_path = "area_path"

    def current(self) -> "GridStaffingQuerySet":
        return self.filter(ended_on__isnull=True)


class StationQuerySet(ScopedQuerySet["Station"]):
    scope_area_path = "area_path"


class CommunityWorkerQuerySet(ScopedQuerySet["CommunityWorker"]):
    scope_area_path = "area_path"
    scope_roles = ROSTER_ROLES


class WorkerRecordQuerySet(ScopedQuerySet[Any]):
    """Grade changes and trainings: seen by whoever sees the roster."""

    scope_area_path = "area_path"
    scope_roles = ROSTER_ROLES


class VisitQuerySet(ScopedQuerySet["Visit"]):
    scope_area_path = "area_path"


class VisitProblemQuerySet(ScopedQuerySet["VisitProblem"]):
    scope_area_path = "area_path"

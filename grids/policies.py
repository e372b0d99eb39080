"""Who may do what with grids and their people. Plain functions over the loaded grants."""

from typing import Any

from accounts.roles import Role
from accounts.scoping import scope_of

#: Roles that see grids at all (their area grants decide which ones).
GRID_VIEWERS = (
    Role.DISTRICT_ADMIN,
    Role.DISTRICT_LEADER,
    Role.STREET_STAFF,
    Role.COMMUNITY_STAFF,
    Role.GRID_WORKER,
)
#: The offices that divide a community into grids and staff them.
GRID_KEEPERS = (Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF)
ROSTER_VIEWERS = (
    Role.DISTRICT_ADMIN,
    Role.DISTRICT_LEADER,
    Role.STREET_STAFF,
    Role.COMMUNITY_STAFF,
)
#: Grades set pay: a community does not promote its own staff; the street and district do.
GRADE_KEEPERS = (Role.DISTRICT_ADMIN, Role.STREET_STAFF)
VISITORS = (Role.GRID_WORKER, Role.COMMUNITY_STAFF)


def can_view_grids(actor: Any) -> bool:
    return scope_of(actor).has_role(*GRID_VIEWERS)


def can_manage_grids(actor: Any, area_path: str | None = None) -> bool:
    """Community staff keep their community's grids; street staff and the district admin
    keep those below them. ``area_path`` None asks whether the actor keeps any grid."""
    scope = scope_of(actor)
    if area_path is None:
        return scope.has_role(*GRID_KEEPERS)
    return scope.covers_area_path(area_path, GRID_KEEPERS)


def can_view_roster(actor: Any) -> bool:
    return scope_of(actor).has_role(*ROSTER_VIEWERS)


def can_manage_workers(actor: Any, area_path: str | None = None) -> bool:
    """Profiles, 五员 duties and trainings: the same offices that keep the grids."""
    return can_manage_grids(actor, area_path)


def can_change_grade(actor: Any, area_path: str) -> bool:
    return scope_of(actor).covers_area_path(area_path, GRADE_KEEPERS)


def can_log_visit(actor: Any, area_path: str | None = None) -> bool:
    """Grid workers log visits (and community staff on their behalf) in their own community."""
    scope = scope_of(actor)
    if area_path is None:
        return scope.has_role(*VISITORS)
    return scope.covers_area_path(area_path, VISITORS)

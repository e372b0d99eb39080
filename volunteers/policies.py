"""Who may do what with 双报到. Plain functions over the loaded scope: no queries.

The community's offices (community staff, and above them the street and the district admin)
confirm check-ins, keep the needs list, set up projects, take the community's side of the
project workflow, check members in and assess them, and run campaigns in their area. A
department liaison checks the department in, keeps its resources list and takes the lead
unit's side of its projects; they read their department's check-ins, projects and members,
never residents. Grid workers and district leaders read.
"""

from __future__ import annotations

from typing import Any

from accounts.roles import Role
from accounts.scoping import scope_of

from .workflow import TRANSITIONS, Side

KEEPERS = frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_ADMIN})
AREA_READERS = KEEPERS | {Role.DISTRICT_LEADER, Role.GRID_WORKER}
READERS = AREA_READERS | {Role.DEPARTMENT_LIAISON}


def can_use(actor: Any) -> bool:
    """The 双报到 pages: area offices and department liaisons."""
    return scope_of(actor).has_role(*READERS)


def can_use_campaigns(actor: Any) -> bool:
    """Campaigns mobilise into grids: area roles only."""
    return scope_of(actor).has_role(*AREA_READERS)


def can_keep(actor: Any, area_path: str | None = None) -> bool:
    """The community's offices over ``area_path`` (any area, when None)."""
    scope = scope_of(actor)
    if area_path is None:
        return scope.has_role(*KEEPERS)
    return scope.superuser or scope.covers_area_path(area_path, KEEPERS)


def is_liaison_of(actor: Any, department_id: int | None) -> bool:
    scope = scope_of(actor)
    return department_id is not None and department_id in scope.department_ids(
        [Role.DEPARTMENT_LIAISON]
    )


def can_check_in(actor: Any, *, department_id: int | None, community_path: str) -> bool:
    """The department's liaison checks it in; the community's offices may register a unit
    on its behalf."""
    return is_liaison_of(actor, department_id) or can_keep(actor, community_path)


def can_keep_resources(actor: Any, checkin: Any) -> bool:
    return is_liaison_of(actor, checkin.department_id) or can_keep(actor, checkin.area_path)


def can_confirm(actor: Any, checkin: Any) -> bool:
    """The community confirms a unit's check-in (a liaison cannot confirm their own)."""
    return can_keep(actor, checkin.area_path)


def can_sign_agreement(actor: Any, checkin: Any) -> bool:
    return can_keep(actor, checkin.area_path)


def sides_of(actor: Any, project: Any) -> frozenset[str]:
    sides = set()
    if can_keep(actor, project.area_path):
        sides.add(Side.COMMUNITY)
    if is_liaison_of(actor, project.lead_department_id):
        sides.add(Side.LEAD)
    return frozenset(sides)


def can_take(actor: Any, action: str, project: Any) -> bool:
    """May the actor's side take ``action`` on ``project``? (The state is checked apart.)"""
    transition = TRANSITIONS.get(action)
    return transition is not None and bool(transition.sides & sides_of(actor, project))


def can_report_progress(actor: Any, project: Any) -> bool:
    """Milestones and evidence: both sides of the project."""
    return bool(sides_of(actor, project))


def can_manage_members(actor: Any, area_path: str | None = None) -> bool:
    return can_keep(actor, area_path)


def can_import(actor: Any, kind: str) -> bool:
    """Unit check-ins: the community's offices and liaisons (their own unit's rows only);
    member check-ins: the community's offices."""
    if kind == "units" and scope_of(actor).has_role(Role.DEPARTMENT_LIAISON):
        return True
    return can_keep(actor)


def can_run_campaign(actor: Any, area_path: str | None = None) -> bool:
    return can_keep(actor, area_path)


# --- Volunteer service (志愿服务, 积分, 微心愿) ---------------------------------------------------

WISH_POSTERS = KEEPERS | {Role.GRID_WORKER}


def can_use_service(actor: Any) -> bool:
    """Teams, volunteers, activities, points and wishes: the area roles (a volunteer reads
    their own record through their link, without an account)."""
    return scope_of(actor).has_role(*AREA_READERS)


def can_run_service(actor: Any, area_path: str | None = None) -> bool:
    """The community's offices keep teams and volunteers, publish activities, take sign-ups
    and attendance, approve hours, run the points shop and review wishes."""
    return can_keep(actor, area_path)


def can_post_wish(actor: Any, area_path: str | None = None) -> bool:
    """A wish is posted for a resident by the community's staff or by a grid worker."""
    scope = scope_of(actor)
    if area_path is None:
        return scope.has_role(*WISH_POSTERS)
    return scope.superuser or scope.covers_area_path(area_path, WISH_POSTERS)

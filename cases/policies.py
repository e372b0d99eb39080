"""Who may take which action on a case. Plain functions over the loaded scope and the case with
its assignments prefetched: no queries.

The desk (受理台) of a case is the office of its tier: the community for grid and community
cases, the street for street cases, the district for district cases. The desk accepts, rejects,
handles, escalates (社区呼叫), dispatches, decides on extensions and merges duplicates. The lead
unit replies, sends back, asks for more time and resolves; cooperating units reply. The grid
worker and the community verify on site and record the resident's rating. The level above the
desk supervises (督办) and marks urgent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accounts.roles import Role
from accounts.scoping import Scope, scope_of

from .models import TIER_ORDER, Tier
from .workflow import Action

if TYPE_CHECKING:
    from .models import Case, CaseAssignment

DESK_ROLE: dict[str, str] = {
    Tier.GRID: Role.COMMUNITY_STAFF,
    Tier.COMMUNITY: Role.COMMUNITY_STAFF,
    Tier.STREET: Role.STREET_STAFF,
    Tier.DISTRICT: Role.DISTRICT_ADMIN,
}

#: The office above each tier's desk: it supervises and approves what the desk cannot.
ABOVE_ROLE: dict[str, str] = {
    Tier.GRID: Role.STREET_STAFF,
    Tier.COMMUNITY: Role.STREET_STAFF,
    Tier.STREET: Role.DISTRICT_ADMIN,
    Tier.DISTRICT: Role.DISTRICT_ADMIN,
}

REPORT_ROLES = frozenset(
    {Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_ADMIN}
)
UNIT_AREA_ROLES = (Role.COMMUNITY_STAFF, Role.STREET_STAFF)


def next_tier(tier: str) -> str | None:
    index = TIER_ORDER.index(Tier(tier))
    if index + 1 >= len(TIER_ORDER):
        return None
    # A grid case calls the community's desk, which is the same office: skip to the street.
    upper = TIER_ORDER[index + 1]
    if DESK_ROLE[upper] == DESK_ROLE[tier]:
        return next_tier(upper)
    return upper


def holds_desk(scope: Scope, case: Case) -> bool:
    return scope.superuser or scope.covers_area_path(case.area_path, roles=[DESK_ROLE[case.tier]])


def holds_desk_for(actor: Any, case: Case) -> bool:
    return holds_desk(scope_of(actor), case)


def is_above(scope: Scope, case: Case) -> bool:
    if scope.superuser or scope.covers_area_path(case.area_path, roles=[Role.DISTRICT_ADMIN]):
        return True
    return scope.covers_area_path(case.area_path, roles=[ABOVE_ROLE[case.tier]])


def is_on_site(scope: Scope, case: Case) -> bool:
    """The grid worker or community worker of the case's community."""
    return scope.covers_area_path(case.area_path, roles=[Role.GRID_WORKER, Role.COMMUNITY_STAFF])


def is_unit_member(scope: Scope, assignment: CaseAssignment, actor: Any = None) -> bool:
    if actor is not None and assignment.person_id is not None and assignment.person_id == actor.pk:
        return True
    if assignment.department_id is not None:
        return assignment.department_id in scope.department_ids([Role.DEPARTMENT_LIAISON])
    if assignment.company_id is not None:
        return assignment.company_id in scope.company_ids([Role.PROPERTY_STAFF])
    return any(
        grant.area_id == assignment.unit_area_id for grant in scope.for_roles(UNIT_AREA_ROLES)
    )


def active_assignments(case: Case) -> list[CaseAssignment]:
    return [a for a in case.assignments.all() if a.ended_at is None]


def lead_assignment(case: Case) -> CaseAssignment | None:
    return next((a for a in active_assignments(case) if a.role == "lead"), None)


def my_assignments(actor: Any, case: Case) -> list[CaseAssignment]:
    scope = scope_of(actor)
    return [a for a in active_assignments(case) if is_unit_member(scope, a, actor)]


def is_lead(actor: Any, case: Case) -> bool:
    lead = lead_assignment(case)
    return lead is not None and is_unit_member(scope_of(actor), lead, actor)


def can_report(actor: Any, area_path: str | None = None) -> bool:
    """Grid workers, community and street staff and the district admin report cases in their
    own areas."""
    scope = scope_of(actor)
    if area_path is None:
        return scope.has_role(*REPORT_ROLES)
    return scope.superuser or scope.covers_area_path(area_path, roles=REPORT_ROLES)


def can_take(actor: Any, action: str, case: Case) -> bool:
    """May ``actor``'s roles take ``action`` on ``case``? (The state is checked apart.)"""
    scope = scope_of(actor)
    if scope.superuser:
        return True
    desk = holds_desk(scope, case)
    if action in {
        Action.ACCEPT,
        Action.REJECT,
        Action.ESCALATE,
        Action.DISPATCH,
        Action.MERGE,
        Action.APPROVE_EXTENSION,
        Action.REFUSE_EXTENSION,
    }:
        return desk
    if action == Action.HANDLE:
        return case.tier in (Tier.GRID, Tier.COMMUNITY) and (desk or is_on_site(scope, case))
    if action == Action.REPLY:
        return bool(my_assignments(actor, case))
    if action in {Action.SEND_BACK, Action.REQUEST_EXTENSION, Action.RESOLVE}:
        return is_lead(actor, case)
    if action in {Action.VERIFY, Action.RATE, Action.CLOSE}:
        return desk or is_on_site(scope, case)
    if action == Action.REOPEN:
        return desk or is_on_site(scope, case) or is_above(scope, case)
    if action == Action.MARK_URGENT:
        return desk or is_above(scope, case)
    if action == Action.SUPERVISE:
        return is_above(scope, case)
    return False


def can_use_cases(actor: Any) -> bool:
    """Everyone with a business role works with cases; 三员分立 keeps the security
    administrator and the auditor out."""
    scope = scope_of(actor)
    return scope.superuser or bool(scope.roles - {Role.SECURITY_ADMIN, Role.AUDITOR})


def can_export(actor: Any) -> bool:
    return can_use_cases(actor)

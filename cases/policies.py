"""Who may take which action on a case. Plain functions over the loaded scope and the case with
its assignments prefetched: no queries. Which party may take which action is a column of the
table in ``cases.workflow``; this module says who each party is.

The desk (受理台) of a case is the office of its tier: the community for grid and community
cases, the street for street cases, the district for district cases. Above the desk sits the
street (for grid and community cases) or the district. A unit is a handling unit the case is
assigned to (or the person named in it); the lead unit is its 主办. On site are the grid workers
and community workers of the case's community.
"""

from __future__ import annotations

from typing import Any

from accounts.roles import Role
from accounts.scoping import Scope, scope_of

from .models import TIER_ORDER, Case, CaseAssignment, Tier
from .workflow import TRANSITIONS, Party, Transition

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


def is_district_leader(scope: Scope, case: Case) -> bool:
    """区领导 / 组织部: reads the whole district and supervises it (督办, 加急), nothing else."""
    return scope.covers_area_path(case.area_path, roles=[Role.DISTRICT_LEADER])


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
    """The units on the case: those handling it, or those whose work resolved it (their
    assignments end with the resolution, but a resolved case is still theirs: asking them
    to act again is refused by the state, 409, not by the role)."""
    return [a for a in case.assignments.all() if a.ended_at is None or a.completed]


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


def _is_party(party: Party, scope: Scope, actor: Any, case: Case) -> bool:
    if party == Party.DESK:
        return holds_desk(scope, case)
    if party == Party.ON_SITE:
        return is_on_site(scope, case)
    if party == Party.UNIT:
        return bool(my_assignments(actor, case))
    if party == Party.LEAD:
        return is_lead(actor, case)
    if party == Party.LEADER:
        return is_district_leader(scope, case)
    return is_above(scope, case)


def can_take(actor: Any, action: str, case: Case) -> bool:
    """May ``actor`` take ``action`` on ``case``? The workflow row names the parties that may
    (and the tiers it is open at); the state is checked apart."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False
    scope = scope_of(actor)
    if scope.superuser:
        return True
    if transition.tiers is not None and case.tier not in transition.tiers:
        return False
    return any(_is_party(party, scope, actor, case) for party in transition.who)


def available_actions(actor: Any, case: Case) -> list[Transition]:
    """The transitions the case's state allows and the actor may take, in table order."""
    return [
        t
        for action, t in TRANSITIONS.items()
        if case.state in t.sources and can_take(actor, action, case)
    ]


def can_use_cases(actor: Any) -> bool:
    """Everyone with a business role works with cases; 三员分立 keeps the security
    administrator and the auditor out."""
    scope = scope_of(actor)
    return scope.superuser or bool(scope.roles - {Role.SECURITY_ADMIN, Role.AUDITOR})


def can_export(actor: Any) -> bool:
    return can_use_cases(actor)


def can_maintain_calendar(actor: Any) -> bool:
    """The district admin enters the work calendar (the back office's 工作日历)."""
    scope = scope_of(actor)
    return scope.superuser or scope.has_role(Role.DISTRICT_ADMIN)

"""Who may do what in the three supports. Plain functions over the loaded grants: no queries.

An area-scoped rule asked with an ``area_path`` holds when one of the roles' grants covers
that path (a community grant covers its community, a street grant its subtree, a district
grant everything); asked without one it says whether the actor may do it anywhere, which is
what a page uses to offer a button.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accounts.roles import Role
from accounts.scoping import scope_of

from .querysets import FUND_ROLES, OFFICE_ROLES, ROSTER_ROLES
from .workflow import FOLLOWERS, STUDIO_KEEPERS, Transition

CENTRE_VIEWERS = OFFICE_ROLES | {Role.GRID_WORKER}
#: Centres, rooms and their profiles: the office of the centre's area and those above it.
CENTRE_KEEPERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
#: Service records and room bookings: the offices and the grid workers who serve at stations.
SERVICE_RECORDERS = CENTRE_KEEPERS | {Role.GRID_WORKER}
#: The 标准化建设 checklist is scored by the level above the community: street and district.
STANDARD_CHECKERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})
#: Budgets are allotted by the district and the streets; a community does not set its own.
BUDGET_SETTERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})
SPENDING_RECORDERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
#: Quotas, recruitment, appraisal and promotions set pay and posts: street and district only.
CAREER_KEEPERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})


def _may(actor: Any, roles: Iterable[str], area_path: str | None) -> bool:
    scope = scope_of(actor)
    if area_path is None:
        return scope.has_role(*roles)
    return scope.covers_area_path(area_path, roles)


# --- Service centres --------------------------------------------------------------------------


def can_view_centres(actor: Any) -> bool:
    return scope_of(actor).has_role(*CENTRE_VIEWERS)


def can_manage_centre(actor: Any, area_path: str | None = None) -> bool:
    """A centre's profile and rooms: the office of its street or community, or one above."""
    return _may(actor, CENTRE_KEEPERS, area_path)


def can_record_service(actor: Any, area_path: str | None = None) -> bool:
    return _may(actor, SERVICE_RECORDERS, area_path)


def can_book_room(actor: Any, area_path: str | None = None) -> bool:
    return _may(actor, SERVICE_RECORDERS, area_path)


def can_cancel_booking(actor: Any, booking: Any) -> bool:
    """The one who booked, or the office that keeps the centre."""
    if booking.booked_by_id is not None and booking.booked_by_id == getattr(actor, "pk", None):
        return True
    return can_manage_centre(actor, booking.area_path)


def can_check_standard(actor: Any, area_path: str | None = None) -> bool:
    return _may(actor, STANDARD_CHECKERS, area_path)


# --- The secretaries' studio ------------------------------------------------------------------


def can_view_studio(actor: Any) -> bool:
    return scope_of(actor).has_role(*OFFICE_ROLES)


def can_keep_studio(actor: Any) -> bool:
    """Members and sessions: the district's organisation office and the street secretaries."""
    return scope_of(actor).has_role(*STUDIO_KEEPERS)


def can_raise_problem(actor: Any, area_path: str | None = None) -> bool:
    return _may(actor, FOLLOWERS, area_path)


def can_take(actor: Any, transition: Transition, area_path: str) -> bool:
    """The transition's roles, on a grant covering the problem's community."""
    return scope_of(actor).covers_area_path(area_path, transition.roles)


# --- Community funds --------------------------------------------------------------------------


def can_view_funds(actor: Any) -> bool:
    """Community, street and district staff (and the district leader, read-only)."""
    return scope_of(actor).has_role(*FUND_ROLES)


def can_set_budget(actor: Any, area_path: str | None = None) -> bool:
    return _may(actor, BUDGET_SETTERS, area_path)


def can_record_spending(actor: Any, area_path: str | None = None) -> bool:
    return _may(actor, SPENDING_RECORDERS, area_path)


# --- Worker careers ---------------------------------------------------------------------------


def can_view_careers(actor: Any) -> bool:
    return scope_of(actor).has_role(*ROSTER_ROLES)


def can_keep_careers(actor: Any, area_path: str | None = None) -> bool:
    """Quotas, recruitment, appraisals and promotions (street and district offices)."""
    return _may(actor, CAREER_KEEPERS, area_path)


def can_use(actor: Any) -> bool:
    """Whether the supports section has anything for the actor (the navigation entry)."""
    return can_view_centres(actor)

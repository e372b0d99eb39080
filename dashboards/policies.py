"""Who sees which dashboard. Plain functions over the loaded grants: no queries.

Area staff see the dashboard of their grants' subtree; department liaisons and property staff
see their own unit's performance; 三员分立: the security administrator and the auditor see no
dashboard, page or API.
"""

from typing import Any

from accounts.roles import Role
from accounts.scoping import scope_of

#: Roles whose area grants open the area dashboards (the grant's subtree).
AREA_VIEWERS = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
        Role.GRID_WORKER,
    }
)
#: Roles that see their own unit's performance.
UNIT_VIEWERS = frozenset({Role.DEPARTMENT_LIAISON, Role.PROPERTY_STAFF})


def can_view_dashboard(actor: Any) -> bool:
    """Area staff and unit staff; never the security administrator or the auditor."""
    scope = scope_of(actor)
    return scope.superuser or scope.has_role(*AREA_VIEWERS, *UNIT_VIEWERS)


def can_view_area_dashboards(actor: Any) -> bool:
    scope = scope_of(actor)
    return scope.superuser or scope.has_role(*AREA_VIEWERS)

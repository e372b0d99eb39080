"""Who may do what in 红色物业. Plain functions over the loaded scope: no queries.

* The community, its street and the district admin keep the ledgers of their subtree:
  contracts, residential areas' profiles, owners' committees, council meetings, mediation,
  surveys (``KEEPERS``).
* The district admin and street staff register property companies; a company's own staff may
  keep its profile and contacts, never its credit code.
* The unit that owns a resolution (its company's staff, its department's liaison, the
  community or street named) reports progress and completion; the keepers may also cancel and
  reopen (``property_mgmt.workflow`` says which action is whose).
* Property staff read their company's rows and their contracted areas' rows; they never see
  residents' phones or ID numbers, and the mediation of disputes is not theirs to read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accounts.roles import Role
from accounts.scoping import scope_of
from cases import policies as case_policies

from .workflow import KEEPER, OWNER, TRANSITIONS

if TYPE_CHECKING:
    from governance.models import PropertyCompany

    from .models import Resolution

KEEPERS = frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_ADMIN})
COMPANY_REGISTRARS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})
AREA_READERS = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
        Role.GRID_WORKER,
    }
)
READERS = AREA_READERS | {Role.PROPERTY_STAFF, Role.DEPARTMENT_LIAISON}
UNIT_AREA_ROLES = (Role.COMMUNITY_STAFF, Role.STREET_STAFF)


def can_use(actor: Any) -> bool:
    """Every business role of the 红色物业 work opens /property/."""
    return scope_of(actor).has_role(*READERS)


def can_read_area_ledgers(actor: Any) -> bool:
    """Contracts, committees, coverage, complaint rates: area staff and property staff."""
    return scope_of(actor).has_role(*(AREA_READERS | {Role.PROPERTY_STAFF}))


def can_read_mediation(actor: Any) -> bool:
    """Disputes are residents' matters: area-scoped staff only."""
    return scope_of(actor).has_role(*AREA_READERS)


def can_keep(actor: Any, area_path: str) -> bool:
    return scope_of(actor).covers_area_path(area_path, KEEPERS)


def can_keep_any(actor: Any) -> bool:
    return scope_of(actor).has_role(*KEEPERS)


def can_register_company(actor: Any) -> bool:
    return scope_of(actor).has_role(*COMPANY_REGISTRARS)


def can_edit_company(actor: Any, company: PropertyCompany) -> bool:
    scope = scope_of(actor)
    return scope.has_role(*COMPANY_REGISTRARS) or company.pk in scope.company_ids(
        [Role.PROPERTY_STAFF]
    )


def can_report_complaint(actor: Any, area_path: str | None = None) -> bool:
    """Whoever may report a case in the area (grid workers, community and street staff)."""
    return case_policies.can_report(actor, area_path)


def is_company_staff(actor: Any) -> bool:
    """Property staff with no area grant: pages show them their company's view."""
    scope = scope_of(actor)
    return (
        not scope.superuser
        and scope.has_role(Role.PROPERTY_STAFF)
        and not scope.area_paths(AREA_READERS)
    )


def may_see_contacts(actor: Any) -> bool:
    """Residents' names and (masked) phones on complaints and committees: area staff only."""
    return scope_of(actor).has_role(*AREA_READERS)


def owns_resolution(actor: Any, resolution: Resolution) -> bool:
    scope = scope_of(actor)
    if resolution.company_id is not None:
        return resolution.company_id in scope.company_ids([Role.PROPERTY_STAFF])
    if resolution.department_id is not None:
        return resolution.department_id in scope.department_ids([Role.DEPARTMENT_LIAISON])
    return any(
        grant.area_id == resolution.unit_area_id for grant in scope.for_roles(UNIT_AREA_ROLES)
    )


def can_take_resolution(actor: Any, action: str, resolution: Resolution) -> bool:
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False
    if scope_of(actor).superuser:
        return True
    if KEEPER in transition.taken_by and can_keep(actor, resolution.area_path):
        return True
    return OWNER in transition.taken_by and owns_resolution(actor, resolution)

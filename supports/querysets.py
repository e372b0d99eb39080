"""``visible_to(actor)`` for every supports model.

Rows carry ``area_path``, the materialised path of the street or community they belong to, so
"everything under street X" is one indexed range scan. Which roles count differs by topic:

* service centres, rooms, bookings and service records: every business role with an area grant
  (a grid worker sees their community's centre and its stations' records);
* the secretaries' studio (a district institution) and its sessions: the offices (district,
  street, community staff and the district leader) see all of it; difficult problems follow
  the community that brought them;
* community funds: community, street and district staff only (not grid workers, departments,
  property staff, the security administrator or the auditor);
* careers (quotas, recruitment, appraisal, promotions): whoever sees the worker roster.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from accounts.roles import Role
from accounts.scoping import Scope, ScopedQuerySet

#: The offices: they read the studio, the funds and the careers of their subtree.
OFFICE_ROLES = frozenset(
    {Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF}
)
FUND_ROLES = OFFICE_ROLES
ROSTER_ROLES = OFFICE_ROLES


class CentreQuerySet(ScopedQuerySet[Any]):
    """Centres, rooms, bookings and service records: the subtree of every area grant."""

    scope_area_path = "area_path"


class DistrictWideQuerySet(ScopedQuerySet[Any]):
    """Rows of a district institution (the studio, its members and sessions, recruitment
    rounds): any office with an area grant reads all of them."""

    scope_roles = OFFICE_ROLES

    def scope_condition(self, scope: Scope) -> Q | None:
        return Q(pk__isnull=False) if scope.area_paths(self.scope_roles) else None


class ProblemQuerySet(ScopedQuerySet[Any]):
    """Difficult problems and their actions: the community that brought them, its street and
    the district."""

    scope_area_path = "area_path"
    scope_roles = OFFICE_ROLES


class FundQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"
    scope_roles = FUND_ROLES


class CareerQuerySet(ScopedQuerySet[Any]):
    scope_area_path = "area_path"
    scope_roles = ROSTER_ROLES

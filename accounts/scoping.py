"""The one scoping mechanism: what part of the district an actor may see.

A user holds (role, scope node) grants. An area grant covers the area's subtree, which is
``path__startswith=<area path>`` on the materialised path (one indexed range scan, no tree
walk). Department and company grants cover objects linked to that department or company.

Each scoped model's QuerySet subclasses :class:`ScopedQuerySet`, names the lookups that lead
to its area path, department and company, and gets ``visible_to(actor)``. Pages, API views,
exports and admin changelists all start from it; an object outside the result is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models import Q

from .roles import BUSINESS_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

#: Whoever makes a request: ``request.user`` as Django types it.
Actor = Any

_CACHE_ATTR = "_portal_scope"
_M = TypeVar("_M", bound=models.Model)


def any_of(parts: Iterable[Q]) -> Q | None:
    """The OR of the conditions, or None when there are none (nothing matches)."""
    condition: Q | None = None
    for part in parts:
        condition = part if condition is None else condition | part
    return condition


@dataclass(frozen=True)
class Grant:
    role: str
    area_id: int | None
    area_path: str | None
    area_level: str | None
    department_id: int | None
    company_id: int | None


@dataclass(frozen=True)
class Scope:
    """The grants of one actor, loaded once per request."""

    grants: tuple[Grant, ...]
    superuser: bool = False

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants)

    def has_role(self, *roles: str) -> bool:
        return self.superuser or any(grant.role in roles for grant in self.grants)

    def for_roles(self, roles: Iterable[str] | None) -> tuple[Grant, ...]:
        if roles is None:
            return self.grants
        wanted = frozenset(roles)
        return tuple(grant for grant in self.grants if grant.role in wanted)

    def area_paths(self, roles: Iterable[str] | None = None) -> tuple[str, ...]:
        """The granted area paths, with paths already covered by a shorter one dropped."""
        paths = sorted({g.area_path for g in self.for_roles(roles) if g.area_path is not None})
        kept: list[str] = []
        for path in paths:
            if not any(path.startswith(prefix) for prefix in kept):
                kept.append(path)
        return tuple(kept)

    def department_ids(self, roles: Iterable[str] | None = None) -> frozenset[int]:
        return frozenset(
            g.department_id for g in self.for_roles(roles) if g.department_id is not None
        )

    def company_ids(self, roles: Iterable[str] | None = None) -> frozenset[int]:
        return frozenset(g.company_id for g in self.for_roles(roles) if g.company_id is not None)

    def covers_area_path(self, path: str, roles: Iterable[str] | None = None) -> bool:
        return self.superuser or any(path.startswith(p) for p in self.area_paths(roles))


EMPTY_SCOPE = Scope(grants=())


def scope_of(actor: User | AnonymousUser | None) -> Scope:
    """The actor's scope, cached on the user object for the rest of the request."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return EMPTY_SCOPE
    cached = getattr(actor, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = load_scope(actor)
    setattr(actor, _CACHE_ATTR, scope)
    return scope


def load_scope(user: User) -> Scope:
    """The grants ``user`` holds, read now and whether or not the account is active (the back
    office shows and checks the grants of a deactivated account too)."""
    from .models import RoleGrant

    rows = RoleGrant.objects.filter(user_id=user.pk).values_list(
        "role", "area_id", "area__path", "area__level", "department_id", "company_id"
    )
    return Scope(grants=tuple(Grant(*row) for row in rows), superuser=user.is_superuser)


def forget_scope(actor: Any) -> None:
    """Drop the cached scope (after grants change within one request or test)."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


class ScopedQuerySet(models.QuerySet[_M], Generic[_M]):
    """A QuerySet with ``visible_to(actor)``.

    Subclasses set the lookups that lead from the model to an area's materialised path, to a
    department id and to a company id (``None`` where the model has no such link), and the roles
    whose grants count (``BUSINESS_ROLES`` by default: 三员分立 keeps the security administrator
    and the auditor out of business data).
    """

    scope_area_path: str | None = None
    scope_department: str | None = None
    scope_company: str | None = None
    scope_roles: frozenset[str] | None = BUSINESS_ROLES

    def visible_to(self, actor: User | AnonymousUser | None) -> ScopedQuerySet[_M]:
        scope = scope_of(actor)
        if scope.superuser:
            return self.all()
        condition = self.scope_condition(scope)
        if condition is None:
            return self.none()
        # One filter() call: several conditions over relations must not widen into two joins.
        return self.filter(condition)

    def scope_condition(self, scope: Scope) -> Q | None:
        """The Q that selects what ``scope`` covers, or None when it covers nothing."""
        parts: list[Q] = []
        if self.scope_area_path:
            parts += [
                Q(**{f"{self.scope_area_path}__startswith": path})
                for path in scope.area_paths(self.scope_roles)
            ]
        if self.scope_department:
            ids = scope.department_ids(self.scope_roles)
            if ids:
                parts.append(Q(**{f"{self.scope_department}__in": sorted(ids)}))
        if self.scope_company:
            ids = scope.company_ids(self.scope_roles)
            if ids:
                parts.append(Q(**{f"{self.scope_company}__in": sorted(ids)}))
        return any_of(parts)


DISTRICT_WIDE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER})

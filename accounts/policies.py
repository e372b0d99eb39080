"""Who may do what in the accounts area. Plain functions over the loaded scope: no queries."""

from typing import Any

from django.conf import settings

from .roles import SYSTEM_ROLES, Role
from .scoping import Scope, load_scope, scope_of


def can_read_audit_log(actor: Any) -> bool:
    """三员分立: the auditor reads the audit log; the security administrator reads it to
    investigate lockouts. Nobody else does, not even the district admin."""
    return scope_of(actor).has_role(Role.AUDITOR, Role.SECURITY_ADMIN)


def can_manage_lockouts(actor: Any) -> bool:
    """Only the security administrator lifts a login lockout."""
    return scope_of(actor).has_role(Role.SECURITY_ADMIN)


def can_read_api_docs(actor: Any) -> bool:
    """The API is for the system's administrators, who connect other systems to the portal
    (the hotline, the city's platform): the menu shows 接口文档 to them, not to every role."""
    return scope_of(actor).has_role(Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN)


def can_grant_roles(actor: Any) -> bool:
    """The district admin keeps users and their grants."""
    return scope_of(actor).has_role(Role.DISTRICT_ADMIN)


#: The roles a street office may grant to its own communities' workers, when the district lets it.
STREET_GRANTABLE_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.GRID_WORKER})


def streets_manage_users() -> bool:
    """The district's choice (setting ``PORTAL_STREETS_MANAGE_USERS``): may street offices keep
    the accounts of their own communities' workers?"""
    return bool(getattr(settings, "PORTAL_STREETS_MANAGE_USERS", False))


def street_paths(actor: Any) -> tuple[str, ...]:
    """The streets whose communities' accounts ``actor`` keeps (none unless the district allows)."""
    if not streets_manage_users():
        return ()
    return scope_of(actor).area_paths([Role.STREET_STAFF])


def can_manage_users(actor: Any) -> bool:
    """The district admin keeps every account; a street office keeps its own communities'
    workers' accounts when the district allows it."""
    return can_grant_roles(actor) or bool(street_paths(actor))


def may_grant(actor: Any, role: str, area_path: str | None) -> bool:
    """May ``actor`` give ``role`` on the area at ``area_path`` (None: a department or company)?
    The district admin gives any role anywhere; a street office (when allowed) gives community
    staff and grid worker roles on communities of its own street, nothing else."""
    if can_grant_roles(actor):
        return True
    if role not in STREET_GRANTABLE_ROLES or area_path is None:
        return False
    return any(area_path.startswith(path) and area_path != path for path in street_paths(actor))


def can_manage_user(actor: Any, user: Any) -> bool:
    """May ``actor`` change ``user`` (details, grants, password, deactivation)? The district
    admin may change anyone; a street office
    only users whose every grant is one it could have given, and who hold at least one."""
    if can_grant_roles(actor):
        return True
    if not street_paths(actor) or user is None or user.is_superuser or user.is_staff:
        return False
    grants = scope_of_user(user).grants
    return bool(grants) and all(may_grant(actor, g.role, g.area_path) for g in grants)


def scope_of_user(user: Any) -> Scope:
    """The grants of ``user`` even when the account is inactive (``scope_of`` sees none then)."""
    return scope_of(user) if user.is_active else load_scope(user)


def can_manage_open311_clients(actor: Any) -> bool:
    """三员分立: the security administrator registers outside systems and their keys."""
    return scope_of(actor).has_role(Role.SECURITY_ADMIN)


def can_revoke_api_token(actor: Any, token: Any) -> bool:
    """A user revokes their own tokens; the security administrator revokes anyone's."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return token.user_id == actor.pk or scope_of(actor).has_role(Role.SECURITY_ADMIN)


def can_grant_unmask(actor: Any) -> bool:
    """三员分立: the security administrator opens (and closes) residents' plain ID numbers and
    phones to a user, person by person, as they own the other security controls (lockouts, the
    second factor, outside systems' keys). Not the district admin: who creates an account and
    gives it a role must not also open personal data to it alone."""
    return scope_of(actor).has_role(Role.SECURITY_ADMIN)


def may_receive_unmask(actor: Any, user: Any) -> bool:
    """May ``user`` be given the unmask permission by ``actor``? Only an active account that
    works with residents (a business role) and is not the actor's own: the security
    administrator and the auditor read no residents' data, and nobody grants it to themselves."""
    if user is None or not user.is_active or user.pk == getattr(actor, "pk", None):
        return False
    roles = scope_of_user(user).roles
    return bool(roles) and not roles & SYSTEM_ROLES

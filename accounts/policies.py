"""Who may do what in the accounts area. Plain functions over the loaded scope: no queries."""

from typing import Any

from .roles import Role
from .scoping import scope_of


def can_read_audit_log(actor: Any) -> bool:
    """三员分立: the auditor reads the audit log; the security administrator reads it to
    investigate lockouts. Nobody else does, not even the district admin."""
    return scope_of(actor).has_role(Role.AUDITOR, Role.SECURITY_ADMIN)


def can_manage_lockouts(actor: Any) -> bool:
    """Only the security administrator lifts a login lockout."""
    return scope_of(actor).has_role(Role.SECURITY_ADMIN)


def can_grant_roles(actor: Any) -> bool:
    """The district admin keeps users and their grants."""
    return scope_of(actor).has_role(Role.DISTRICT_ADMIN)

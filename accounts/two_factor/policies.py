"""Who must pass a second factor, and who resets someone else's. Plain functions over the loaded
scope: no queries once the grants are loaded."""

from typing import Any

from ..roles import Role
from ..scoping import scope_of

#: MLPS level 3 (等保三级) asks two factors of privileged users: the system administrators of
#: 三员分立 and the district admin, who keeps every account.
TWO_FACTOR_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})


def requires_two_factor(user: Any) -> bool:
    """A privileged role (or a superuser) must pass the second factor before any page; others
    may enrol and are then asked too. The back office asks it of every staff user
    (:func:`requires_two_factor_for_admin`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or scope_of(user).has_role(*TWO_FACTOR_ROLES)


def requires_two_factor_for_admin(user: Any) -> bool:
    """The back office changes accounts and reference data: a verified session for anyone."""
    return bool(getattr(user, "is_authenticated", False))


def can_reset_two_factor(actor: Any) -> bool:
    """三员分立: the security administrator resets a user's second factor (a lost phone), as
    they lift lockouts. The page is behind the second factor itself: a stolen password alone
    never reaches it."""
    return scope_of(actor).has_role(Role.SECURITY_ADMIN)

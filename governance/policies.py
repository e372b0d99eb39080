"""Who may do what with the governance backbone. Plain functions over the loaded scope: no
queries once the actor's grants are loaded."""

from typing import Any

from accounts.personal_data import can_unmask
from accounts.roles import BUSINESS_ROLES, Role
from accounts.scoping import scope_of

#: Roles that keep a community's ledgers (households, residents, members, needs).
LEDGER_KEEPERS = frozenset({Role.COMMUNITY_STAFF, Role.DISTRICT_ADMIN})
#: Roles that take needs on and mark them done.
NEED_HANDLERS = frozenset({Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.DISTRICT_ADMIN})
#: Roles that read the territory and the party organisation pages.
TREE_READERS = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
        Role.GRID_WORKER,
    }
)
#: Roles that read the ledgers of residents' data (三员分立: not the security admin/auditor).
LEDGER_READERS = TREE_READERS & BUSINESS_ROLES


def can_browse_tree(actor: Any) -> bool:
    """Area-scoped staff read the territory and party organisation of their subtree."""
    return scope_of(actor).has_role(*TREE_READERS)


def can_read_ledgers(actor: Any) -> bool:
    """The ledgers hold residents' data: area-scoped business roles only."""
    return scope_of(actor).has_role(*LEDGER_READERS)


def can_maintain_tree(actor: Any) -> bool:
    """The district admin alone keeps the territory and the party organisation trees."""
    return scope_of(actor).has_role(Role.DISTRICT_ADMIN)


def can_keep_ledger(actor: Any, area_path: str) -> bool:
    """Community staff keep the ledgers of their own community; the district admin all."""
    return scope_of(actor).covers_area_path(area_path, LEDGER_KEEPERS)


def can_keep_any_ledger(actor: Any) -> bool:
    return scope_of(actor).has_role(*LEDGER_KEEPERS)


def can_handle_need(actor: Any, area_path: str) -> bool:
    """Community staff and grid workers of the community take needs on and close them."""
    return scope_of(actor).covers_area_path(area_path, NEED_HANDLERS)


def may_unmask(actor: Any) -> bool:
    """Plain ID numbers and phones: the unmask permission, granted person by person."""
    return can_unmask(actor)

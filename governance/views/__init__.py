"""Pages of the governance backbone: the two tree browsers (``trees``), the ledgers and their
import (``ledgers``), and the pages of one household, resident or member (``people``). Each
view parses input, resolves objects through a scoped selector, calls one service and renders."""

from .ledgers import ledger, ledger_home, ledger_import
from .people import (
    household_create,
    household_detail,
    member_detail,
    need_create,
    need_transition,
    resident_create,
    resident_detail,
)
from .places import place_search
from .trees import area_children, area_detail, area_tree, org_children, org_detail, org_tree

__all__ = [
    "area_children",
    "area_detail",
    "area_tree",
    "household_create",
    "household_detail",
    "ledger",
    "ledger_home",
    "ledger_import",
    "member_detail",
    "need_create",
    "need_transition",
    "org_children",
    "org_detail",
    "org_tree",
    "place_search",
    "resident_create",
    "resident_detail",
]

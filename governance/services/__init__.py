"""Writes to the governance backbone, by topic: the territory tree (``areas``), party
organisations (``orgs``), households, residents and members (``people``), the needs ledger
(``needs``) and the Excel import (``importing``). Every service takes the actor, checks its
policy, runs in one transaction and writes its audit row there; audit details never carry
personal data. Bad input is a ``ValidationError``, a state that does not allow the change (or a
lost race) a :class:`common.errors.Conflict`."""

from governance.persons import PersonFields, clean_person

from .areas import (
    AREA_ANCESTOR_COPIES,
    AREA_PATH_COPIES,
    LEVEL_DEPTH,
    area_create,
    area_move,
    area_next_code,
    area_set_active,
    area_update,
    check_area_level,
    register_area_ancestor_copy,
    register_area_path_copy,
)
from .importing import ledger_import
from .needs import need_complete, need_create, need_take
from .orgs import check_party_org_fields, party_org_create, party_org_update
from .people import (
    MemberFields,
    clean_tags,
    household_create,
    household_update,
    member_create,
    member_update,
    resident_create,
    resident_update,
)

__all__ = [
    "AREA_ANCESTOR_COPIES",
    "AREA_PATH_COPIES",
    "LEVEL_DEPTH",
    "MemberFields",
    "PersonFields",
    "area_create",
    "area_move",
    "area_next_code",
    "area_set_active",
    "area_update",
    "check_area_level",
    "check_party_org_fields",
    "clean_person",
    "clean_tags",
    "household_create",
    "household_update",
    "ledger_import",
    "member_create",
    "member_update",
    "need_complete",
    "need_create",
    "need_take",
    "party_org_create",
    "party_org_update",
    "register_area_ancestor_copy",
    "register_area_path_copy",
    "resident_create",
    "resident_update",
]

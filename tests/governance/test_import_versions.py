"""An import that changes an existing household (the head it names) makes a new version of
it, so an edit form opened before the import is refused instead of written over it."""

import pytest

from accounts.roles import Role
from common.concurrency import StaleEdit
from governance import services
from governance.imports import ImportKind
from governance.models import Household
from tests.governance.factories import household, id_number

from .test_import import _resident_row, _upload

pytestmark = pytest.mark.django_db


def _import(actor, community, rows):
    plan = services.ledger_import(
        actor=actor, kind=ImportKind.RESIDENTS, community=community,
        upload=_upload("residents", rows),
    )  # fmt: skip
    assert not plan.errors, plan.errors


def test_an_import_naming_an_existing_households_head_bumps_its_version(tree, make_user):
    # given a household without residents, its edit form open at version 1
    staff = make_user(Role.COMMUNITY_STAFF)
    home = household(tree["building"], room="301")
    assert (home.head_name, home.version) == ("", 1)
    # when an import registers its head
    _import(staff, tree["community"], [_resident_row("周户主", "301", id_number())])
    # then the household is a new version, and the open form's save is refused
    home.refresh_from_db()
    assert (home.head_name, home.version) == ("周户主", 2)
    stale = Household.objects.get(pk=home.pk)
    with pytest.raises(StaleEdit):
        services.household_update(
            actor=staff, household=stale, unit=home.unit, room=home.room, note="开着的表单",
            is_active=True, seen_version=1,
        )  # fmt: skip
    home.refresh_from_db()
    assert home.note != "开着的表单"


def test_an_import_that_leaves_a_household_as_it_was_keeps_its_version(tree, make_user):
    staff = make_user(Role.COMMUNITY_STAFF)
    _import(staff, tree["community"], [_resident_row("吴户主", "302", id_number())])
    made = Household.objects.get(room="302")
    # a household the import made starts at version 1, its head already named
    assert (made.head_name, made.version) == ("吴户主", 1)
    # a second import adding a spouse changes nothing of the household
    _import(staff, tree["community"], [_resident_row("郑配偶", "302", relation="配偶",
                                                     gender="女")])  # fmt: skip
    made.refresh_from_db()
    assert (made.head_name, made.version) == ("吴户主", 1)

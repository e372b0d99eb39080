import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditAction, AuditLog
from accounts.roles import Role
from governance import selectors, services
from governance.models import (
    Area,
    AreaLevel,
    Household,
    NeedsLedger,
    PartyMember,
    PartyOrg,
    Resident,
)
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_levels_are_enforced(tree):
    with pytest.raises(ValidationError, match="楼栋”只能建在“小区"):
        f.area(tree["community"], AreaLevel.BUILDING)
    with pytest.raises(ValidationError):
        f.area(tree["building"], AreaLevel.BUILDING)
    with pytest.raises(ValidationError, match="根节点"):
        f.area(tree["district"], AreaLevel.DISTRICT)


def test_codes_are_unique_and_generated_from_the_parent(tree):
    tree["estate"].refresh_from_db()
    first = services.area_create(
        actor=None, parent=tree["estate"], name="2号楼", level=AreaLevel.BUILDING
    )
    tree["estate"].refresh_from_db()
    second = services.area_create(
        actor=None, parent=tree["estate"], name="3号楼", level=AreaLevel.BUILDING
    )
    assert first.code.startswith(tree["estate"].code) and len(first.code) == 15
    assert first.code != second.code
    with pytest.raises(ValidationError, match="已存在"):
        services.area_create(
            actor=None,
            parent=tree["estate"],
            name="4号楼",
            level=AreaLevel.BUILDING,
            code=first.code,
        )


def test_pinyin_initials_find_an_area(tree, make_user):
    user = make_user(Role.DISTRICT_ADMIN)
    assert tree["community"].name_initials == "jsq"
    assert [a.name for a in selectors.area_search(actor=user, query="jsq")] == ["甲社区"]


def test_moving_a_subtree_rewrites_every_path_and_every_copy(tree, people, make_user):
    # given an estate with a building, a household, a resident, a member, a need and orgs
    admin = make_user(Role.DISTRICT_ADMIN)
    estate = tree["estate"]
    # when the estate moves to the other community
    moved = services.area_move(actor=admin, area=estate, new_parent=tree["other_community"])
    # then the subtree hangs under the new community and every copy follows
    tree["other_community"].refresh_from_db()
    assert moved.path.startswith(tree["other_community"].path)
    building = Area.objects.get(pk=tree["building"].pk)
    assert building.path.startswith(moved.path) and building.depth == 5
    assert Household.objects.get(pk=people["household"].pk).area_path == building.path
    assert Resident.objects.get(pk=people["resident"].pk).area_path == building.path
    assert PartyMember.objects.get(pk=people["member"].pk).area_path == building.path
    assert NeedsLedger.objects.get(pk=people["need"].pk).area_path == building.path
    assert PartyOrg.objects.get(pk=people["branch"].pk).area_path == moved.path
    # and the community staff of the new community now see the household; the old ones do not
    new_staff = make_user(Role.COMMUNITY_STAFF, "other_community")
    old_staff = make_user(Role.COMMUNITY_STAFF, "community")
    assert Household.objects.visible_to(new_staff).filter(pk=people["household"].pk).exists()
    assert not Household.objects.visible_to(old_staff).filter(pk=people["household"].pk).exists()
    assert Area.objects.get(pk=tree["community"].pk).numchild == 0
    assert AuditLog.objects.filter(action=AuditAction.UPDATE, object_id=str(estate.pk)).exists()


def test_a_move_must_respect_levels_and_cannot_go_into_its_own_subtree(tree, make_user):
    admin = make_user(Role.DISTRICT_ADMIN)
    with pytest.raises(ValidationError):
        services.area_move(actor=admin, area=tree["estate"], new_parent=tree["other_street"])
    with pytest.raises(ValidationError):
        services.area_move(actor=admin, area=tree["street"], new_parent=tree["street"])


def test_only_the_district_admin_moves_areas(tree, make_user):
    with pytest.raises(PermissionDenied):
        services.area_move(
            actor=make_user(Role.STREET_STAFF),
            area=tree["estate"],
            new_parent=tree["other_community"],
        )


def test_deactivation_covers_the_subtree_and_deletes_nothing(tree, make_user):
    admin = make_user(Role.DISTRICT_ADMIN)
    changed = services.area_set_active(actor=admin, area=tree["estate"], active=False)
    assert changed == 2
    assert not Area.objects.get(pk=tree["building"].pk).is_active
    with pytest.raises(ValidationError, match="已停用"):
        f.household(Area.objects.get(pk=tree["building"].pk))
    with pytest.raises(ValidationError, match="上级区域已停用"):
        services.area_set_active(actor=admin, area=tree["building"], active=True)


def test_org_kinds_and_areas_must_fit_the_parent(tree):
    committee = f.org(tree["community"])
    with pytest.raises(ValidationError, match="党委"):
        f.org(tree["estate"], "group", parent=committee)
    with pytest.raises(ValidationError, match="之内"):
        f.org(tree["other_estate"], "branch", parent=committee)

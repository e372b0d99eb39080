"""What the trees show: a committee's members are those of its whole subtree, and a moved
area takes a code under its new parent."""

import pytest

from accounts.roles import Role
from governance import services
from governance.models import Area, AreaLevel, PartyOrgKind
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_the_party_tree_shows_each_committee_the_members_of_its_subtree(client, make_user, tree):
    committee = f.org(tree["community"], PartyOrgKind.COMMITTEE, name="甲社区党委")
    branch = f.org(tree["estate"], PartyOrgKind.BRANCH, parent=committee, name="甲小区党支部")
    f.member(branch, "李党员")
    f.member(branch, "王党员")
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    page = client.get("/governance/orgs/").content.decode()
    row = page.split("甲社区党委", 1)[1].split("</li>", 1)[0]
    assert "2 名党员" in row, row
    children = client.get(f"/governance/orgs/{committee.pk}/children/").content.decode()
    assert "2 名党员" in children


def test_a_moved_area_takes_a_code_under_its_new_parent_and_its_subtree_follows(tree):
    estate = services.area_create(
        actor=None, parent=tree["community"], name="新建小区", level=AreaLevel.RESIDENTIAL_AREA
    )
    building = services.area_create(
        actor=None, parent=estate, name="1号楼", level=AreaLevel.BUILDING
    )
    assert estate.code.startswith(tree["community"].code)
    moved = services.area_move(actor=None, area=estate, new_parent=tree["other_community"])
    building.refresh_from_db()
    assert moved.code.startswith(tree["other_community"].code)
    assert building.code.startswith(moved.code) and len(building.code) == len(moved.code) + 3
    assert Area.objects.filter(code=moved.code).count() == 1


def test_an_official_code_stays_when_the_area_moves(tree):
    estate = services.area_create(
        actor=None,
        parent=tree["community"],
        name="老城小区",
        level=AreaLevel.RESIDENTIAL_AREA,
        code="370405999001",
    )
    moved = services.area_move(actor=None, area=estate, new_parent=tree["other_community"])
    assert moved.code == "370405999001"

import pytest

from governance import selectors
from governance.models import AreaLevel
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


def test_coverage_counts_estates_and_buildings_with_an_anchored_org(tree):
    # given 2 estates (甲小区, 乙小区) + 1 more, and 4 buildings in the district
    third_estate = f.area(tree["community"], AreaLevel.RESIDENTIAL_AREA, "丙小区")
    b2 = f.area(tree["estate"], AreaLevel.BUILDING, "2号楼")
    f.area(third_estate, AreaLevel.BUILDING, "1号楼")
    f.area(tree["other_estate"], AreaLevel.BUILDING, "1号楼")
    committee = f.org(tree["community"])
    branch = f.org(tree["estate"], "branch", parent=committee)
    f.org(b2, "group", parent=branch)
    inactive = f.org(third_estate, "branch", parent=committee)
    inactive.is_active = False
    inactive.save()
    # when / then: 1 of 3 estates, 1 of 4 buildings in the district
    district = selectors.coverage_for(tree["district"])
    assert (district.estates, district.estates_covered) == (3, 1)
    assert (district.buildings, district.buildings_covered) == (4, 1)
    assert district.estate_share == 33.3 and district.building_share == 25.0
    # and within 甲社区: 1 of 2 estates, 1 of 3 buildings
    community = selectors.coverage_for(tree["community"])
    assert (community.estates_covered, community.estates) == (1, 2)
    assert (community.buildings_covered, community.buildings) == (1, 3)
    # and 乙镇 has nothing anchored
    other = selectors.coverage_for(tree["other_street"])
    assert other.estate_share == 0.0 and other.building_share == 0.0


def test_coverage_of_a_subtree_without_estates_is_undefined_not_zero(tree):
    coverage = selectors.coverage_for(tree["building"])
    assert coverage.estate_share is None and coverage.building_share == 0.0


def test_coverage_is_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.coverage_for(tree["district"])


def test_the_api_and_the_page_show_coverage(tree, make_user, api_for, client):
    f.org(tree["estate"], "branch", parent=f.org(tree["community"]))
    user = make_user("district_leader")
    body = api_for(user).get(f"/api/v1/areas/{tree['community'].pk}/coverage/").json()
    assert body["estate_share"] == 100.0 and body["buildings_covered"] == 0
    client.force_login(user)
    page = client.get(f"/governance/areas/{tree['district'].pk}/").content.decode()
    assert "50.0%" in page

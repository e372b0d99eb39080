"""Places are named in full below the reader's scope, found by search, and out-of-scope places
are never offered."""

import pytest

from accounts.roles import Role
from governance.models import AreaLevel
from tests.governance.factories import area, household

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(tree):
    other_building = area(tree["other_estate"], AreaLevel.BUILDING, "1号楼")
    return {
        "mine": household(tree["building"], room="101", unit="1"),
        "theirs": household(other_building, room="101", unit="1"),
    }


def test_the_household_search_names_each_home_in_full_within_the_scope(client, make_user, homes):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    body = client.get("/governance/places/", {"kind": "household", "q": "甲小区 101"}).json()
    assert body["results"] == [{"id": homes["mine"].pk, "label": "甲小区 / 1号楼 / 1单元101室"}]
    # a sibling community's 1号楼 1单元101室 is not offered, whatever the query
    everything = client.get("/governance/places/", {"kind": "household", "q": "101"}).json()
    assert [r["id"] for r in everything["results"]] == [homes["mine"].pk]


def test_a_street_reads_the_community_in_the_name(client, make_user, homes):
    client.force_login(make_user(Role.STREET_STAFF))
    body = client.get("/governance/places/", {"kind": "building", "q": "1号楼"}).json()
    assert [r["label"] for r in body["results"]] == ["甲社区 / 甲小区 / 1号楼"]


def test_the_visit_form_chooses_the_household_by_search_not_from_a_long_list(
    client, make_user, tree, homes
):
    from tests.grids.factories import grid

    grid(tree["community"])
    client.force_login(make_user(Role.GRID_WORKER))
    page = client.get("/grids/visits/new/").content.decode()
    assert 'data-autocomplete-url="/governance/places/?kind=household"' in page
    assert "1单元101室</option>" not in page
    assert "/static/js/autocomplete.js" in page and "<script>" not in page


def test_the_back_offices_parent_list_shows_full_paths(client, make_user, tree):
    area(tree["other_community"], AreaLevel.RESIDENTIAL_AREA, "甲小区")  # a namesake
    client.force_login(make_user(Role.DISTRICT_ADMIN, is_staff=True))
    page = client.get(f"/admin/governance/area/{tree['building'].pk}/change/").content.decode()
    assert 'value="甲街道 / 甲社区 / 甲小区"' in page  # the building's parent, named in full
    assert 'data-autocomplete-url="/governance/places/?kind=parent"' in page
    assert "/static/js/autocomplete.js" in page
    found = client.get("/governance/places/", {"kind": "parent", "q": "甲小区"}).json()
    assert [r["label"] for r in found["results"]] == [
        "甲街道 / 甲社区 / 甲小区",
        "乙镇 / 乙社区 / 甲小区",
    ]


def test_the_report_form_names_each_place_in_full(client, make_user, tree):
    area(tree["other_estate"], AreaLevel.BUILDING, "1号楼")  # a namesake elsewhere
    client.force_login(make_user(Role.STREET_STAFF))
    page = client.get("/cases/new/").content.decode()
    assert 'data-autocomplete-url="/governance/places/?kind=place"' in page
    found = client.get("/governance/places/", {"kind": "place", "q": "1号楼"}).json()
    assert [r["label"] for r in found["results"]] == ["甲社区 / 甲小区 / 1号楼"]


def test_the_search_makes_as_many_queries_for_2_homes_as_for_20(
    client, make_user, tree, count_queries
):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    url = "/governance/places/?kind=household&q=甲小区"
    for room in range(2):
        household(tree["building"], room=f"1{room:02d}")
    few = count_queries(client, url)
    for room in range(2, 20):
        household(tree["building"], room=f"1{room:02d}")
    assert count_queries(client, url) == few
    assert len(client.get(url).json()["results"]) == 20

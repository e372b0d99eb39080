import pytest

from accounts.roles import Role

from .factories import grid, square, staff_fully

pytestmark = pytest.mark.django_db


def test_grids_are_listed_with_their_staffing_and_scoped(api_for, make_user, tree):
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    mine = grid(tree["community"], name="甲网格")
    staff_fully(mine)
    theirs = grid(tree["other_community"], name="乙网格")
    rows = client.get("/api/v1/grids/").json()["results"]
    assert [(r["name"], r["workers"], r["staffing_problems"]) for r in rows] == [("甲网格", 1, [])]
    outside = client.get(f"/api/v1/grids/{theirs.pk}/")
    missing = client.get("/api/v1/grids/999999/")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_a_grid_is_created_with_a_boundary_and_bad_input_gets_field_errors(
    api_for, make_user, tree
):
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    body = {
        "community": tree["community"].pk,
        "code": "A001",
        "name": "新网格",
        "kind": "urban",
        "boundary": square(117.7, 34.5),
    }
    created = client.post("/api/v1/grids/", body, format="json")
    assert created.status_code == 201
    assert created.json()["staffing_problems"][1] == "未配网格长"
    again = client.post("/api/v1/grids/", body, format="json")
    assert again.status_code == 400 and "code" in again.json()["fields"]
    sibling = client.post(
        "/api/v1/grids/",
        {**body, "code": "A002", "community": tree["other_community"].pk},
        format="json",
    )
    assert sibling.status_code == 404


def test_locate_finds_the_grid_of_a_point(api_for, make_user, tree):
    client = api_for(make_user(Role.GRID_WORKER))
    target = grid(tree["community"], boundary=square(117.7, 34.5))
    found = client.get("/api/v1/grids/locate/?longitude=117.705&latitude=34.505")
    assert found.json()["id"] == target.pk
    assert client.get("/api/v1/grids/locate/?longitude=1&latitude=1").status_code == 404
    bad = client.get("/api/v1/grids/locate/?longitude=500&latitude=1")
    assert bad.status_code == 400 and "longitude" in bad.json()["fields"]


def test_the_roster_api_is_closed_to_grid_workers(api_for, make_user):
    assert api_for(make_user(Role.GRID_WORKER)).get("/api/v1/community-workers/").status_code == 403
    assert (
        api_for(make_user(Role.COMMUNITY_STAFF)).get("/api/v1/community-workers/").status_code
        == 200
    )


def test_the_grid_api_uses_the_same_number_of_queries_for_2_and_20_grids(
    api_for, make_user, tree, count_queries
):
    client = api_for(make_user(Role.DISTRICT_LEADER))
    url = "/api/v1/grids/?page_size=50"
    for _ in range(2):
        staff_fully(grid(tree["community"]))
    client.get(url)
    few = count_queries(client, url)
    for _ in range(18):
        staff_fully(grid(tree["community"]))
    many = count_queries(client, url)
    assert len(client.get(url).json()["results"]) == 20
    assert many == few

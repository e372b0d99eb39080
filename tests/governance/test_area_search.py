"""``/api/v1/areas/`` answers DRF's ``?search=`` as it answers ``?q=``."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("param", ["q", "search"])
def test_areas_are_searched_by_either_parameter(tree, make_user, param):
    client = APIClient()
    client.force_authenticate(make_user("district_admin"))
    names = [row["name"] for row in client.get("/api/v1/areas/", {param: "乙"}).json()["results"]]
    assert set(names) == {"乙镇", "乙社区", "乙小区"}


def test_a_search_stays_inside_the_callers_scope(tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user("community_staff"))
    rows = client.get("/api/v1/areas/", {"search": "乙"}).json()["results"]
    assert rows == []

"""Open311 GeoReport v2 as standard clients use it: a request located by ``lat``/``long`` (the
grid map) or ``address_string`` (area names), sent form-encoded as in the specification's
example, and the discovery document."""

from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from cases.models import Case
from grids.services import grid_cover_area
from tests.accounts.factories import open311_client_key
from tests.governance.factories import building_in
from tests.grids.factories import grid, square

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def spec_body(key: str, code: str, **overrides: str | None) -> str:
    """The specification's example POST (GeoReport v2, "POST Service Request"), field for field
    and in its order; the service code and the place are ours."""
    fields: dict[str, str | None] = {
        "api_key": key,
        "jurisdiction_id": "city.gov",
        "service_code": code,
        "lat": "34.565240",
        "long": "117.735204",
        "address_string": "1234 5th street",
        "email": "smit222@sfgov.edu",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "john",
        "last_name": "smith",
        "phone": "111111111",
        "description": "A large sinkhole is destroying the street",
        "media_url": "http://www.city.gov/image.jpg",
    }
    fields.update(overrides)
    return urlencode({k: v for k, v in fields.items() if v is not None})


@pytest.fixture
def mapped(tree):
    """The first community's grid covers the estate and holds the point of the example."""
    target = grid(tree["community"], boundary=square(117.73, 34.56), name="运河一网格")
    grid_cover_area(actor=None, grid=target, area=tree["estate"])
    return target


def test_the_specs_example_request_is_filed_on_the_grid_of_its_point(people, tree, cat, mapped):
    key = open311_client_key(people["grid"])
    # when a GeoReport v2 client posts the example, form-encoded
    response = APIClient().post(
        "/open311/v2/requests.json", spec_body(key, cat.code), content_type=FORM
    )
    # then the case is on the grid's estate, in its community and street
    assert response.status_code == 201, response.content
    answer = response.json()
    assert list(answer[0]) == ["service_request_id", "service_notice", "account_id"]
    case = Case.objects.get(number=answer[0]["service_request_id"])
    assert (case.area, case.community, case.street) == (
        tree["estate"],
        tree["community"],
        tree["street"],
    )
    assert case.source == "open311" and case.contact_name == "smithjohn"
    assert "运河一网格" in answer[0]["service_notice"] and "甲小区" in answer[0]["service_notice"]
    read = APIClient().get(f"/open311/v2/requests/{case.number}.json", {"api_key": key}).json()
    assert (
        read[0]["lat"] == pytest.approx(34.56524) and read[0]["address_id"] == tree["estate"].code
    )


def test_a_point_outside_every_grid_falls_back_to_the_address_string(people, tree, cat, mapped):
    key = open311_client_key(people["grid"])
    building = building_in(tree["estate"], "3号楼")
    body = spec_body(
        key, cat.code, lat="30.0", long="110.0", address_string="甲社区甲小区3号楼东侧"
    )
    response = APIClient().post("/open311/v2/requests.json", body, content_type=FORM)
    assert response.status_code == 201, response.content
    assert Case.objects.get().area == building


def test_an_ambiguous_or_unknown_address_is_refused_with_the_candidates(people, tree, cat):
    key = open311_client_key(people["admin"])
    building_in(tree["other_estate"], "1号楼")  # the tree's estate has its own 1号楼
    client = APIClient()
    vague = client.post(
        "/open311/v2/requests.json",
        spec_body(key, cat.code, lat=None, long=None, address_string="1号楼门口"),
        content_type=FORM,
    )
    assert vague.status_code == 400
    text = vague.json()[0]["description"]
    assert "address_string" in text and "甲小区 / 1号楼" in text and "乙小区 / 1号楼" in text
    nowhere = client.post(
        "/open311/v2/requests.json",
        spec_body(key, cat.code, lat=None, long=None, address_string="1234 5th street"),
        content_type=FORM,
    )
    assert nowhere.status_code == 400 and "address_string" in nowhere.json()[0]["description"]
    assert not Case.objects.exists()


def test_a_point_in_another_communitys_grid_is_not_filed(people, tree, cat, mapped):
    key = open311_client_key(people["other_grid"])
    body = spec_body(key, cat.code, address_string=None)
    response = APIClient().post("/open311/v2/requests.json", body, content_type=FORM)
    assert response.status_code == 400 and "lat" in response.json()[0]["description"]
    assert not Case.objects.exists()


def test_discovery_names_the_v2_endpoint():
    body = APIClient().get("/open311/v2/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and "application/json" in endpoint["formats"]

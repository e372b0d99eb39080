"""Sibling scopes are 404, property staff see their company's rows and no residents' phones."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from property_mgmt import services
from tests.governance.factories import org

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree: dict[str, Any], cats: Any, company: Any) -> dict[str, Any]:
    start = timezone.localdate() - timedelta(days=30)
    other = f.company()
    contract = f.contract(tree["estate"], company, starts_on=start)
    other_contract = f.contract(tree["other_estate"], other, starts_on=start)
    committee = f.committee(tree["estate"])
    other_committee = f.committee(tree["other_estate"])
    services.member_add(actor=None, committee=committee, name="王委员", phone="13812345678")
    meeting = services.meeting_create(
        actor=None,
        community=tree["other_community"],
        kind="hearing",
        title="恳谈会",
        held_at=timezone.now(),
        convened_by=org(tree["other_community"]),
    )
    survey = f.survey(tree["other_estate"])
    return {
        "contract": contract,
        "other_contract": other_contract,
        "committee": committee,
        "other_committee": other_committee,
        "meeting": meeting,
        "survey": survey,
        "company": company,
        "other": other,
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("contract_detail", "other_contract"),
        ("committee_detail", "other_committee"),
        ("meeting_detail", "meeting"),
        ("survey_detail", "survey"),
    ],
)
def test_a_sibling_community_is_404(
    client: Any, make_user: Any, world: dict[str, Any], name: str, key: str
) -> None:
    client.force_login(make_user("community_staff"))
    assert client.get(reverse(f"property_mgmt:{name}", args=[world[key].pk])).status_code == 404


def test_api_sibling_is_404(api_for: Any, make_user: Any, world: dict[str, Any]) -> None:
    api = api_for(make_user("community_staff"))
    assert api.get(f"/api/v1/property/contracts/{world['other_contract'].pk}/").status_code == 404
    assert api.get(f"/api/v1/property/contracts/{world['contract'].pk}/").status_code == 200


def test_property_staff_see_their_contracted_areas_only(
    client: Any, make_user: Any, world: dict[str, Any]
) -> None:
    client.force_login(make_user("property_staff"))
    assert (
        client.get(
            reverse("property_mgmt:contract_detail", args=[world["contract"].pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("property_mgmt:contract_detail", args=[world["other_contract"].pk])
        ).status_code
        == 404
    )
    page = client.get(
        reverse("property_mgmt:committee_detail", args=[world["committee"].pk])
    ).content.decode()
    assert "王委员" in page
    assert "138****5678" not in page  # no residents' phones for property staff
    assert (
        client.get(
            reverse("property_mgmt:committee_detail", args=[world["other_committee"].pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("property_mgmt:mediation_list")).status_code == 403


def test_the_street_sees_its_subtree(api_for: Any, make_user: Any, world: dict[str, Any]) -> None:
    body = api_for(make_user("street_staff")).get("/api/v1/property/contracts/").json()
    assert [row["id"] for row in body["results"]] == [world["contract"].pk]


def test_bad_input_through_the_api_is_a_400_with_fields(
    api_for: Any, make_user: Any, tree: dict[str, Any], world: dict[str, Any]
) -> None:
    api = api_for(make_user("community_staff"))
    response = api.post(
        "/api/v1/property/contracts/",
        {
            "area": tree["estate"].pk,
            "kind": "self",
            "starts_on": "2027-01-01",
            "ends_on": "2027-02-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "starts_on" in response.json()["fields"]
    response = api.post(
        "/api/v1/property/committees/",
        {"area": tree["estate"].pk, "term_starts_on": "2026-05-01", "term_ends_on": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["term_ends_on"] == ["任期结束日期须晚于开始日期。"]
    response = api.post(
        "/api/v1/property/companies/", {"name": "x", "credit_code": "123"}, format="json"
    )
    assert response.status_code == 403  # community staff do not register companies


def test_resolution_transition_conflict_is_409(
    api_for: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    from governance.units import Unit

    meeting = services.meeting_create(
        actor=None,
        community=tree["community"],
        kind="joint",
        title="联席会议",
        held_at=timezone.now(),
        convened_by=org(tree["community"]),
    )
    resolution = services.resolution_add(
        actor=None, meeting=meeting, text="清运垃圾", unit=Unit(area=tree["community"]), due_days=3
    )
    api = api_for(make_user("community_staff"))
    url = f"/api/v1/property/resolutions/{resolution.pk}/transitions/"
    assert api.post(url, {"action": "complete", "note": "已清运"}, format="json").status_code == 200
    assert api.post(url, {"action": "complete", "note": "再次"}, format="json").status_code == 409

"""Places chosen in full: the 红色物业 forms find a residential area (and a meeting's community)
by search instead of a list of look-alike names, and the community lists of the other apps
name each community with its street."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from accounts.roles import Role
from governance.models import AreaLevel
from property_mgmt.models import ContractKind, ServiceContract
from tests.governance.factories import area
from tests.property_mgmt.factories import company

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="once_token" value="([^"]+)"')


@pytest.mark.parametrize(
    "url", ["/property/contracts/new/", "/property/committees/new/", "/property/surveys/new/"]
)
def test_the_residential_area_is_found_by_search_not_picked_from_a_list(
    client: Any, make_user: Any, tree: dict[str, Any], url: str
) -> None:
    area(tree["community"], AreaLevel.RESIDENTIAL_AREA, "乙小区")
    client.force_login(make_user(Role.STREET_STAFF))
    page = client.get(url).content.decode()
    assert 'data-autocomplete-url="/governance/places/?kind=estate"' in page
    assert "甲小区</option>" not in page and "乙小区</option>" not in page
    found = client.get("/governance/places/", {"kind": "estate", "q": "小区"}).json()
    assert [r["label"] for r in found["results"]] == ["甲社区 / 甲小区", "甲社区 / 乙小区"]


def test_the_meeting_form_finds_its_community_by_search(
    client: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    client.force_login(make_user(Role.STREET_STAFF))
    page = client.get("/property/meetings/new/").content.decode()
    assert 'data-autocomplete-url="/governance/places/?kind=community"' in page
    assert "甲社区</option>" not in page


def _contract(client: Any, company_pk: int, text: str | None, pk: str = "") -> tuple[Any, str]:
    page = client.get("/property/contracts/new/").content.decode()
    token = TOKEN.search(page)
    assert token is not None
    data = {
        "once_token": token.group(1),
        "area": pk,
        "kind": ContractKind.COMPANY,
        "company": company_pk,
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
    }
    if text is not None:
        data["area_text"] = text
    response = client.post("/property/contracts/new/", data)
    return response, response.content.decode() if response.status_code == 200 else ""


def test_a_contract_takes_the_residential_area_typed_by_name(
    client: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    serving = company()
    client.force_login(make_user(Role.COMMUNITY_STAFF))

    response, _page = _contract(client, serving.pk, "甲小区")

    assert response.status_code == 302
    contract = ServiceContract.objects.get()
    assert contract.area == tree["estate"]
    assert (contract.company, contract.starts_on) == (serving, date(2026, 1, 1))


def test_an_area_outside_the_scope_is_not_found_and_nothing_is_saved(
    client: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    serving = company()
    client.force_login(make_user(Role.COMMUNITY_STAFF))

    # typed by name, or its id put in the hidden field by hand
    _response, page = _contract(client, serving.pk, "乙小区")
    assert "没有找到“乙小区”" in page
    _response, page = _contract(client, serving.pk, None, pk=str(tree["other_estate"].pk))
    assert "选择一个有效的选项" in page

    assert not ServiceContract.objects.exists()


def test_community_lists_name_the_street_of_each_community(
    client: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    area(tree["other_street"], AreaLevel.COMMUNITY, "甲社区")  # a namesake in another street
    client.force_login(make_user(Role.STREET_STAFF))
    page = client.get("/grids/new/").content.decode()
    assert ">甲街道 / 甲社区</option>" in page
    assert "乙镇" not in page  # another street's communities are not offered

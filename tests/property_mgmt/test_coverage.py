"""Coverage (物业服务覆盖率, 业委会组建率) and the 三无小区: a residential area with no
contract valid today, no owners' committee in office and no competent department. The page's
figure and the list its link opens follow each of the three as an area gains or loses it."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from lxml import html

from governance.models import Area, AreaLevel, Department
from property_mgmt import services
from property_mgmt.models import ContractKind
from tests.governance.factories import area

from . import factories as f

pytestmark = pytest.mark.django_db


def _page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content.decode())


def _figures(page: Any) -> dict[str, Any]:
    """The headline figures by their label (the 三无小区 one is a link)."""
    stats = page.xpath('//dl[@data-testid="coverage-total"]')[0]
    return {
        div.xpath("./dt")[0].text_content().strip(): div.xpath("./dd")[0]
        for div in stats.xpath("./div")
    }


def _listed(page: Any) -> list[str]:
    table = page.xpath('//table[@data-testid="coverage-estates"]')
    if not table:
        assert page.xpath('//p[@class="empty"]')
        return []
    return [td.text_content().strip() for td in table[0].xpath('.//td[@data-label="小区"]')]


def _triple_none(client: Any, where: Area) -> tuple[int, list[str]]:
    """The 三无小区 figure of ``where``'s page and the areas its link lists."""
    figure = _figures(_page(client, f"/property/coverage/?area={where.pk}"))["三无小区"]
    link = figure.xpath(".//a")[0]
    assert "show=triple_none" in link.get("href")
    return int(link.text_content()), _listed(
        _page(client, "/property/coverage/" + link.get("href"))
    )


def _shares(client: Any, where: Area) -> tuple[str, str]:
    figures = _figures(_page(client, f"/property/coverage/?area={where.pk}"))
    return (
        figures["物业服务覆盖率"].text_content().strip(),
        figures["业委会组建率"].text_content().strip(),
    )


@pytest.fixture
def estates(tree: dict[str, Any]) -> list[Area]:
    """甲社区's three residential areas, none with a contract, a committee or a department."""
    community = tree["community"]
    return [
        tree["estate"],
        area(community, AreaLevel.RESIDENTIAL_AREA, "二号小区"),
        area(community, AreaLevel.RESIDENTIAL_AREA, "三号小区"),
    ]


def test_an_area_leaves_and_rejoins_the_triple_none_with_each_of_the_three(
    client: Any, tree: dict[str, Any], make_user: Any, department: Department, estates: list[Area]
) -> None:
    first, second, third = estates
    today = timezone.localdate()
    client.force_login(make_user("community_staff"))
    community = tree["community"]
    # given three areas with none of the three
    assert _triple_none(client, community) == (3, ["甲小区", "二号小区", "三号小区"])
    assert _shares(client, community) == ("0.0%", "0.0%")
    # when one gains a contract, one a committee and one a competent department
    contract = f.contract(first, f.company())
    assert _triple_none(client, community) == (2, ["二号小区", "三号小区"])
    committee = f.committee(second)
    assert _triple_none(client, community) == (1, ["三号小区"])
    services.estate_profile_save(actor=None, area=third, competent_department=department)
    assert _triple_none(client, community) == (0, [])
    assert _shares(client, community) == ("33.3%", "33.3%")
    # then each that loses it is a 三无小区 again
    services.contract_terminate(actor=None, contract=contract, on=today - timedelta(days=1))
    assert _triple_none(client, community) == (1, ["甲小区"])
    services.committee_update(
        actor=None, committee=committee, term_ends_on=today - timedelta(days=1)
    )
    assert _triple_none(client, community) == (2, ["甲小区", "二号小区"])
    services.estate_profile_save(actor=None, area=third, competent_department=None)
    assert _triple_none(client, community) == (3, ["甲小区", "二号小区", "三号小区"])
    assert _shares(client, community) == ("0.0%", "0.0%")


def test_only_what_is_valid_today_takes_an_area_out(
    client: Any, make_user: Any, tree: dict[str, Any], estates: list[Area]
) -> None:
    first, second, third = estates
    today = timezone.localdate()
    client.force_login(make_user("community_staff"))
    # a contract that ended, one not begun, a committee whose term is over or not begun
    f.contract(first, f.company(), starts_on=date(2020, 1, 1), ends_on=today - timedelta(days=1))
    f.contract(second, f.company(), starts_on=today + timedelta(days=1))
    f.committee(third, term_starts_on=date(2018, 1, 1), term_ends_on=today - timedelta(days=1))
    f.committee(first, term_starts_on=today + timedelta(days=1), term_ends_on=date(2031, 1, 1))
    assert _triple_none(client, tree["community"])[0] == 3
    # a self-managed area and one the community holds in trust both have a valid contract
    f.contract(third, None, kind=ContractKind.SELF, starts_on=today)
    f.contract(first, None, kind=ContractKind.FALLBACK, starts_on=today, ends_on=today)
    assert _triple_none(client, tree["community"]) == (1, ["二号小区"])


def test_the_street_counts_its_communities_and_drills_down_to_the_areas(
    client: Any, make_user: Any, tree: dict[str, Any], estates: list[Area]
) -> None:
    f.contract(estates[0], f.company())
    other = area(tree["other_community"], AreaLevel.RESIDENTIAL_AREA, "乙二小区")
    client.force_login(make_user("district_admin"))
    # the district counts both streets' areas, 乙镇's two among them
    assert _triple_none(client, tree["district"]) == (
        4,
        ["二号小区", "三号小区", "乙小区", other.name],
    )
    # 甲街道's page has a row per community with its count, and a link down to the community
    page = _page(client, f"/property/coverage/?area={tree['street'].pk}")
    rows = page.xpath('//table[@data-testid="coverage-rows"]//tbody/tr')
    counts = {
        tr.xpath('./td[@data-label="区域"]')[0].text_content().strip(): int(
            tr.xpath('./td[@data-label="三无"]')[0].text_content()
        )
        for tr in rows
    }
    assert counts == {"甲社区": 2}
    assert _triple_none(client, tree["street"]) == (2, ["二号小区", "三号小区"])
    down = rows[0].xpath('./td[@data-label="区域"]//a')[0].get("href")
    assert down == f"?area={tree['community'].pk}"

"""Every list page and list endpoint makes the same number of queries for 2 rows and for 20."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from governance.units import Unit
from property_mgmt import services
from tests.governance.factories import org

from . import factories as f

pytestmark = pytest.mark.django_db


def _contracts(tree: dict[str, Any], start: int, n: int) -> None:
    company = f.company()
    for i in range(start, start + n):
        f.contract(
            tree["estate"], company, starts_on=date(2000 + i, 1, 1), ends_on=date(2000 + i, 12, 31)
        )


def _committees(tree: dict[str, Any], start: int, n: int) -> None:
    for i in range(start, start + n):
        c = f.committee(
            tree["estate"],
            term_starts_on=date(1970 + 2 * i, 1, 1),
            term_ends_on=date(1971 + 2 * i, 1, 1),
        )
        services.member_add(actor=None, committee=c, name=f"委员{i}", is_party_member=True)


def _complaints(tree: dict[str, Any], start: int, n: int, actor: Any = None) -> None:
    for i in range(start, start + n):
        services.complaint_report(
            actor=actor,
            area=tree["estate"],
            complaint_type="repair",
            title=f"报修{i}",
            description="漏水",
        )


_org: dict[str, Any] = {}


def _meeting(tree: dict[str, Any], i: int) -> Any:
    if "org" not in _org or _org["org"].area_id != tree["community"].pk:
        _org["org"] = org(tree["community"])
    return services.meeting_create(
        actor=None,
        community=tree["community"],
        kind="joint",
        title=f"会议{i}",
        held_at=timezone.now() - timedelta(days=i + 1),
        convened_by=_org["org"],
        attendees=[services.AttendeeFields("residents", "代表")],
    )


def _meetings(tree: dict[str, Any], start: int, n: int) -> None:
    for i in range(start, start + n):
        _meeting(tree, i)


def _resolutions(tree: dict[str, Any], start: int, n: int) -> None:
    meeting = _meeting(tree, 100 + start)
    for i in range(start, start + n):
        services.resolution_add(
            actor=None,
            meeting=meeting,
            text=f"决议{i}",
            unit=Unit(area=tree["community"]),
            due_days=3 + i,
        )


def _surveys(tree: dict[str, Any], start: int, n: int) -> None:
    for i in range(start, start + n):
        f.survey(tree["estate"], year=2000 + i)


LISTS: list[tuple[str, str, Callable[..., None]]] = [
    ("/property/contracts/", "/api/v1/property/contracts/", _contracts),
    ("/property/committees/", "/api/v1/property/committees/", _committees),
    ("/property/complaints/", "/api/v1/property/complaints/", _complaints),
    ("/property/meetings/", "/api/v1/property/meetings/", _meetings),
    ("/property/resolutions/", "/api/v1/property/resolutions/", _resolutions),
    ("/property/surveys/", "/api/v1/property/surveys/", _surveys),
]


@pytest.mark.parametrize(("page", "endpoint", "make"), LISTS, ids=[p for p, _e, _m in LISTS])
def test_constant_queries(
    client: Any,
    api_for: Any,
    make_user: Any,
    tree: dict[str, Any],
    cats: Any,
    count_queries: Any,
    page: str,
    endpoint: str,
    make: Callable[..., None],
) -> None:
    staff = make_user("community_staff")
    kwargs = {"actor": staff} if make is _complaints else {}
    client.force_login(staff)
    api = api_for(staff)
    make(tree, 0, 2, **kwargs)
    count_queries(api, endpoint)  # the API client's user caches its grants on first use
    few = (count_queries(client, page), count_queries(api, endpoint))
    make(tree, 2, 18, **kwargs)
    many = (count_queries(client, page), count_queries(api, endpoint))
    assert few == many


def test_the_stats_pages_make_a_fixed_number_of_queries(
    client: Any, make_user: Any, tree: dict[str, Any], cats: Any, count_queries: Any
) -> None:
    staff = make_user("district_admin")
    client.force_login(staff)
    f.contract(tree["estate"], f.company(), starts_on=date(2020, 1, 1))
    _complaints(tree, 0, 2, staff)
    urls = [
        "/property/ranking/",
        "/property/rates/?group=estate",
        "/property/rates/",
        "/property/satisfaction/",
    ]
    few = [count_queries(client, url) for url in urls]
    f.contract(tree["other_estate"], f.company(), starts_on=date(2020, 1, 1))
    for i in range(6):
        services.complaint_report(
            actor=staff,
            area=tree["other_estate"],
            complaint_type="fees",
            title=f"收费{i}",
            description="未公示",
        )
    assert [count_queries(client, url) for url in urls] == few

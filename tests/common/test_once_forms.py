"""One-time form tokens beyond ``form_view``: the buttons and small forms of detail pages
posted to ``form_action`` views, and the hand-written creates (household, resident and need
on the governance pages; volunteers, property and grid create pages now on ``form_view``).
Submitting one rendering twice saves once, the second lands where the first went, and a fresh
rendering saves again (the service itself would have made a second row)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver

from accounts.roles import Role
from governance.models import Household, NeedsLedger, PropertyCompany, Resident
from grids.models import GridStaffing
from tests.governance.factories import household
from tests.grids.factories import grid, worker
from tests.property_mgmt.factories import credit_code
from volunteers.models import CommunityNeed

pytestmark = pytest.mark.django_db

REPEATED = "该表单已经提交过，未重复保存。"
TOKEN = re.compile(r'name="once_token" value="([^"]+)"')


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token_of(html: str, action: str) -> str:
    """The token of the form on the page that posts to ``action``."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, action
    found = TOKEN.search(form.group(1))
    assert found, f"no token in the form posting to {action}"
    return found.group(1)


def _twice(client: Client, url: str, data: dict[str, Any]) -> tuple[Any, Any]:
    return client.post(url, data), client.post(url, data, follow=True)


def test_a_detail_page_action_submitted_twice_takes_effect_once(make_user, tree):
    # given the grid page's staffing form, as rendered
    client = _signed_in(make_user(Role.COMMUNITY_STAFF))
    target = grid(tree["community"])
    first_worker, second_worker = worker(tree["community"]), worker(tree["community"])
    page = client.get(f"/grids/{target.pk}/").content.decode()
    url = f"/grids/{target.pk}/staff/"
    data = {"post": "worker", "worker": first_worker.pk, "started_on": "2025-01-02",
            "once_token": _token_of(page, url)}  # fmt: skip
    # when it is submitted twice
    first, second = _twice(client, url, data)
    # then one staffing, and the second lands on the grid page, saying so
    assert GridStaffing.objects.filter(grid=target).count() == 1
    assert first["Location"] == second.redirect_chain[-1][0] == f"/grids/{target.pk}/"
    assert REPEATED in second.content.decode()
    # and the page rendered again posts another one
    again = client.get(f"/grids/{target.pk}/").content.decode()
    client.post(url, {**data, "worker": second_worker.pk, "once_token": _token_of(again, url)})
    assert GridStaffing.objects.filter(grid=target).count() == 2


def test_each_form_of_a_detail_page_has_its_own_token(make_user, tree):
    client = _signed_in(make_user(Role.COMMUNITY_STAFF))
    target = grid(tree["community"])
    page = client.get(f"/grids/{target.pk}/").content.decode()
    staff = _token_of(page, f"/grids/{target.pk}/staff/")
    cover = _token_of(page, f"/grids/{target.pk}/cover/")
    assert staff != cover


#: The calls that spend a posted one-time token: ``common.pages.form_action`` and the volunteers
#: detail pages' ``act_once`` (``common.once.submit_once`` for a detail page's action).
ONCE_CALL = re.compile(r"\b(?:form_action|act_once)\(")


def _calls_form_action(view: Any) -> bool:
    """The view, or a helper of its module it calls, spends the form's one-time token."""
    view = inspect.unwrap(view)
    source = inspect.getsource(view)
    if ONCE_CALL.search(source):
        return True
    module = inspect.getmodule(view)
    for name in set(re.findall(r"\b(_\w+)\(", source)):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and ONCE_CALL.search(inspect.getsource(helper)):
            return True
    return False


def _templates() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [
        path
        for path in root.glob("*/templates/**/*.html")
        if not path.is_relative_to(root / ".venv")
    ] + list((root / "templates").glob("**/*.html"))


def _views_by_name() -> dict[str, Any]:
    """Each URL name (``app:name``) and its view."""
    views: dict[str, Any] = {}

    def walk(patterns: Any, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                views[f"{namespace}{pattern.name}"] = pattern.callback

    walk(get_resolver().url_patterns, "")
    return views


FORM = re.compile(r"<form\b[^>]*action=\"\{% url '([\w:]+)'[^%]*%\}\"[^>]*>(.*?)</form>", re.S)


def test_every_form_posted_to_a_form_action_view_carries_a_token():
    views = _views_by_name()
    checked, missing = 0, []
    for path in _templates():
        for name, body in FORM.findall(path.read_text()):
            if name not in views or not _calls_form_action(views[name]):
                continue
            checked += 1
            if "{% once_token %}" not in body:
                missing.append(f"{path.name}: {name}")
    assert checked >= 40
    assert missing == []


def test_a_household_submitted_twice_is_registered_once(make_user, tree):
    client = _signed_in(make_user(Role.COMMUNITY_STAFF))
    page = client.get(f"/governance/areas/{tree['building'].pk}/").content.decode()
    url = "/governance/households/new/"
    data = {"building": tree["building"].pk, "unit": "2", "room": "808", "note": "",
            "once_token": _token_of(page, url)}  # fmt: skip
    first, second = _twice(client, url, data)
    made = Household.objects.get(building=tree["building"], room="808")
    assert first["Location"] == second.redirect_chain[-1][0]
    assert f"/governance/households/{made.pk}/" == first["Location"]
    assert REPEATED in second.content.decode()


def test_a_resident_and_a_need_submitted_twice_are_recorded_once(make_user, tree):
    client = _signed_in(make_user(Role.COMMUNITY_STAFF))
    home = household(tree["building"], room="303")
    detail = f"/governance/households/{home.pk}/"
    page = client.get(detail).content.decode()
    resident_url, need_url = f"{detail}residents/", f"{detail}needs/"
    resident = {"name": "重复提交", "gender": "F", "relation": "head",
                "once_token": _token_of(page, resident_url)}  # fmt: skip
    need = {"kind": "health", "description": "想测血压", "once_token": _token_of(page, need_url)}
    for url, data in ((resident_url, resident), (need_url, need)):
        first, second = _twice(client, url, data)
        assert first["Location"] == second.redirect_chain[-1][0] == detail
        assert REPEATED in second.content.decode()
    assert Resident.objects.filter(household=home, name="重复提交").count() == 1
    assert NeedsLedger.objects.filter(household=home, description="想测血压").count() == 1
    # a fresh rendering records another (the service does not refuse a second need)
    again = client.get(detail).content.decode()
    client.post(need_url, {**need, "once_token": _token_of(again, need_url)})
    assert NeedsLedger.objects.filter(household=home, description="想测血压").count() == 2


def test_a_refused_resident_gives_its_token_back(make_user, tree):
    client = _signed_in(make_user(Role.COMMUNITY_STAFF))
    home = household(tree["building"], room="304")
    detail = f"/governance/households/{home.pk}/"
    url = f"{detail}residents/"
    token = _token_of(client.get(detail).content.decode(), url)
    client.post(url, {"name": "", "gender": "F", "relation": "head", "once_token": token})
    client.post(url, {"name": "改正后", "gender": "F", "relation": "head", "once_token": token})
    assert Resident.objects.filter(household=home, name="改正后").count() == 1


@pytest.mark.parametrize(
    ("role", "url", "data", "made"),
    [
        (
            Role.COMMUNITY_STAFF,
            "/volunteers/needs/new/",
            lambda tree: {"community": tree["community"].pk, "kind": "health", "title": "助餐"},
            lambda: CommunityNeed.objects.filter(title="助餐"),
        ),
        (
            Role.STREET_STAFF,
            "/property/companies/new/",
            lambda tree: {"name": "双击物业有限公司", "credit_code": credit_code()},
            lambda: PropertyCompany.objects.filter(name="双击物业有限公司"),
        ),
    ],
    ids=["volunteers-need", "property-company"],
)
def test_a_hand_written_create_submitted_twice_makes_one_row(make_user, tree, role, url, data,
                                                             made):  # fmt: skip
    client = _signed_in(make_user(role))
    page = client.get(url).content.decode()
    found = TOKEN.search(page)
    assert found, "the form carries a one-time token"
    body = {**data(tree), "once_token": found.group(1)}
    first, second = _twice(client, url, body)
    assert first.status_code == 302 and made().count() == 1
    assert first["Location"] == second.redirect_chain[-1][0]
    assert REPEATED in second.content.decode()

"""The ledgers' filter bar is kept rendered (common.fragments) like the case list's, and never
shows stale areas: a new or renamed area and a new grant appear on the next page; a bar with
an error is shown with its error. The table is written in Python: its cells are escaped and
labelled for the phone, and its headers sort."""

from typing import Any

import pytest
from django.test import Client

from accounts.models import RoleGrant
from accounts.roles import Role
from governance.models import AreaLevel
from tests.filter_bar import filter_bar
from tests.governance import factories as f

pytestmark = pytest.mark.django_db

LEDGER = "/governance/ledgers/households/"


def bar(client: Client, query: str = "") -> str:
    return filter_bar(client, f"{LEDGER}{query}")


@pytest.fixture
def street_staff(make_user: Any) -> Any:
    return make_user(Role.STREET_STAFF)


@pytest.fixture
def staff(street_staff: Any) -> Client:
    client = Client()
    client.force_login(street_staff)
    return client


def test_a_new_or_renamed_area_shows_on_the_next_page(staff, tree, people):
    before = bar(staff)
    assert "甲社区" in before and "新建小区" not in before
    assert bar(staff) == before  # kept: the same bar again

    f.area(tree["community"], AreaLevel.RESIDENTIAL_AREA, "新建小区")
    tree["community"].name = "甲社区（改）"
    tree["community"].save()
    after = bar(staff)
    assert "新建小区" in after and "甲社区（改）" in after


def test_a_new_grant_offers_its_areas_at_once(staff, street_staff, tree, people):
    other = tree["other_street"]
    assert f">{other.name}<" not in bar(staff)
    RoleGrant.objects.create(user=street_staff, role=Role.STREET_STAFF, area=other)
    assert f">{other.name}<" in bar(staff)


def test_each_value_is_its_own_bar_and_an_error_is_never_kept(staff, tree, people):
    community = tree["community"].pk
    assert f'<option value="{community}" selected>' in bar(staff, f"?within={community}")
    assert f'<option value="{community}" selected>' not in bar(staff)
    assert "须为区域编号" in bar(staff, "?within=x")
    assert "须为区域编号" in bar(staff, "?within=x")


def test_the_table_escapes_labels_and_sorts(staff, people):
    people["household"].room = "<b>1</b>"
    people["household"].save()
    html = staff.get(LEDGER).content.decode()
    assert "<b>1</b>" not in html and "&lt;b&gt;1&lt;/b&gt;" in html
    assert 'data-testid="ledger"' in html and 'data-label="' in html
    sorted_html = staff.get(f"{LEDGER}?o=-address").content.decode()
    assert '<a href="?o=address">' in sorted_html
    assert 'aria-sort="descending"' in sorted_html

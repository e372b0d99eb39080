"""The case list's filter bar is kept rendered (common.fragments) and never shows stale
choices: a new category, a renamed area or a new grant appears on the next page; a bar with
an error is shown with its error; each filter value is its own bar."""

from typing import Any

import pytest
from django.test import Client

from accounts.models import RoleGrant
from accounts.roles import Role
from tests.filter_bar import filter_bar as bar_of

from .factories import category

pytestmark = pytest.mark.django_db


def filter_bar(client: Client, query: str = "") -> str:
    return bar_of(client, f"/cases/{query}")


@pytest.fixture
def staff(people: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(people["street"])
    return client


def test_a_new_category_and_a_renamed_area_show_on_the_next_page(staff, cat, tree):
    before = filter_bar(staff)
    assert cat.name in before and "甲社区" in before
    assert filter_bar(staff) == before  # kept: the same bar again

    category(name="占道经营", parent_name="市容秩序")
    tree["community"].name = "甲社区（新）"
    tree["community"].save()
    after = filter_bar(staff)
    assert "市容秩序 → 占道经营" in after
    assert "甲社区（新）" in after


def test_a_new_grant_offers_its_areas_at_once(staff, people, tree, cat):
    assert "乙镇" not in filter_bar(staff)
    street = tree["other_street"]
    RoleGrant.objects.create(user=people["street"], role=Role.STREET_STAFF, area=street)
    people["street"].refresh_from_db()
    assert "乙镇" in filter_bar(staff)


def test_each_value_is_its_own_bar_and_an_error_is_shown(staff, cat):
    closed = filter_bar(staff, "?state=closed")
    assert '<option value="closed" selected>' in closed
    assert '<option value="open" selected>' in filter_bar(staff, "?state=open")
    assert '<option value="closed" selected>' in filter_bar(staff, "?state=closed")

    backwards = "?date_from=2026-05-02&date_to=2026-05-01"
    assert "起始日期不能晚于截止日期" in filter_bar(staff, backwards)
    assert "起始日期不能晚于截止日期" in filter_bar(staff, backwards)  # never kept


def test_the_bar_shows_in_the_reader_s_language(staff, cat):
    assert "全部" in filter_bar(staff)
    staff.cookies["django_language"] = "en"
    english = filter_bar(staff)
    assert "全部" not in english and "All" in english


def test_a_community_is_offered_to_its_street_only(people, tree, cat):
    other = Client()
    other.force_login(people["other_street"])
    bar = filter_bar(other)
    assert "甲社区" not in bar and "乙社区" in bar

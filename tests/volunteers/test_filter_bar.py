"""The 双报到 and volunteer lists keep their filter bar (common.fragments) and never show stale
choices: a new department or community is offered on the next page; each value is its own bar."""

from typing import Any

import pytest
from django.test import Client

from accounts.roles import Role
from governance.models import AreaLevel, Department
from tests.filter_bar import filter_bar
from tests.governance import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user(Role.DISTRICT_ADMIN))
    return client


def test_a_new_department_and_community_show_on_the_next_page(admin, tree, department):
    before = filter_bar(admin, "/volunteers/checkins/")
    assert department.name in before and "新社区" not in before
    assert filter_bar(admin, "/volunteers/checkins/") == before  # kept

    Department.objects.create(name="区民政局", code="T777")
    f.area(tree["street"], AreaLevel.COMMUNITY, "新社区")
    after = filter_bar(admin, "/volunteers/checkins/")
    assert "区民政局" in after and "新社区" in after
    assert "新社区" in filter_bar(admin, "/volunteers/service/activities/")


def test_each_value_is_its_own_bar(admin, tree, department):
    chosen = filter_bar(admin, f"/volunteers/checkins/?department={department.pk}")
    assert f'<option value="{department.pk}" selected>' in chosen
    assert f'<option value="{department.pk}" selected>' not in filter_bar(
        admin, "/volunteers/checkins/"
    )

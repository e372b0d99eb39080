"""Every list page and list endpoint makes the same number of queries for 2 rows and for 20."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from volunteers import services

from . import factories

pytestmark = pytest.mark.django_db

PAGES = [
    "/volunteers/",
    "/volunteers/checkins/",
    "/volunteers/coverage/",
    "/volunteers/resources/",
    "/volunteers/needs/",
    "/volunteers/projects/",
    "/volunteers/projects/?overdue=on&o=-budget",
    "/volunteers/members/",
    "/volunteers/feedback/",
    "/volunteers/campaigns/",
    "/volunteers/campaigns/people/",
    "/api/v1/unit-checkins/",
    "/api/v1/unit-resources/",
    "/api/v1/cobuild-needs/",
    "/api/v1/cobuild-projects/",
    "/api/v1/member-checkins/",
    "/api/v1/campaigns/",
    "/api/v1/campaign-signups/",
]


def _populate(tree, n: int, campaign_shift) -> None:
    today = timezone.localdate()
    for _ in range(n):
        unit = factories.department()
        project = factories.project(tree["community"], unit, state="in_progress")
        services.milestone_add(
            actor=None, project=project, title="节点", starts_on=project.starts_on,
            due_on=today - timedelta(days=1),
        )  # fmt: skip
        member = factories.member(tree["community"], employer=unit.name)
        task = services.task_assign(
            actor=None, checkin=member, kind="post", title="值守", scheduled_on=member.registered_on
        )
        services.task_complete(actor=None, task=task, hours=Decimal(2))
        services.feedback_record(
            actor=None, checkin=member, year=member.registered_on.year, assessment="competent"
        )
        services.signup_add(actor=None, shift=campaign_shift, member_checkin=member)


@pytest.fixture
def shift(tree):
    from tests.grids.factories import grid

    target = grid(tree["community"])
    today = timezone.localdate()
    campaign = services.campaign_create(
        actor=None, area=tree["district"], title="进网格、战疫情", starts_on=today,
        ends_on=today, grids=[target],
    )  # fmt: skip
    return services.shift_add(
        actor=None, campaign=campaign, grid=target, duty="screening", day=today,
        starts_at=time(8), ends_at=time(12), capacity=100,
    )  # fmt: skip


@pytest.mark.parametrize("role", ["community_staff", "district_admin"])
def test_lists_are_constant_in_queries(client, make_user, tree, shift, count_queries, role):
    client.force_login(make_user(role))
    _populate(tree, 2, shift)
    for url in PAGES:  # the filter bars are kept from the first page on (common.fragments)
        client.get(url)
    few = {url: count_queries(client, url) for url in PAGES}
    _populate(tree, 18, shift)
    for url in PAGES:  # the new departments are offered: each bar is rendered once again
        client.get(url)
    many = {url: count_queries(client, url) for url in PAGES}
    assert few == many


def test_the_liaisons_lists_are_constant_in_queries(client, make_user, tree, shift, count_queries):
    liaison = make_user("department_liaison")
    unit = liaison.grants.get().department
    client.force_login(liaison)

    def more(n: int) -> None:
        for _ in range(n):
            factories.project(tree["community"], unit)
            factories.member(tree["community"], employer=unit.name)

    urls = [u for u in PAGES if "campaign" not in u]
    more(2)
    for url in urls:  # the filter bars are kept from the first page on (common.fragments)
        client.get(url)
    few = {url: count_queries(client, url) for url in urls}
    more(18)
    assert few == {url: count_queries(client, url) for url in urls}

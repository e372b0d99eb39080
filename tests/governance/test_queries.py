"""Every list answers in the same number of queries for 2 rows and for 20."""

import pytest

from accounts.roles import Role
from tests.governance import factories as f

pytestmark = pytest.mark.django_db

LISTS = [
    "/governance/ledgers/households/",
    "/governance/ledgers/residents/",
    "/governance/ledgers/members/",
    "/governance/ledgers/needs/",
    "/governance/areas/",
    "/governance/areas/{estate}/children/",
    "/governance/orgs/",
    "/governance/orgs/{org}/children/",
    "/api/v1/households/",
    "/api/v1/residents/",
    "/api/v1/party-members/",
    "/api/v1/needs/",
    "/api/v1/party-orgs/",
    "/api/v1/areas/",
]


def _grow(tree, org, n):
    estate = tree["estate"]
    for i in range(n):
        building = f.area(estate, "building")
        group = f.org(building, "group", parent=org)
        home = f.household(building, room=f"{i + 1}01")
        f.resident(home, name=f"居民{i}")
        f.member(group, home=home)
        f.need(home)


@pytest.mark.parametrize("url", LISTS)
def test_constant_queries(url, tree, make_user, client, count_queries):
    user = make_user(Role.COMMUNITY_STAFF)
    committee = f.org(tree["community"])
    branch = f.org(tree["estate"], "branch", parent=committee)
    client.force_login(user)
    _grow(tree, branch, 2)
    target = url.format(estate=tree["estate"].pk, org=branch.pk)
    few = count_queries(client, target)
    _grow(tree, branch, 18)
    many = count_queries(client, target)
    assert few == many, f"{url}: {few} queries for 2 rows, {many} for 20"

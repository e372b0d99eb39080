"""A community worker of 甲社区 asks for 乙社区's objects: 404 everywhere, as if missing."""

import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db

PAGES = [
    "/governance/areas/{other_community}/",
    "/governance/areas/{other_community}/children/",
    "/governance/orgs/{other_org}/",
    "/governance/orgs/{other_org}/children/",
    "/governance/households/{other_household}/",
    "/governance/residents/{other_resident}/",
    "/governance/members/{other_member}/",
    "/governance/ledgers/households/?within={other_community}",
    "/governance/ledgers/residents/?within={other_community}",
    "/governance/ledgers/members/?within={other_community}",
    "/governance/ledgers/needs/?within={other_community}",
]
API = [
    "/api/v1/areas/{other_community}/",
    "/api/v1/areas/{other_community}/coverage/",
    "/api/v1/party-orgs/{other_org}/",
    "/api/v1/households/{other_household}/",
    "/api/v1/residents/{other_resident}/",
    "/api/v1/party-members/{other_member}/",
    "/api/v1/needs/{other_need}/",
    "/api/v1/households/?within={other_community}",
    "/api/v1/residents/?within={other_community}",
    "/api/v1/party-members/?within={other_community}",
    "/api/v1/needs/?within={other_community}",
    "/api/v1/party-orgs/?within={other_community}",
]


def _ids(tree, people):
    return {
        "other_community": tree["other_community"].pk,
        "other_org": people["other_org"].pk,
        "other_household": people["other_household"].pk,
        "other_resident": people["other_resident"].pk,
        "other_member": people["other_member"].pk,
        "other_need": people["other_need"].pk,
    }


@pytest.mark.parametrize("url", PAGES)
def test_pages_of_a_sibling_community_are_404(url, tree, people, make_user, client):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    assert client.get(url.format(**_ids(tree, people))).status_code == 404


@pytest.mark.parametrize("url", API)
def test_endpoints_of_a_sibling_community_are_404(url, tree, people, make_user, api_for):
    response = api_for(make_user(Role.COMMUNITY_STAFF)).get(url.format(**_ids(tree, people)))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/governance/needs/{other_need}/take/", "/api/v1/needs/{other_need}/take/"],
)
def test_actions_on_a_sibling_need_are_404(url, tree, people, make_user, client):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    assert client.post(url.format(**_ids(tree, people))).status_code == 404


def test_lists_hold_only_the_own_community(tree, people, make_user, api_for, client):
    user = make_user(Role.COMMUNITY_STAFF)
    for endpoint in ("households", "residents", "party-members", "needs", "party-orgs"):
        rows = api_for(user).get(f"/api/v1/{endpoint}/").json()["results"]
        assert rows and all(row["area_path"].startswith(tree["community"].path) for row in rows), (
            endpoint
        )
    client.force_login(user)
    page = client.get("/governance/ledgers/residents/").content.decode()
    assert "甲户主" in page and "other_户主" not in page


def test_the_security_admin_and_the_auditor_see_no_residents(people, make_user, api_for):
    for role in (Role.SECURITY_ADMIN, Role.AUDITOR):
        client = api_for(make_user(role))
        assert client.get("/api/v1/residents/").json()["results"] == []
        assert client.get(f"/api/v1/residents/{people['resident'].pk}/").status_code == 404


def test_the_ledger_pages_are_refused_to_the_auditor(people, make_user, client):
    client.force_login(make_user(Role.AUDITOR))
    assert client.get("/governance/ledgers/residents/").status_code == 403

import pytest
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditLog
from accounts.roles import Role
from governance.models import AreaLevel
from tests.accounts.factories import PASSWORD
from tests.governance.factories import area

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_for_a_good_password_and_works(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == user.username
    assert me["grants"] == [
        {
            "role": "community_staff",
            "role_label": "社区工作人员",
            "scope": "测试区 / 甲街道 / 甲社区",
        }
    ]
    assert AuditLog.objects.filter(action=AuditAction.TOKEN_ISSUED, actor=user).exists()


def test_a_revoked_token_stops_working(make_user):
    user = make_user(Role.GRID_WORKER)
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/auth/token/revoke/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_a_bad_password_gets_401_and_counts_towards_the_lock(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    client = APIClient()
    for attempt in range(4):
        response = client.post(
            "/api/v1/auth/token/", {"username": user.username, "password": f"bad-{attempt}"}
        )
        assert response.status_code == 401
        assert response.json()["detail"] == "用户名或密码不正确。"
    fifth = client.post("/api/v1/auth/token/", {"username": user.username, "password": "bad-5"})
    assert fifth.status_code == 429 and fifth.json()["code"] == "locked"
    locked = client.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429 and "锁定 30 分钟" in locked.json()["detail"]


def test_bad_input_gets_field_errors_in_one_format():
    response = APIClient().post("/api/v1/auth/token/", {"username": ""})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"username", "password"}
    assert all(isinstance(messages, list) for messages in body["fields"].values())


def test_everything_but_the_token_needs_authentication():
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "detail", "fields"}


def test_the_api_root_lists_every_endpoint(api_for, make_user):
    body = api_for(make_user(Role.DISTRICT_ADMIN)).get("/api/v1/").json()
    assert {"auth/token", "me", "audit-events", "areas"} <= set(body)


def test_schema_and_swagger_are_served_without_a_cdn(client, make_user):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/areas/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


def test_areas_are_scoped_and_outside_is_404(api_for, make_user, tree):
    client = api_for(make_user(Role.COMMUNITY_STAFF))
    listed = client.get("/api/v1/areas/").json()
    assert [row["name"] for row in listed["results"]] == ["甲社区", "甲小区", "1号楼"]
    assert client.get(f"/api/v1/areas/{tree['community'].pk}/").status_code == 200
    outside = client.get(f"/api/v1/areas/{tree['other_community'].pk}/")
    missing = client.get("/api/v1/areas/999999999/")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_areas_within_a_subtree(api_for, make_user, tree):
    client = api_for(make_user(Role.DISTRICT_LEADER))
    rows = client.get(f"/api/v1/areas/?within={tree['other_street'].pk}").json()["results"]
    assert [row["name"] for row in rows] == ["乙镇", "乙社区", "乙小区"]
    sibling = api_for(make_user(Role.STREET_STAFF)).get(
        f"/api/v1/areas/?within={tree['other_street'].pk}"
    )
    assert sibling.status_code == 404
    assert client.get("/api/v1/areas/?within=abc").json()["fields"] == {
        "within": ["须为区域编号（整数）。"]
    }


def test_area_list_query_count_does_not_grow(api_for, make_user, tree, count_queries):
    client = api_for(make_user(Role.DISTRICT_ADMIN))
    url = "/api/v1/areas/?page_size=100"
    client.get("/api/v1/areas/")
    few = count_queries(client, url)
    for _ in range(18):
        area(tree["estate"], AreaLevel.BUILDING)
    many = count_queries(client, url)
    assert len(client.get(url).json()["results"]) == len(tree) + 18
    assert many == few


def test_the_audit_log_api_is_for_the_auditor(api_for, make_user):
    assert api_for(make_user(Role.AUDITOR)).get("/api/v1/audit-events/").status_code == 200
    denied = api_for(make_user(Role.DISTRICT_ADMIN)).get("/api/v1/audit-events/")
    assert denied.status_code == 403
    assert AuditLog.objects.filter(
        action=AuditAction.ACCESS_DENIED, object_repr="/api/v1/audit-events/"
    ).exists()

"""Users and grants in the back office: one form for a new account with its role and scope,
grants added, changed and ended with a reason (audited), deactivation, password resets that
force a change at the next login, and street offices keeping their communities' workers when
the district allows it."""

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import AuditAction, AuditLog, RoleGrant, User
from accounts.roles import Role
from tests.accounts.factories import PASSWORD, api_token_key

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Harbour-Lantern-73"
OWN_PASSWORD = "Quiet-River-2048"
ADD_URL = "/admin/accounts/user/add/"


def admin_client(client: Client, make_user: Any, role: str = Role.DISTRICT_ADMIN) -> User:
    actor = make_user(role, is_staff=True)
    client.force_login(actor)
    return actor


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def add_form(tree: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {
        "username": "liuxiaomei",
        "full_name": "刘晓梅",
        "phone": "13800001234",
        "role": Role.COMMUNITY_STAFF,
        "area": tree["community"].pk,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "_save": "保存",
    }
    data.update(overrides)
    return data


def change_form(user: User, grants: list[dict[str, Any]]) -> dict[str, Any]:
    """The change page's POST: the user's details unchanged and the grant rows given."""
    existing = [g for g in grants if g.get("id")]
    data: dict[str, Any] = {
        "full_name": user.full_name,
        "email": user.email,
        "phone": "",
        "is_active": "on" if user.is_active else "",
        "grants-TOTAL_FORMS": str(len(grants)),
        "grants-INITIAL_FORMS": str(len(existing)),
        "grants-MIN_NUM_FORMS": "0",
        "grants-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for index, grant in enumerate(grants):
        for key, value in grant.items():
            data[f"grants-{index}-{key}"] = value
        data[f"grants-{index}-user"] = str(user.pk)
    return {k: v for k, v in data.items() if v != ""}


def test_the_district_admin_creates_a_worker_with_role_and_scope_in_one_form(
    client, tree, make_user
):
    actor = admin_client(client, make_user)
    page = client.get(ADD_URL)
    assert page.status_code == 200
    assert "测试区 / 甲街道 / 甲社区" in page.content.decode()  # areas named by their path

    response = client.post(ADD_URL, add_form(tree))

    assert response.status_code == 302
    user = User.objects.get(username="liuxiaomei")
    assert user.full_name == "刘晓梅" and user.phone == "13800001234"
    assert user.must_change_password
    grant = user.grants.get()
    assert (grant.role, grant.area, grant.granted_by) == (
        Role.COMMUNITY_STAFF,
        tree["community"],
        actor,
    )
    actions = set(AuditLog.objects.filter(actor=actor).values_list("action", flat=True))
    assert {AuditAction.CREATE, AuditAction.GRANT_ADDED} <= actions


def test_a_role_on_the_wrong_level_is_refused_and_nothing_is_written(client, tree, make_user):
    admin_client(client, make_user)

    response = client.post(ADD_URL, add_form(tree, area=tree["street"].pk))

    assert response.status_code == 200
    assert "须授权在“社区”级区域上" in response.content.decode()
    assert not User.objects.filter(username="liuxiaomei").exists()


def test_the_grant_list_exists_and_filters_by_role_and_scope(client, tree, make_user):
    admin_client(client, make_user)
    worker = make_user(Role.GRID_WORKER, phone="13912345678")
    other = make_user(Role.COMMUNITY_STAFF, "other_community")

    page = client.get("/admin/accounts/rolegrant/", {"role": Role.GRID_WORKER})
    assert page.status_code == 200
    assert worker.username in page.content.decode()
    assert other.username not in page.content.decode()

    users = client.get("/admin/accounts/user/", {"scope": tree["other_street"].pk}).content.decode()
    assert other.username in users and worker.username not in users
    liaison = make_user(Role.DEPARTMENT_LIAISON)
    department = liaison.grants.get().department
    by_unit = client.get("/admin/accounts/user/", {"grants__department__id__exact": department.pk})
    assert liaison.username in by_unit.content.decode()
    assert worker.username not in by_unit.content.decode()
    users = client.get("/admin/accounts/user/", {"role": Role.GRID_WORKER}).content.decode()
    assert worker.username in users and other.username not in users
    assert "139****5678" in users and "13912345678" not in users  # phones masked


def test_the_user_page_shows_grants_and_a_change_needs_a_reason(client, tree, make_user):
    actor = admin_client(client, make_user)
    worker = make_user(Role.COMMUNITY_STAFF)
    grant = worker.grants.get()
    url = f"/admin/accounts/user/{worker.pk}/change/"
    assert "甲社区" in client.get(url).content.decode()
    moved = {"id": grant.pk, "role": Role.COMMUNITY_STAFF, "area": tree["other_community"].pk}

    refused = client.post(url, change_form(worker, [moved]))
    assert refused.status_code == 200
    assert "请填写变更授权的原因" in refused.content.decode()
    assert worker.grants.get().area == tree["community"]

    done = client.post(url, change_form(worker, [{**moved, "reason": "调往乙社区"}]))
    assert done.status_code == 302
    assert worker.grants.get().area == tree["other_community"]
    entry = AuditLog.objects.get(action=AuditAction.GRANT_CHANGED)
    assert entry.actor == actor and entry.detail["reason"] == "调往乙社区"
    assert entry.detail["before"]["scope"] == "甲社区"


def test_a_grant_is_added_on_the_user_page_and_ended_with_a_reason(client, tree, make_user):
    admin_client(client, make_user)
    worker = make_user(Role.COMMUNITY_STAFF)
    grant = worker.grants.get()
    url = f"/admin/accounts/user/{worker.pk}/change/"
    kept = {"id": grant.pk, "role": Role.COMMUNITY_STAFF, "area": tree["community"].pk}
    added = {"role": Role.GRID_WORKER, "area": tree["community"].pk}

    assert client.post(url, change_form(worker, [kept, added])).status_code == 302
    assert set(worker.grants.values_list("role", flat=True)) == {
        Role.COMMUNITY_STAFF,
        Role.GRID_WORKER,
    }

    ended = {**kept, "DELETE": "on"}
    refused = client.post(url, change_form(worker, [ended]))
    assert "结束授权须填写原因" in refused.content.decode()
    assert worker.grants.filter(pk=grant.pk).exists()

    assert client.post(url, change_form(worker, [{**ended, "reason": "离职"}])).status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    entry = AuditLog.objects.get(action=AuditAction.GRANT_REMOVED)
    assert entry.detail["reason"] == "离职" and entry.detail["role"] == Role.COMMUNITY_STAFF


def test_a_deactivated_user_cannot_sign_in(client, make_user):
    admin_client(client, make_user)
    worker = make_user(Role.GRID_WORKER)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "deactivate", "_selected_action": [worker.pk], "index": "0"},
    )

    assert response.status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    assert AuditLog.objects.filter(action=AuditAction.USER_DEACTIVATED).count() == 1
    refused = sign_in(Client(), worker.username, PASSWORD)
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session


def test_a_reset_password_must_be_changed_at_the_next_login(client, make_user):
    actor = admin_client(client, make_user)
    worker = make_user(Role.GRID_WORKER)
    url = f"/admin/accounts/user/{worker.pk}/password/"
    assert client.get(url).status_code == 200
    old_token = api_token_key(worker)

    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert AuditLog.objects.get(action=AuditAction.PASSWORD_RESET).actor == actor
    stale = APIClient(HTTP_AUTHORIZATION=f"Token {old_token}").get("/api/v1/me/")
    assert stale.status_code == 401 and stale.json()["code"] == "token_revoked"
    api = APIClient().post(
        "/api/v1/auth/token/", {"username": worker.username, "password": NEW_PASSWORD}
    )
    assert api.status_code == 403  # no API token for an administrator's password
    worker_client = Client()
    assert sign_in(worker_client, worker.username, NEW_PASSWORD).status_code == 302
    assert worker_client.get("/cases/")["Location"] == "/accounts/password/"
    assert worker_client.get("/api/v1/cases/").status_code == 403
    changed = worker_client.post(
        "/accounts/password/",
        {"old_password": NEW_PASSWORD, "password1": OWN_PASSWORD, "password2": OWN_PASSWORD},
    )
    assert changed.status_code == 302
    assert worker_client.get("/").status_code == 200
    worker.refresh_from_db()
    assert not worker.must_change_password


def test_accounts_are_never_deleted_in_the_back_office(client, make_user):
    admin_client(client, make_user)
    worker = make_user(Role.GRID_WORKER)
    assert client.get(f"/admin/accounts/user/{worker.pk}/delete/").status_code == 403


def test_a_street_keeps_its_communities_workers_only_when_the_district_allows(
    client, tree, make_user, settings
):
    street = admin_client(client, make_user, Role.STREET_STAFF)
    mine = make_user(Role.GRID_WORKER)
    theirs = make_user(Role.GRID_WORKER, "other_community")
    settings.PORTAL_STREETS_MANAGE_USERS = False
    assert client.get(ADD_URL).status_code == 403

    settings.PORTAL_STREETS_MANAGE_USERS = True
    listing = client.get("/admin/accounts/user/").content.decode()
    assert mine.username in listing and theirs.username not in listing
    assert client.get(f"/admin/accounts/user/{theirs.pk}/change/").status_code == 302  # not found
    assert client.post(ADD_URL, add_form(tree)).status_code == 302
    assert User.objects.get(username="liuxiaomei").grants.get().granted_by == street

    refused = client.post(
        ADD_URL, add_form(tree, username="wangwu", area=tree["other_community"].pk)
    )
    assert refused.status_code == 200 and not User.objects.filter(username="wangwu").exists()
    refused = client.post(
        ADD_URL, add_form(tree, username="wangwu", role=Role.STREET_STAFF, area=tree["street"].pk)
    )
    assert refused.status_code == 200 and not User.objects.filter(username="wangwu").exists()


def test_the_security_admin_reads_accounts_but_changes_none(client, make_user):
    admin_client(client, make_user, Role.SECURITY_ADMIN)
    worker = make_user(Role.GRID_WORKER)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get(ADD_URL).status_code == 403
    response = client.post(
        f"/admin/accounts/user/{worker.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 403


def test_a_street_that_keeps_its_users_finds_the_back_office_from_its_home(
    client, make_user, settings
):
    street = make_user(Role.STREET_STAFF, is_staff=True)
    client.force_login(street)
    settings.PORTAL_STREETS_MANAGE_USERS = False
    assert 'data-testid="street-users"' not in client.get("/").content.decode()
    settings.PORTAL_STREETS_MANAGE_USERS = True
    home = client.get("/").content.decode()
    assert 'data-testid="street-users"' in home and 'href="/admin/accounts/user/"' in home


def test_the_user_list_makes_the_same_queries_for_2_and_for_20_users(
    client, make_user, count_queries
):
    admin_client(client, make_user)
    for _ in range(2):
        make_user(Role.GRID_WORKER)
    few = count_queries(client, "/admin/accounts/user/")
    for _ in range(18):
        make_user(Role.COMMUNITY_STAFF)
    assert count_queries(client, "/admin/accounts/user/") == few

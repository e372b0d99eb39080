"""API tokens: several named ones per user, each expiring and revoked on its own, stored hashed;
the token endpoint's throttle keyed on the address the lockout sees."""

import hashlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, AuditAction, AuditLog
from accounts.roles import Role
from accounts.throttling import ProxyAwareScopedRateThrottle
from tests.accounts.factories import PASSWORD, api_token_key

pytestmark = pytest.mark.django_db


def issue(user, **extra):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 200, response.content
    return response.json()


def me(key):
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/")


def test_the_endpoint_issues_a_named_expiring_token_and_keeps_only_its_hash(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    # when a client asks for a named token for 30 days
    body = issue(user, name="热线对接脚本", expires_in_days=30)
    # then the answer has the key once, its name, prefix and expiry
    assert set(body) == {"token", "name", "prefix", "expires_at"}
    assert body["name"] == "热线对接脚本" and body["token"].startswith(body["prefix"])
    token = ApiToken.objects.get(user=user)
    assert token.digest == hashlib.sha256(body["token"].encode()).hexdigest()
    assert body["token"] not in {token.digest, token.prefix, token.name}
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert me(body["token"]).json()["username"] == user.username


def test_a_lifetime_past_the_longest_allowed_is_refused(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD, "expires_in_days": 5000},
    )
    assert response.status_code == 400 and "expires_in_days" in response.json()["fields"]
    assert not ApiToken.objects.exists()


def test_revoking_one_of_two_named_tokens_leaves_the_other_working(make_user):
    user = make_user(Role.GRID_WORKER)
    phone, script = issue(user, name="手机")["token"], issue(user, name="脚本")["token"]
    assert ApiToken.objects.filter(user=user).count() == 2
    # when the phone's token is revoked through the API, with itself
    revoked = APIClient(HTTP_AUTHORIZATION=f"Token {phone}").post("/api/v1/auth/token/revoke/")
    assert revoked.status_code == 204
    # then the phone is out, the script still in
    out = me(phone)
    assert out.status_code == 401 and out.json()["code"] == "token_revoked"
    assert me(script).status_code == 200
    assert AuditLog.objects.filter(action=AuditAction.TOKEN_REVOKED, actor=user).count() == 1


def test_an_expired_token_is_a_401_in_the_error_contract(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    key = api_token_key(user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = me(key)
    assert response.status_code == 401
    assert response.json() == {
        "code": "token_expired",
        "detail": "令牌已过期，请重新申请。",
        "fields": {},
    }
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_an_unknown_token_is_a_401(make_user):
    response = me("cgp_not-a-real-key")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_using_a_token_records_when_and_from_where(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    key = api_token_key(user)
    assert ApiToken.objects.get().last_used_at is None
    before = timezone.now()
    assert me(key).status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None and token.last_used_at >= before
    assert token.last_used_ip == "127.0.0.1"
    # a use long after writes the time again
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(hours=2))
    assert me(key).status_code == 200
    again = ApiToken.objects.get().last_used_at
    assert again is not None and again >= before


def test_a_deactivated_users_token_stops_working(make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    key = api_token_key(user)
    user.is_active = False
    user.save()
    assert me(key).status_code == 401


def test_the_tokens_page_creates_shows_once_and_revokes_one(make_user):
    user = make_user(Role.GRID_WORKER)
    other = api_token_key(user, name="旧脚本")
    client = Client()
    client.force_login(user)
    # when the user makes a token on the page
    page = client.post("/accounts/tokens/", {"name": "巡查App", "days": "30"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    new = ApiToken.objects.get(name="巡查App")
    key = page.context["key"]
    assert key.startswith(new.prefix) and key in page.content.decode()
    # then the list no longer shows it in the clear
    listed = client.get("/accounts/tokens/").content.decode()
    assert key not in listed and new.prefix in listed and "旧脚本" in listed
    # when the user revokes the new one, the old one still works
    assert client.post(f"/accounts/tokens/{new.pk}/revoke/").status_code == 302
    assert me(key).status_code == 401 and me(other).status_code == 200


def test_the_tokens_page_cannot_revoke_another_users_token(make_user):
    owner, intruder = make_user(Role.GRID_WORKER), make_user(Role.GRID_WORKER)
    key = api_token_key(owner)
    client = Client()
    client.force_login(intruder)
    token = ApiToken.objects.get(user=owner)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert token.digest not in client.get("/accounts/tokens/").content.decode()
    assert me(key).status_code == 200


def test_the_security_admin_revokes_a_users_token_in_the_back_office(make_user):
    admin = make_user(Role.SECURITY_ADMIN, is_staff=True)
    user = make_user(Role.COMMUNITY_STAFF)
    kept, lost = api_token_key(user, name="留"), api_token_key(user, name="丢")
    client = Client()
    client.force_login(admin)
    changelist = client.get("/admin/accounts/apitoken/")
    assert changelist.status_code == 200 and "丢" in changelist.content.decode()
    lost_row = ApiToken.objects.get(name="丢")
    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [lost_row.pk]},
    )
    assert response.status_code == 302
    assert me(lost).status_code == 401 and me(kept).status_code == 200
    entry = AuditLog.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert entry.actor == admin and entry.object_id == str(lost_row.pk)


def test_a_community_worker_does_not_see_the_token_admin(make_user):
    worker = make_user(Role.COMMUNITY_STAFF, is_staff=True)
    client = Client()
    client.force_login(worker)
    assert client.get("/admin/accounts/apitoken/").status_code == 403


@pytest.fixture
def token_rate(monkeypatch):
    """The production rate (10 a minute) on an empty throttle cache."""
    monkeypatch.setattr(ProxyAwareScopedRateThrottle, "THROTTLE_RATES", {"token": "10/min"})
    cache.delete_many([f"throttle_token_{ip}" for ip in ("127.0.0.1", "203.0.113.7")])
    yield
    cache.delete_many([f"throttle_token_{ip}" for ip in ("127.0.0.1", "203.0.113.7")])


def attempts_with_forged_addresses(client: APIClient, count: int) -> list[int]:
    """``count`` password guesses, each for another username and from a forged address."""
    return [
        client.post(
            "/api/v1/auth/token/",
            {"username": f"nobody{n}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(count)
    ]


def test_15_attempts_from_15_forged_addresses_are_throttled(token_rate):
    codes = attempts_with_forged_addresses(APIClient(), 15)
    assert codes[:10] == [401] * 10
    assert codes[10:] == [429] * 5


def test_behind_one_proxy_the_throttle_keys_on_the_address_the_proxy_saw(token_rate, settings):
    # given one proxy, which appends the address it saw to what the client sent
    settings.AXES_IPWARE_PROXY_COUNT = 1
    client = APIClient()
    codes = [
        client.post(
            "/api/v1/auth/token/",
            {"username": f"nobody{n}", "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
        ).status_code
        for n in range(12)
    ]
    assert codes[-1] == 429 and codes.count(429) == 2

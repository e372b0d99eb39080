from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditAction, AuditLog, AuditOutcome
from accounts.receivers import SESSION_STARTED_KEY, SESSION_TOUCHED_KEY
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_in_chinese(client):
    response = client.get(LOGIN)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "用户名" in page and "密码" in page and "登录" in page


def test_login_takes_the_user_home_and_is_audited(client, make_user):
    user = make_user("community_staff")
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "甲社区" in home.content.decode()
    entry = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == user and entry.ip == "10.0.0.1" and entry.outcome == AuditOutcome.SUCCESS


def test_a_wrong_password_says_so_in_chinese_and_is_audited(client, make_user):
    user = make_user("community_staff")
    response = login(client, user.username, "wrong-Password-1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert (
        AuditLog.objects.filter(
            action=AuditAction.LOGIN_FAILED, username=user.username, outcome=AuditOutcome.FAILURE
        ).count()
        == 1
    )


def test_five_failures_lock_the_username_for_thirty_minutes_whatever_the_ip(client, make_user):
    user = make_user("community_staff")
    for attempt in range(5):
        login(client, user.username, f"wrong-Password-{attempt}", ip=f"10.0.0.{attempt + 1}")
    # the right password, from yet another address, is refused while the lock holds
    response = login(client, user.username, PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert "已被锁定 30 分钟" in response.content.decode()
    assert client.get("/").status_code == 302  # still not logged in
    assert AuditLog.objects.filter(action=AuditAction.LOCKED_OUT, username=user.username).exists()


def test_a_locked_username_does_not_lock_another_user(client, make_user):
    locked, other = make_user("community_staff"), make_user("community_staff")
    for attempt in range(5):
        login(client, locked.username, f"wrong-Password-{attempt}")
    response = login(client, other.username, PASSWORD)
    assert response.status_code == 302


def test_the_security_admin_lifts_a_lockout(client, make_user):
    user, security = make_user("community_staff"), make_user("security_admin", is_staff=True)
    for attempt in range(5):
        login(client, user.username, f"wrong-Password-{attempt}")
    client.force_login(security)
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert user.username in page
    response = client.post(reverse("accounts:lockout_clear"), {"username": user.username})
    assert response.status_code == 302
    assert AuditLog.objects.filter(action=AuditAction.UNLOCK, actor=security).exists()
    client.logout()
    assert login(client, user.username, PASSWORD).status_code == 302


def test_others_may_not_lift_a_lockout(client, make_user):
    client.force_login(make_user("district_admin"))
    response = client.post(reverse("accounts:lockout_clear"), {"username": "someone"})
    assert response.status_code == 403
    assert AuditLog.objects.filter(action=AuditAction.ACCESS_DENIED).exists()


def test_logout_is_a_post_and_is_audited(client, make_user):
    user = make_user("grid_worker")
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert AuditLog.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()


def test_an_idle_session_expires(client, make_user, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_TOUCH_SECONDS == 60
    client.force_login(make_user("grid_worker"))
    session = client.session
    session.set_expiry(-1)  # as if the last request was 30 minutes and a second ago
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_renews_the_idle_timeout_at_most_once_a_minute(client, make_user):
    client.force_login(make_user("grid_worker"))  # login saves the session
    renewed = _expiry(client)
    assert renewed > timezone.now() + timedelta(minutes=29)

    assert client.get("/").status_code == 200  # within the minute: no session write
    assert client.get("/").status_code == 200
    assert _expiry(client) == renewed

    session = client.session
    session[SESSION_TOUCHED_KEY] = int((timezone.now() - timedelta(seconds=61)).timestamp())
    session.save()
    soon = timezone.now() + timedelta(minutes=5)  # as if 25 idle minutes had passed
    Session.objects.filter(session_key=session.session_key).update(expire_date=soon)
    assert client.get("/").status_code == 200  # a minute later: saved, 30 minutes again
    assert _expiry(client) > soon + timedelta(minutes=24)


def test_a_session_ends_twelve_hours_after_login_however_active(client, make_user):
    client.force_login(make_user("grid_worker"))
    session = client.session
    session[SESSION_STARTED_KEY] = int(
        (timezone.now() - timedelta(hours=12, minutes=1)).timestamp()
    )
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "超过 12 小时" in response.content.decode()
    assert AuditLog.objects.filter(action=AuditAction.SESSION_EXPIRED).exists()


def test_home_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)

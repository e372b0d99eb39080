"""The second factor: TOTP with recovery codes, required of the district admin, the security
admin, the auditor and the back office, optional for everyone else; reset by the security
admin. Every test here signs in through the real steps (marker ``two_factor``)."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditAction, AuditLog, AuditOutcome
from accounts.roles import Role
from accounts.two_factor.admin_site import PortalAdminSite
from tests.accounts.factories import PASSWORD
from tests.accounts.two_factor import code_for

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/verify/"
ENROL = "/accounts/two-factor/enrol/"


def sign_in(client: Client, user: Any) -> Any:
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


def bound(user: Any) -> tuple[TOTPDevice, list[str]]:
    """An authenticator and recovery codes bound to ``user``, as an enrolment leaves them."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = ["abcd2345", "efgh6723"]
    for code in codes:
        StaticToken.objects.create(device=static, token=code)
    return device, codes


def actions(user: Any) -> list[tuple[str, str]]:
    return list(
        AuditLog.objects.filter(username=user.username)
        .order_by("id")
        .values_list("action", "outcome")
    )


def test_a_district_admin_without_an_authenticator_must_bind_one_before_any_page(client, make_user):
    admin = make_user(Role.DISTRICT_ADMIN)

    # when: the password is right
    response = sign_in(client, admin)
    # then: every page, the API too, sends them to bind an authenticator first
    assert client.get(response.url).url.startswith(ENROL)
    assert client.get("/cases/").url == f"{ENROL}?next=%2Fcases%2F"
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    assert client.get("/accounts/password/").url.startswith(ENROL)

    # when: the enrolment page is shown
    page = client.get(ENROL)
    html = page.content.decode()
    # then: a QR code drawn here (SVG, no outside image) and the key typed by hand
    assert page.status_code == 200
    assert "<svg" in html and "otpauth" not in html.split("<svg", 1)[0]
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html)
    assert secret is not None
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert secret.group(1) == device.config_url.split("secret=")[1].split("&")[0]
    # the same key on a second visit (the user may have scanned it already)
    assert secret.group(1) in client.get(ENROL).content.decode()

    # when: a wrong code, then the one the app shows
    wrong = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=5)
    device.save()
    done = client.post(ENROL, {"code": code_for(device), "next": "/cases/"})

    # then: ten recovery codes, shown on this answer only; the portal opens
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10 and done["Cache-Control"] == "no-store"
    assert set(
        StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)
    ) == set(codes)
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert client.get("/cases/").status_code == 200
    assert (AuditAction.TWO_FACTOR_FAILED, AuditOutcome.FAILURE) in actions(admin)
    assert actions(admin)[-1] == (AuditAction.TWO_FACTOR_ENROLLED, AuditOutcome.SUCCESS)


@pytest.mark.parametrize("role", [Role.DISTRICT_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_with_an_authenticator_the_login_asks_for_its_code_after_the_password(
    client, make_user, role
):
    user = make_user(role)
    device, _codes = bound(user)

    response = sign_in(client, user)

    assert client.get(response.url).url.startswith(VERIFY)
    assert client.get("/").url == f"{VERIFY}?next=%2F"
    answer = client.post(VERIFY, {"code": code_for(device), "next": "/"})
    assert answer.status_code == 302 and answer.url == "/"
    assert client.get("/").status_code == 200
    assert actions(user)[-1] == (AuditAction.TWO_FACTOR_VERIFIED, AuditOutcome.SUCCESS)


def test_a_wrong_code_is_refused_and_the_next_tries_are_held_back(client, make_user):
    admin = make_user(Role.DISTRICT_ADMIN)
    device, _codes = bound(admin)
    sign_in(client, admin)
    right = code_for(device)
    wrong = "000000" if right != "000000" else "111111"

    # when: a wrong code
    refused = client.post(VERIFY, {"code": wrong})
    # then: refused, and not signed in
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert client.get("/").url.startswith(VERIFY)

    # when: the right code at once after it
    held = client.post(VERIFY, {"code": right})
    # then: django-otp's throttle holds the device for a while
    assert held.status_code == 200 and "秒后再试" in held.content.decode()
    assert actions(admin)[-2:] == [
        (AuditAction.TWO_FACTOR_FAILED, AuditOutcome.FAILURE),
        (AuditAction.TWO_FACTOR_FAILED, AuditOutcome.DENIED),
    ]
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    # when: the wait is over
    device.throttling_failure_timestamp = timezone.now() - timedelta(seconds=5)
    device.save()
    # then: the code opens the portal
    assert client.post(VERIFY, {"code": right}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(client, make_user):
    auditor = make_user(Role.AUDITOR)
    _device, codes = bound(auditor)

    sign_in(client, auditor)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    assert AuditLog.objects.filter(
        action=AuditAction.RECOVERY_CODE_USED, username=auditor.username
    ).get().detail == {"device": "recovery", "remaining": 1}

    client.post("/accounts/logout/")
    sign_in(client, auditor)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()
    assert client.get("/").url.startswith(VERIFY)


def test_a_grid_worker_is_not_asked_and_may_bind_one_then_is_asked(client, make_user):
    worker = make_user(Role.GRID_WORKER)

    response = sign_in(client, worker)

    assert response.url == "/"
    assert client.get("/").status_code == 200
    assert client.get("/accounts/two-factor/").status_code == 200

    # once bound (optional), the next login asks for the code too
    device, _codes = bound(worker)
    other: Any = Client()
    sign_in(other, worker)
    assert other.get("/").url.startswith(VERIFY)
    assert other.post(VERIFY, {"code": code_for(device)}).status_code == 302


def test_the_admin_site_refuses_a_session_without_the_second_factor(client, make_user):
    admin = make_user(Role.DISTRICT_ADMIN, is_staff=True)
    device, _codes = bound(admin)
    sign_in(client, admin)

    # the back office sends an unverified session to the code, never its own login form
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.get("/admin/login/?next=/admin/").url.startswith(VERIFY)

    # the site itself refuses, whatever middleware stands before it
    request = RequestFactory().get("/admin/")
    request.session = SessionStore()
    request.user = admin
    OTPMiddleware(lambda r: None)._install_lazy_accessors(request)
    assert not PortalAdminSite().has_permission(request)

    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_sends_anonymous_visitors_to_a_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response.url
    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    assert not PortalAdminSite().has_permission(request)


def test_a_forced_password_change_comes_after_the_second_factor(client, make_user):
    admin = make_user(Role.DISTRICT_ADMIN, must_change_password=True)
    device, _codes = bound(admin)
    sign_in(client, admin)

    assert client.get("/").url.startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/").url == "/accounts/password/"


def verified_client(user: Any, device: TOTPDevice) -> Any:
    client = Client()
    sign_in(client, user)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    return client


def test_the_security_admin_resets_a_users_authenticator(make_user):
    security = make_user(Role.SECURITY_ADMIN)
    security_device, _codes = bound(security)
    admin = make_user(Role.DISTRICT_ADMIN)
    admin_device, _codes = bound(admin)
    admin_session = verified_client(admin, admin_device)
    client = verified_client(security, security_device)

    # given: the list of bound accounts
    page = client.get("/accounts/security/two-factor/")
    assert page.status_code == 200 and admin.username in page.content.decode()

    # a reason is required
    client.post("/accounts/security/two-factor/reset/", {"user": admin.pk, "reason": ""})
    assert TOTPDevice.objects.filter(user=admin).exists()

    # when: the security admin resets it with the reason
    response = client.post(
        "/accounts/security/two-factor/reset/", {"user": admin.pk, "reason": "手机丢失"}
    )

    # then: the authenticator and the recovery codes are gone, and the audit log says so
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin).exists()
    assert not StaticDevice.objects.filter(user=admin).exists()
    entry = AuditLog.objects.get(action=AuditAction.TWO_FACTOR_RESET)
    assert entry.actor == security and entry.object_id == str(admin.pk)
    assert entry.detail == {"user": admin.username, "reason": "手机丢失", "devices": 1}
    # the admin's open session ends; the next login binds a new authenticator
    assert admin_session.get("/").url == LOGIN
    fresh: Any = Client()
    sign_in(fresh, admin)
    assert fresh.get("/").url.startswith(ENROL)


def test_only_the_security_admin_resets_and_only_after_the_second_factor(make_user):
    target = make_user(Role.AUDITOR)
    bound(target)
    admin = make_user(Role.DISTRICT_ADMIN)
    admin_device, _codes = bound(admin)
    district = verified_client(admin, admin_device)

    assert district.get("/accounts/security/two-factor/").status_code == 403
    refused = district.post(
        "/accounts/security/two-factor/reset/", {"user": target.pk, "reason": "x"}
    )
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=target).exists()

    # a security admin who has given only the password does not reach the page
    security = make_user(Role.SECURITY_ADMIN)
    bound(security)
    password_only: Any = Client()
    sign_in(password_only, security)
    assert password_only.get("/accounts/security/two-factor/").url.startswith(VERIFY)
    password_only.post("/accounts/security/two-factor/reset/", {"user": target.pk, "reason": "x"})
    assert TOTPDevice.objects.filter(user=target).exists()


def test_recovery_codes_are_renewed_only_in_a_verified_session(make_user):
    admin = make_user(Role.DISTRICT_ADMIN)
    device, codes = bound(admin)
    password_only: Any = Client()
    sign_in(password_only, admin)
    assert password_only.post("/accounts/two-factor/recovery-codes/").status_code == 403

    client = verified_client(admin, device)
    answer = client.post("/accounts/two-factor/recovery-codes/")
    fresh = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", answer.content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    assert actions(admin)[-1] == (AuditAction.RECOVERY_CODES_RENEWED, AuditOutcome.SUCCESS)


def test_an_api_token_needs_the_second_factor_of_whoever_the_web_asks(client, make_user):
    token_url = "/api/v1/auth/token/"
    admin = make_user("district_admin")
    # a privileged account without an authenticator gets no token on its password
    answer = client.post(token_url, {"username": admin.username, "password": PASSWORD})
    assert answer.status_code == 401 and answer.json()["code"] == "two_factor_required"
    device, _codes = bound(admin)
    # with one, the password alone or a wrong code is refused, the current code works
    answer = client.post(token_url, {"username": admin.username, "password": PASSWORD})
    assert answer.status_code == 401 and answer.json()["code"] == "two_factor_required"
    wrong = client.post(
        token_url, {"username": admin.username, "password": PASSWORD, "otp_code": "000000"}
    )
    assert wrong.status_code == 401 and wrong.json()["code"] == "two_factor_failed"
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    answer = client.post(
        token_url,
        {"username": admin.username, "password": PASSWORD, "otp_code": code_for(device)},
    )
    assert answer.status_code == 200 and answer.json()["token"]
    # a grid worker without an authenticator still exchanges the password alone
    worker = make_user("grid_worker")
    answer = client.post(token_url, {"username": worker.username, "password": PASSWORD})
    assert answer.status_code == 200

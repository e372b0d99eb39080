"""A district admin's first login in a phone-sized browser: bind an authenticator from the
page's key, keep the recovery codes, then sign in again with the password and a fresh code."""

from base64 import b32decode
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.accounts.two_factor import code_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.two_factor,
    pytest.mark.django_db(transaction=True),
]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_a_district_admin_binds_an_authenticator_and_signs_in_with_it(
    page: Page, live_server: Any, make_user
) -> None:
    base = live_server.url
    admin = make_user(Role.DISTRICT_ADMIN)

    # the password alone leads to binding an authenticator, whatever page was asked for
    page.goto(f"{base}/cases/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("two-factor-enrol")).to_be_visible()
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").get_attribute("data-secret")
    assert secret
    key = b32decode(secret)

    # the code the app shows confirms it; the recovery codes are shown once
    page.get_by_label("验证码").fill(code_for(key))
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("recovery-code-list").locator("li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(f"{base}/cases/")

    # the next login asks for a code after the password; a wrong one is refused
    page.context.clear_cookies()
    log_in(page, base, admin.username)
    expect(page.get_by_test_id("two-factor-verify")).to_be_visible()
    page.get_by_label("验证码").fill(code_for(key, drift=-5))  # an old code: refused
    page.click("main form button[type=submit] >> nth=0")
    expect(page.locator(".field__error")).to_contain_text("验证码不正确")
    page.wait_for_timeout(1500)  # django-otp holds the device a second after a failure
    page.get_by_label("验证码").fill(code_for(key, drift=1))
    page.click("main form button[type=submit] >> nth=0")
    expect(page).to_have_url(f"{base}/")

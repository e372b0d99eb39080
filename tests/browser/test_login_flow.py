import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.accounts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def test_the_login_page_renders_in_chinese_on_a_phone(page: Page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    expect(page.get_by_label("用户名")).to_be_visible()
    expect(page.get_by_label("密码")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing sticks out sideways on a 360 px phone


def test_a_community_worker_logs_in_and_sees_their_home(page: Page, live_server, make_user):
    user = make_user(Role.COMMUNITY_STAFF)
    log_in(page, live_server.url, user.username, PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("grants")).to_contain_text("社区工作人员")
    expect(page.get_by_test_id("grants")).to_contain_text("测试区 / 甲街道 / 甲社区")
    page.click("label.nav-toggle__button")  # the phone menu opens
    expect(page.get_by_role("link", name="首页")).to_be_visible()
    expect(page.get_by_role("link", name="审计日志")).to_have_count(0)


def test_five_wrong_passwords_lock_the_account(page: Page, live_server, make_user):
    user = make_user(Role.GRID_WORKER)
    for attempt in range(4):
        log_in(page, live_server.url, user.username, f"Wrong-password-{attempt}")
        expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码不正确")
    log_in(page, live_server.url, user.username, "Wrong-password-5")
    expect(page.get_by_test_id("login-error")).to_contain_text("已被锁定 30 分钟")
    log_in(page, live_server.url, user.username, PASSWORD)
    expect(page.get_by_test_id("login-error")).to_contain_text("已被锁定 30 分钟")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


def test_the_language_switch_turns_the_page_english(page: Page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("text=English")
    expect(page.locator("h1")).to_have_text("Log in")
    page.click("text=中文")
    expect(page.locator("h1")).to_have_text("登录")

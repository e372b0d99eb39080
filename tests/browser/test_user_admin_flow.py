"""A first week in a phone-sized browser: the district admin creates a community worker in the
back office and the worker signs in, sets their own password and sees their role; a grid
worker reports from the home page with the phone's position."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.roles import Role
from cases.models import Case
from grids.services import grid_cover_area
from tests.accounts.factories import PASSWORD
from tests.cases.factories import category
from tests.grids.factories import grid, square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_PASSWORD = "Harbour-Lantern-73"
OWN_PASSWORD = "Quiet-River-2048"


def log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")


def test_the_district_admin_creates_a_community_worker_who_then_signs_in(
    page: Page, live_server: Any, make_user, tree
):
    base = live_server.url
    admin = make_user(Role.DISTRICT_ADMIN, is_staff=True)

    # the district admin fills in one form: name, phone, role, scope, first password
    log_in(page, base, admin.username)
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/admin/accounts/user/add/")
    page.fill("#id_username", "liuxiaomei")
    page.fill("#id_full_name", "刘晓梅")
    page.fill("#id_phone", "13800001234")
    page.select_option("#id_role", Role.COMMUNITY_STAFF)
    page.select_option("#id_area", label="测试区 / 甲街道 / 甲社区")
    page.fill("#id_password1", FIRST_PASSWORD)
    page.fill("#id_password2", FIRST_PASSWORD)
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_contain_text("liuxiaomei")
    assert User.objects.get(username="liuxiaomei").grants.get().area == tree["community"]

    # the worker signs in with it and must set their own password first
    log_in(page, base, "liuxiaomei", FIRST_PASSWORD)
    expect(page).to_have_url(f"{base}/accounts/password/")
    page.fill("#id_old_password", FIRST_PASSWORD)
    page.fill("#id_password1", OWN_PASSWORD)
    page.fill("#id_password2", OWN_PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_test_id("grants")).to_contain_text("社区工作人员")
    expect(page.get_by_test_id("grants")).to_contain_text("测试区 / 甲街道 / 甲社区")

    # and the next time with their own password, straight to the home page
    log_in(page, base, "liuxiaomei", OWN_PASSWORD)
    expect(page).to_have_url(f"{base}/")


def test_a_grid_worker_reports_from_home_with_the_phones_position(
    page: Page, live_server: Any, make_user, tree
):
    base = live_server.url
    cat = category()
    worker = make_user(Role.GRID_WORKER)
    mapped = grid(tree["community"], boundary=square(117.73, 34.56), name="运河一网格")
    grid_cover_area(actor=None, grid=mapped, area=tree["estate"])
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": 117.734512, "latitude": 34.562301, "accuracy": 12})

    log_in(page, base, worker.username)
    page.get_by_test_id("report-case").click()
    expect(page).to_have_url(f"{base}/cases/new/")
    page.get_by_role("button", name="使用手机定位").click()
    expect(page.locator("#id_longitude")).to_have_value("117.734512")
    expect(page.locator("#id_latitude")).to_have_value("34.562301")
    expect(page.locator("#geolocate-status")).to_contain_text("12 米")
    # the chooser is filled with the place of the grid that holds the position
    expect(page.locator("#id_area")).to_have_value("甲小区")
    page.select_option("#id_category", str(cat.pk))
    page.fill("#id_title", "井盖缺失")
    page.fill("#id_description", "小区东门井盖缺失")
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    assert Case.objects.get(title="井盖缺失").area == tree["estate"]

    page.goto(f"{base}/")
    expect(page.get_by_test_id("my-cases")).to_contain_text("井盖缺失")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

"""The whole case path in a phone-sized browser: report, accept, dispatch, resolve, verify,
rate."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.browser.places import pick_place
from tests.cases.factories import category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{base}/")


def act(page: Page, action: str, fill: dict[str, str] | None = None) -> None:
    form = page.locator(f"form[data-action={action}]")
    page.locator("details.action", has=form).locator("summary").click()
    for selector, value in (fill or {}).items():
        target = form.locator(selector)
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    form.locator("button[type=submit]").click()


def test_from_report_to_resident_rating(page: Page, live_server: Any, make_user, tree, department):
    base = live_server.url
    cat = category()
    grid = make_user(Role.GRID_WORKER)
    staff = make_user(Role.COMMUNITY_STAFF)
    liaison = make_user(Role.DEPARTMENT_LIAISON)

    # a grid worker reports from the phone
    log_in(page, base, grid.username)
    page.goto(f"{base}/cases/new/")
    page.select_option("#id_category", str(cat.pk))
    pick_place(page, "#id_area", "甲小", "甲小区")
    page.fill("#id_title", "楼道垃圾堆放")
    page.fill("#id_description", "三单元门口垃圾三天未清运")
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    case_url = page.url

    # the community accepts and dispatches to the department
    log_in(page, base, staff.username)
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    page.goto(case_url)
    act(page, "accept")
    expect(page.get_by_test_id("case-state")).to_have_text("已受理")
    act(page, "dispatch", {"select[name=lead]": f"department:{department.pk}"})
    expect(page.get_by_test_id("case-state")).to_have_text("处置中")

    # the department finds it in its queue and resolves it
    log_in(page, base, liaison.username)
    page.goto(f"{base}/cases/queue/")
    page.get_by_test_id("case-row").first.locator("a").click()
    act(page, "resolve", {"textarea[name=note]": "已安排环卫清运"})
    expect(page.get_by_test_id("case-state")).to_have_text("待核查")

    # the grid worker verifies on site and records the resident's rating
    log_in(page, base, grid.username)
    page.goto(case_url)
    act(page, "verify", {"textarea[name=note]": "现场已清理干净"})
    expect(page.get_by_test_id("case-state")).to_have_text("待评价")
    act(page, "rate", {"select[name=satisfaction]": "satisfied"})
    expect(page.get_by_test_id("case-state")).to_have_text("已办结")
    expect(page.get_by_test_id("case-satisfaction")).to_have_text("满意")
    expect(page.get_by_test_id("timeline")).to_contain_text("居民评价")
    expect(page.get_by_test_id("timeline")).to_contain_text("已安排环卫清运")

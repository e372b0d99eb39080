"""The portal with the keyboard alone: a skip link, a visible focus on every stop, the phone menu,
the area tree with the arrow keys, and the case loop's forms (report, then accept)."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from tests.accounts.factories import PASSWORD
from tests.cases.factories import category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  // the phone menu's check box is hidden; its label draws the ring
  const shown = el.classList.contains('nav-toggle') ? el.nextElementSibling : el;
  const style = getComputedStyle(shown);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const r = shown.getBoundingClientRect();
  return {
    ring: ring || style.boxShadow !== 'none',
    onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth,
    what: `${el.tagName}#${el.id} ${(el.textContent || '').trim().slice(0, 20)}`,
  };
}"""


def tab_to(page: Page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, checking on every stop that the focus shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_SHOWN)
        assert focus["ring"] and focus["onScreen"], f"focus not visible on {focus['what']}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose(page: Page, text: str, *, limit: int = 40) -> None:
    """Arrow down the focused <select> until its chosen option reads ``text``."""
    for _ in range(limit):
        if text in page.evaluate("() => document.activeElement.selectedOptions[0].text"):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {text!r}")


def log_in_by_keyboard(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("#id_username")).to_be_focused()  # the form's autofocus
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/")


def test_the_skip_link_comes_first_and_moves_to_the_content(page: Page, live_server, make_user):
    log_in_by_keyboard(page, live_server.url, make_user(Role.COMMUNITY_STAFF).username)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_the_phone_menu_opens_and_its_links_follow_by_tab(page: Page, live_server, make_user):
    log_in_by_keyboard(page, live_server.url, make_user(Role.COMMUNITY_STAFF).username)
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()
    tab_to(page, "#nav-toggle")
    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="首页")).to_be_focused()


def test_the_area_tree_opens_and_moves_with_the_arrow_keys(
    page: Page, live_server, make_user, tree
):
    log_in_by_keyboard(page, live_server.url, make_user(Role.DISTRICT_ADMIN).username)
    page.goto(f"{live_server.url}/governance/areas/")
    tab_to(page, ".tree__toggle")
    page.keyboard.press("Enter")
    expect(page.locator(".tree__toggle").first).to_have_attribute("aria-expanded", "true")
    street = page.locator(".tree__link", has_text="甲街道")
    expect(street).to_be_visible(timeout=20_000)

    page.keyboard.press("ArrowDown")  # to the first child row (the streets load in order)
    expect(page.locator(".tree__link").nth(1)).to_be_focused()
    street.focus()
    page.keyboard.press("ArrowRight")  # opens 甲街道
    community = page.locator(".tree__link", has_text="甲社区")
    expect(community).to_be_visible(timeout=20_000)  # the level loads on demand (htmx)
    page.keyboard.press("ArrowRight")  # into it
    expect(community).to_be_focused()
    page.keyboard.press("ArrowLeft")  # back to the parent
    expect(street).to_be_focused()
    page.keyboard.press("ArrowLeft")  # and closes it
    expect(community).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("甲街道")


def test_a_case_is_reported_and_accepted_with_the_keyboard_alone(
    page: Page, live_server: Any, make_user, tree
):
    base = live_server.url
    cat = category()
    grid_worker = make_user(Role.GRID_WORKER)
    staff = make_user(Role.COMMUNITY_STAFF)

    # the grid worker fills the report form from the top of the page down
    log_in_by_keyboard(page, base, grid_worker.username)
    page.goto(f"{base}/cases/new/")
    tab_to(page, "#id_category")
    choose(page, cat.name)
    tab_to(page, "#id_area")
    page.keyboard.type("甲小")
    expect(page.get_by_role("option", name="甲小区", exact=True)).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_area")).to_have_attribute("aria-activedescendant", "id_area-list-0")
    page.keyboard.press("Enter")
    expect(page.locator("#id_area")).to_have_value("甲小区")
    expect(page.locator("#id_area")).to_have_attribute("aria-expanded", "false")
    tab_to(page, "#id_title")
    page.keyboard.type("楼道灯不亮")
    tab_to(page, "#id_description")
    page.keyboard.type("三单元二楼楼道灯坏了一周")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    case_url = page.url

    # the community worker opens the accept form, writes a note and confirms
    log_in_by_keyboard(page, base, staff.username)
    page.goto(case_url)
    tab_to(page, "details.action:has(form[data-action=accept]) > summary")
    page.keyboard.press("Enter")
    form = page.locator("form[data-action=accept]")
    expect(form).to_be_visible()
    tab_to(page, "form[data-action=accept] textarea")
    page.keyboard.type("已受理，安排电工")
    tab_to(page, "form[data-action=accept] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("case-state")).to_have_text("已受理")
    expect(page.get_by_test_id("timeline")).to_contain_text("已受理，安排电工")

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import Role
from grids import services
from tests.accounts.factories import PASSWORD
from tests.browser.test_login_flow import log_in
from tests.grids.factories import grid, household, problem_category, square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_grid_map_draws_locally_and_a_click_opens_the_grid(
    page: Page, live_server, make_user, tree
):
    user = make_user(Role.COMMUNITY_STAFF)
    target = grid(tree["community"], name="地图网格", boundary=square(117.73, 34.56, 0.02))
    services.grid_cover_area(actor=None, grid=target, area=tree["estate"])
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    log_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/grids/map/")
    box = page.locator("#grid-map")
    expect(box).to_have_attribute("data-ready", "true")
    expect(box.locator("canvas")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # the middle of the map is the middle of the only grid: a click opens it
    box.click()
    expect(page).to_have_url(f"{live_server.url}/grids/{target.pk}/")
    expect(page.locator("h1")).to_contain_text("地图网格")
    assert outside == []


def test_the_grid_map_is_coloured_by_open_cases(page: Page, live_server, make_user, tree):
    user = make_user(Role.COMMUNITY_STAFF)
    worker = make_user(Role.GRID_WORKER)
    busy = grid(tree["community"], name="有事网格", boundary=square(117.73, 34.56, 0.02))
    grid(tree["community"], name="无事网格", boundary=square(117.75, 34.56, 0.02))
    services.grid_cover_area(actor=None, grid=busy, area=tree["estate"])
    services.visit_log(
        actor=worker,
        grid=busy,
        household=household(tree["building"]),
        visited_on=timezone.localdate(),
        kind="door",
        heard="入户走访",
        problems=[(problem_category(), "楼道灯不亮")],
    )
    log_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/grids/map/")
    page.select_option("#map-color", "cases")
    page.get_by_role("button", name="显示").click()
    expect(page).to_have_url(re.compile(r"color=cases"))
    box = page.locator("#grid-map")
    expect(box).to_have_attribute("data-ready", "true")
    expect(box).to_have_attribute("data-color", "cases")
    figures = page.get_by_test_id("map-grids")  # the map's text alternative
    expect(figures.locator("tr", has_text="有事网格").locator("td").last).to_have_text("1")
    expect(figures.locator("tr", has_text="无事网格").locator("td").last).to_have_text("0")

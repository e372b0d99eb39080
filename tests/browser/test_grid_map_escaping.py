"""Issue 11: a grid's name reaches the map tooltip, which ECharts writes into the page as HTML.
A name carrying markup must show as text and run nothing."""

import pytest
from playwright.sync_api import Page, expect

from accounts.roles import Role
from grids import services
from tests.accounts.factories import PASSWORD
from tests.browser.test_login_flow import log_in
from tests.grids.factories import grid, square

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLANTED = '<img src=x onerror="window.__planted=1">网格'


def test_a_grid_name_with_markup_shows_as_text_in_the_tooltip_and_runs_nothing(
    page: Page, live_server, make_user, tree
):
    user = make_user(Role.COMMUNITY_STAFF)
    planted = grid(tree["community"], name=PLANTED, boundary=square(117.73, 34.56, 0.02))
    services.grid_cover_area(actor=None, grid=planted, area=tree["estate"])
    log_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/grids/map/")
    box = page.locator("#grid-map")
    expect(box).to_have_attribute("data-ready", "true")

    box.hover()  # the pointer rests on the only grid, in the middle of the map: its tooltip opens
    tooltip = box.locator("div", has_text="网格员").last
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(PLANTED)  # the markup, as letters
    assert box.locator("img").count() == 0
    page.wait_for_timeout(300)  # time for a planted onerror to fire, were there an <img>
    assert page.evaluate("window.__planted") is None

    # the figures table beside the map names the grid as text too
    row = page.get_by_test_id("map-grids").locator("tr", has_text=PLANTED)
    expect(row.locator("td[data-label='网格员']")).to_have_text("0")

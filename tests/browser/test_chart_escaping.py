"""Issue 11: names typed by people (a grid, a community, a case category, a handling unit) reach
the dashboard's map and charts. ECharts writes a tooltip into the page as HTML; a name carrying
markup must show as its letters and run nothing, on the map and on every chart that names it."""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.roles import Role
from cases.services import case_accept, case_dispatch
from common.db import REPLICA
from governance.models import Department
from governance.services import area_update
from governance.units import Unit
from grids import services as grid_services
from tests.accounts.factories import PASSWORD
from tests.browser.test_login_flow import log_in
from tests.cases.factories import category, report
from tests.grids.factories import grid, square

# the dashboard pages read through the replica alias (common.db), a second connection here
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]

# Each name runs its own mark were it ever parsed as HTML (the page's CSP blocks inline
# handlers too; the <img> itself is what must never appear).
GRID = "<img src=x onerror=window.__planted=1>一网格"
COMMUNITY = "<img src=x onerror=window.__planted=2>甲社区"
CATEGORY = "<img src=x onerror=window.__planted=3>环境卫生"
UNIT = "<img src=x onerror=window.__planted=4>区住建局"


@pytest.fixture
def planted(make_user, tree) -> Any:
    """A street user's scope where every name a chart or the map shows carries markup: the
    community (the street's community chart, the map's tooltip), a grid with a boundary (the
    map), a case category (the category chart) and the department a case went to (the lead
    unit chart)."""
    area_update(
        actor=make_user(Role.DISTRICT_ADMIN),
        area=tree["community"],
        name=COMMUNITY,
        code=tree["community"].code,
    )
    mapped = grid(tree["community"], name=GRID, boundary=square(117.73, 34.56, 0.02))
    grid_services.grid_cover_area(actor=None, grid=mapped, area=tree["estate"])
    department = Department.objects.create(name=UNIT, code="T901")
    case = report(make_user(Role.GRID_WORKER), tree["estate"], category(parent_name=CATEGORY))
    desk = make_user(Role.COMMUNITY_STAFF)
    case_accept(actor=desk, case=case)
    case_dispatch(actor=desk, case=case, lead=Unit(department=department))
    return make_user(Role.STREET_STAFF)


def _nothing_planted_ran(page: Page, box: Locator) -> None:
    assert box.locator("img").count() == 0
    page.wait_for_timeout(300)  # time for a planted onerror to fire, were there an <img>
    assert page.evaluate("window.__planted") is None


def _map_tooltip_names_the_grid_as_text(page: Page) -> None:
    box = page.locator("#dash-map")
    expect(box).to_have_attribute("data-ready", "true")
    box.hover()  # the pointer rests on the only grid, in the middle of the map: its tooltip opens
    tooltip = box.locator("div", has_text="每千户").last
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(GRID)  # the markup, as letters
    expect(tooltip).to_contain_text(COMMUNITY)
    _nothing_planted_ran(page, box)


def _chart_tooltip_shows(page: Page, key: str, name: str) -> None:
    chart = page.locator(f"[data-chart='chart-{key}']")
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_attribute("data-ready", "true")
    # the pointer rests on the plot, right of the axis names: each chart has one bar, whose band
    # is the whole plot, so its axis tooltip opens
    box = chart.bounding_box()
    assert box is not None
    chart.hover(position={"x": box["width"] * 0.85, "y": box["height"] * 0.5})
    tooltip = chart.locator("div", has_text=name).last
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(name)
    _nothing_planted_ran(page, chart)


def test_the_map_page_shows_grid_and_community_names_with_markup_as_text(
    page: Page, live_server, planted
):
    log_in(page, live_server.url, planted.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/map/")
    _map_tooltip_names_the_grid_as_text(page)
    # the staffing colouring draws the same tooltip with the grid's staffing problems
    page.get_by_role("button", name="人员配备").click()
    box = page.locator("#dash-map")
    expect(box).to_have_attribute("data-color", "staffing")
    page.mouse.move(0, 0)
    box.hover()
    tooltip = box.locator("div", has_text="配备不达标").last
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(GRID)
    _nothing_planted_ran(page, box)


def test_the_dashboard_map_and_charts_show_names_with_markup_as_text(
    page: Page, live_server, planted
):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, planted.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    _map_tooltip_names_the_grid_as_text(page)
    _chart_tooltip_shows(page, "areas", COMMUNITY)
    _chart_tooltip_shows(page, "categories", CATEGORY)
    _chart_tooltip_shows(page, "units", UNIT)
    # the figures tables beside the charts name them as text too
    for key, name in (("areas", COMMUNITY), ("categories", CATEGORY), ("units", UNIT)):
        expect(
            page.get_by_test_id(f"table-{key}").locator("tbody").get_by_text(name, exact=True).first
        ).to_be_visible()


def test_the_monthly_report_draws_names_with_markup_as_svg_text(page: Page, live_server, planted):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, planted.username, PASSWORD)
    # the month of the case (the report shows the last complete month unless told)
    page.goto(f"{live_server.url}/dashboard/report/?month={timezone.localdate():%Y-%m}")
    for key, name in (("areas", COMMUNITY), ("categories", CATEGORY), ("units", UNIT)):
        chart = page.locator(f"[data-chart='chart-{key}']")
        expect(chart).to_have_attribute("data-ready", "true")
        # the report's charts are SVG (print): the axis names the bar with the markup as letters
        expect(chart.locator("svg text", has_text=name).first).to_be_attached()
        _nothing_planted_ran(page, chart)

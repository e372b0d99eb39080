"""In a real browser, the forms with date fields show the stored dates, and saving one
untouched keeps them; the new visit starts on today, and its household is chosen by search."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import Role
from grids.models import CommunityWorker, Station, Visit
from grids.services import grid_cover_area
from tests.accounts.factories import PASSWORD
from tests.browser.test_login_flow import log_in
from tests.common.test_edit_forms_round_trip import _resident, _station, _worker
from tests.grids.factories import grid, household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _save_untouched(page: Page, url: str, field: str, shown: str) -> None:
    page.goto(url)
    expect(page.locator(f"#id_{field}")).to_have_value(shown)
    page.locator(f"#id_{field}").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).first.click()
    page.wait_for_load_state()


def test_untouched_edit_forms_keep_their_dates(page: Page, live_server, make_user, tree, company):
    # given a station, a worker and a resident with their dates
    station, station_url, _ = _station({"tree": tree})
    worker, worker_url, _ = _worker({"tree": tree})
    person, resident_url, _ = _resident({"tree": tree})
    log_in(page, live_server.url, make_user(Role.COMMUNITY_STAFF).username, PASSWORD)
    # when each edit form is saved as the browser shows it
    _save_untouched(page, live_server.url + station_url, "opened_on", "2024-12-02")
    _save_untouched(page, live_server.url + worker_url, "hired_on", "2019-03-04")
    _save_untouched(page, live_server.url + resident_url, "birth_date", "1948-12-02")
    # then every date is still there
    assert Station.objects.get(pk=station.pk).opened_on == date(2024, 12, 2)
    assert CommunityWorker.objects.get(pk=worker.pk).hired_on == date(2019, 3, 4)
    person.refresh_from_db()
    assert person.birth_date == date(1948, 12, 2)


def test_a_visit_starts_today_and_finds_its_household_by_search(
    page: Page, live_server, make_user, tree
):
    target = grid(tree["community"])
    grid_cover_area(actor=None, grid=target, area=tree["estate"])
    home = household(tree["building"], room="302")
    log_in(page, live_server.url, make_user(Role.GRID_WORKER).username, PASSWORD)
    page.goto(f"{live_server.url}/grids/visits/new/")
    expect(page.locator("#id_visited_on")).to_have_value(timezone.localdate().isoformat())
    page.locator("#id_household").fill("302")
    option = page.get_by_role("option", name="甲小区 / 1号楼 / 302室")
    expect(option).to_be_visible()
    option.click()
    page.select_option("#id_grid", str(target.pk))
    page.fill("#id_heard", "了解家庭情况")
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/visits/new/$"))
    visit = Visit.objects.get()
    assert visit.household == home and visit.visited_on == timezone.localdate()

"""The grid worker's phone: a big 上报事件 on the home page, the phone's position and camera
on the report form (no inline script), and every case they reported listed under 我上报的."""

import re

import pytest

from accounts.roles import Role
from cases import services
from cases.models import Case
from tests.cases.factories import report

pytestmark = pytest.mark.django_db


def test_the_grid_workers_home_starts_with_a_big_report_button(client, people):
    client.force_login(people["grid"])
    page = client.get("/").content.decode()
    button = re.search(r'<a class="([^"]*)" href="/cases/new/" data-testid="report-case">', page)
    assert button is not None and "button--big" in button.group(1)
    assert page.index('data-testid="report-case"') < page.index('data-testid="my-grids"')


def test_other_roles_have_no_report_button_on_their_home(client, people):
    client.force_login(people["dept"])
    assert 'data-testid="report-case"' not in client.get("/").content.decode()


def test_the_report_form_offers_the_phones_position_and_camera(client, people):
    client.force_login(people["grid"])
    page = client.get("/cases/new/").content.decode()
    assert 'data-geolocate data-longitude="id_longitude" data-latitude="id_latitude"' in page
    assert '<script src="/static/js/geolocate.js" defer></script>' in page
    assert "onclick" not in page and "<script>" not in page  # CSP: no inline script
    photos = re.search(r'<input type="file" name="photos"[^>]*>', page)
    assert photos is not None
    assert 'accept="image/*"' in photos.group(0) and 'capture="environment"' in photos.group(0)
    # the typed fallback stays
    assert 'name="longitude"' in page and 'name="latitude"' in page


def test_typed_coordinates_are_kept_when_the_phone_cannot_locate(client, people, tree, cat):
    client.force_login(people["grid"])
    response = client.post(
        "/cases/new/",
        {
            "category": cat.pk,
            "area": tree["estate"].pk,
            "title": "井盖缺失",
            "description": "小区东门井盖缺失",
            "longitude": "117.734512",
            "latitude": "34.562301",
            "source": "grid",
        },
    )
    assert response.status_code == 302
    made = Case.objects.get(title="井盖缺失")
    assert (str(made.longitude), str(made.latitude)) == ("117.734512", "34.562301")
    assert made.reporter == people["grid"]


def test_cases_reported_directly_are_listed_under_my_reports(client, people, tree, cat):
    direct = report(people["grid"], tree["estate"], cat, title="路灯不亮")
    services.case_accept(actor=people["community"], case=direct)
    report(people["community"], tree["estate"], cat, title="别人上报的")
    client.force_login(people["grid"])
    block = client.get("/").content.decode()
    mine = block[block.index('data-testid="my-cases"') :]
    assert f'href="/cases/{direct.pk}/">路灯不亮</a>' in mine
    assert "网格发现 · 已受理" in mine
    assert "别人上报的" not in mine


def test_a_sibling_communitys_worker_sees_none_of_them(client, people, tree, cat, make_user):
    report(people["grid"], tree["estate"], cat, title="路灯不亮")
    other = make_user(Role.GRID_WORKER, "other_community")
    client.force_login(other)
    assert "路灯不亮" not in client.get("/").content.decode()

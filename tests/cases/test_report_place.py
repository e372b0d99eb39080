"""The report form's place: chosen by search (typed without a script), or derived from the
phone's position by the grid map when the worker leaves it empty."""

import pytest

from cases.models import Case
from grids.services import grid_cover_area
from tests.grids.factories import grid, square

pytestmark = pytest.mark.django_db

# inside square(117.73, 34.56): the first community's grid over 甲小区
INSIDE = {"longitude": "117.735204", "latitude": "34.565240"}


@pytest.fixture
def mapped(tree):
    target = grid(tree["community"], boundary=square(117.73, 34.56), name="运河一网格")
    grid_cover_area(actor=None, grid=target, area=tree["estate"])
    theirs = grid(tree["other_community"], boundary=square(117.80, 34.56), name="乙一网格")
    grid_cover_area(actor=None, grid=theirs, area=tree["other_estate"])
    return target


def report(client, cat, **fields):
    data = {"category": cat.pk, "title": "井盖缺失", "description": "东门井盖缺失",
            "source": "grid", "area": "", "area_text": ""}  # fmt: skip
    data.update(fields)
    return client.post("/cases/new/", data)


def test_the_report_form_chooses_its_place_by_search_not_from_a_select(client, people):
    client.force_login(people["grid"])
    page = client.get("/cases/new/").content.decode()
    assert 'data-autocomplete-url="/governance/places/?kind=place"' in page
    assert '<select name="area"' not in page


def test_a_place_typed_without_the_script_is_found(client, people, tree, cat):
    client.force_login(people["grid"])
    response = report(client, cat, area_text="甲小区 1号楼")
    assert response.status_code == 302, response.content.decode()
    assert Case.objects.get().area == tree["building"]


def test_an_empty_place_is_taken_from_the_phones_position(client, people, tree, cat, mapped):
    client.force_login(people["grid"])
    response = report(client, cat, **INSIDE)
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert (case.area, case.community) == (tree["estate"], tree["community"])


def test_a_chosen_place_wins_over_the_position(client, people, tree, cat, mapped):
    client.force_login(people["grid"])
    report(client, cat, area=tree["building"].pk, area_text="甲小区 / 1号楼", **INSIDE)
    assert Case.objects.get().area == tree["building"]


def test_a_position_outside_the_workers_grids_asks_for_the_place(client, people, cat, mapped):
    client.force_login(people["grid"])
    response = report(client, cat, longitude="117.805", latitude="34.565")  # 乙社区's grid
    assert response.status_code == 200
    assert "定位不在您可上报的网格内" in response.content.decode()
    assert not Case.objects.exists()


def test_no_place_and_no_position_is_refused_with_a_message(client, people, cat):
    client.force_login(people["grid"])
    response = report(client, cat)
    assert "请选择位置，或使用手机定位" in response.content.decode()
    assert not Case.objects.exists()


def test_the_chooser_is_filled_from_the_position_within_the_scope(client, people, tree, mapped):
    client.force_login(people["grid"])
    found = client.get("/cases/new/place/", INSIDE).json()
    assert found == {"id": tree["estate"].pk, "label": "甲小区", "grid": "运河一网格"}
    # a sibling community's grid is no answer for this worker
    outside = {"longitude": "117.805", "latitude": "34.565"}
    assert client.get("/cases/new/place/", outside).json() == {}
    assert client.get("/cases/new/place/", {"longitude": "x", "latitude": "1"}).status_code == 400

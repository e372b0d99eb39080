"""Imports match what is there and explain everything that is wrong: "1单元"/"101室" is the
household 1/101, every error of every row is listed, Chinese cells are read whatever the
interface language, and the template states each column's format."""

import io

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from governance.models import Household, Resident
from tests.governance.factories import household, id_number
from tests.governance.test_import import _resident_row, _upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(tree, make_user, client):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    return client


def _post(client, tree, rows, kind="residents"):
    return client.post(
        f"/governance/import/{kind}/",
        {"community": tree["community"].pk, "file": _upload(kind, rows)},
    )


def test_unit_and_room_written_out_match_the_existing_household(tree, staff_client):
    # given the household 1号楼 1单元101室, stored as unit "1", room "101"
    home = household(tree["building"], room="101", unit="1")
    row = _resident_row("李一", "101室", id_number())
    row[2] = "1单元"
    # when a resident is imported with the unit and room written out (and full-width digits)
    other = _resident_row("李二", "１０２室", id_number())
    other[2] = "1单元"
    response = _post(staff_client, tree, [row, other])
    # then the first joins the existing household, the second opens 1/102 (not "1单元单元…")
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Resident.objects.get(name="李一").household == home
    assert sorted(Household.objects.values_list("unit", "room")) == [("1", "101"), ("1", "102")]


def test_every_error_of_a_row_is_reported(tree, staff_client):
    row = _resident_row("王五", "105", "123", relation="表亲", phone="12345", gender="未知")
    row[6] = "1990-02-30"
    page = _post(staff_client, tree, [row]).content.decode()
    cell = page.split('<td data-label="行号">2</td><td data-label="原因">', 1)[1].split("</td>")[0]
    for reason in ("性别须填", "出生日期“1990-02-30”不是有效日期", "与户主关系“表亲”无效"):
        assert reason in cell, (reason, cell)
    assert not Resident.objects.exists()


def test_a_file_in_chinese_imports_when_the_interface_is_english(tree, staff_client):
    staff_client.cookies["django_language"] = "en"
    rows = [
        _resident_row("赵大", "201", id_number(), tags="独居老人、低保", gender="男"),
        _resident_row("钱二", "201", id_number(male=False), relation="配偶", gender="女"),
    ]
    response = _post(staff_client, tree, rows)
    assert response.status_code == 302, response.content.decode()[-2000:]
    zhao, qian = Resident.objects.order_by("name").filter(name__in=["赵大", "钱二"])
    assert zhao.tags == ["living_alone", "subsistence"] and qian.relation == "spouse"


def test_the_template_states_every_columns_format(staff_client):
    response = staff_client.get("/governance/import/residents/?template=1")
    book = load_workbook(io.BytesIO(response.content))
    notes = list(book.worksheets[1].iter_rows(values_only=True))
    assert notes[0][0] == "必须填写的列：小区、楼栋、室、姓名"
    formats = {row[0]: row[2] for row in notes if row and len(row) > 2}
    assert "1单元" in formats["单元"] and "配偶" in formats["与户主关系"]
    assert "2026-03-31" in formats["出生日期"]
    page = staff_client.get("/governance/import/residents/").content.decode()
    assert "各列的填写格式" in page and "独居老人" in page

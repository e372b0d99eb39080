import io

import pytest
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from governance.imports import TEMPLATES
from governance.models import Household, NeedsLedger, PartyMember, Resident
from tests.governance.factories import id_number

pytestmark = pytest.mark.django_db


def _upload(kind, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TEMPLATES[kind].headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    return buffer


def _resident_row(
    name, room, id_no="", relation="户主", tags="", building="1号楼", phone="", gender=""
):
    # 小区, 楼栋, 单元, 室, 姓名, 性别, 出生日期, 身份证号, 手机号, 与户主关系, 关爱标签
    return ["甲小区", building, "1", room, name, gender, "", id_no, phone, relation, tags]


@pytest.fixture
def staff_client(tree, make_user, client):
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    return client


def test_the_template_has_chinese_headers_and_text_cells(staff_client):
    response = staff_client.get("/governance/import/residents/?template=1")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:5] == ["小区", "楼栋", "单元", "室", "姓名"]
    assert sheet.cell(row=2, column=8).number_format == "@"


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(tree, staff_client):
    good = id_number()
    rows = [
        _resident_row("王一", "101", good, tags="独居老人"),
        _resident_row("王二", "102", "370405199013011234"),  # month 13
        _resident_row("王三", "103", building="9号楼"),
        _resident_row("王四", "104", good),  # duplicate of row 2
        _resident_row("王五", "105", phone="12345", gender="男"),
        _resident_row("王六", "106", relation="表亲", gender="女"),
    ]
    response = staff_client.post(
        "/governance/import/residents/",
        {"community": tree["community"].pk, "file": _upload("residents", rows)},
    )
    page = response.content.decode()
    assert "未导入任何数据" in page
    for row, reason in (
        (3, "出生日期无效"),
        (4, "没有楼栋“9号楼”"),
        (5, "与第 2 行重复"),
        (6, "手机号须为 11 位"),
        (7, "与户主关系“表亲”无效"),
    ):
        assert f'<td data-label="行号">{row}</td><td data-label="原因">' in page
        assert reason in page, reason
    assert Household.objects.count() == 0 and Resident.objects.count() == 0


def test_a_clean_file_imports_households_and_residents(tree, staff_client):
    head, spouse = id_number(), id_number(male=False)
    rows = [
        _resident_row("赵大", "201", head, tags="独居老人、低保", phone="13912345678"),
        _resident_row("钱二", "201", spouse, relation="配偶"),
        _resident_row("孙三", "202", gender="女"),
    ]
    response = staff_client.post(
        "/governance/import/residents/",
        {"community": tree["community"].pk, "file": _upload("residents", rows)},
        follow=True,
    )
    assert "已导入 3 条记录（新建住户 2 户）" in response.content.decode()
    household = Household.objects.get(room="201")
    assert household.head_name == "赵大" and household.area_path == tree["building"].path
    zhao = Resident.objects.get(name="赵大")
    assert zhao.id_number == head and zhao.tags == ["living_alone", "subsistence"]
    assert zhao.gender == "M" and zhao.birth_date is not None


def test_members_and_needs_import_into_existing_households(tree, people, staff_client):
    org = people["group"]
    member_row = [
        "周党员",
        "",
        "",
        id_number(),
        "",
        org.name,
        "预备党员",
        "2020-07-01",
        "区民政局",
        "甲小区",
        "1号楼",
        "1",
        "101",
        "是",
        "否",
    ]
    response = staff_client.post(
        "/governance/import/members/",
        {"community": tree["community"].pk, "file": _upload("members", [member_row])},
        follow=True,
    )
    assert "已导入 1 条记录" in response.content.decode()
    member = PartyMember.objects.get(name="周党员")
    assert member.household == people["household"] and member.household_plaque
    assert member.status == "probationary"
    need_rows = [
        ["甲小区", "1号楼", "1", "101", "物业维修", "单元门禁损坏", "2026-01-05"],
        ["甲小区", "1号楼", "1", "999", "物业维修", "无此住户", ""],
    ]
    response = staff_client.post(
        "/governance/import/needs/",
        {"community": tree["community"].pk, "file": _upload("needs", need_rows)},
    )
    assert "尚未建档" in response.content.decode()
    assert NeedsLedger.objects.count() == 2  # the two of the fixture, nothing new


def test_an_import_into_another_community_is_refused(tree, staff_client):
    response = staff_client.post(
        "/governance/import/residents/",
        {"community": tree["other_community"].pk, "file": _upload("residents", [])},
    )
    assert "选择一个有效的选项" in response.content.decode() or response.status_code == 403
    assert Resident.objects.count() == 0


def test_a_file_that_is_not_the_template_is_refused(tree, staff_client):
    upload = io.BytesIO(b"not a workbook")
    upload.name = "x.xlsx"
    response = staff_client.post(
        "/governance/import/residents/", {"community": tree["community"].pk, "file": upload}
    )
    assert "无法读取该文件" in response.content.decode()

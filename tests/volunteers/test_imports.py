"""Excel import of check-ins: every bad row reported with its reason, nothing imported until
the whole file is clean."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from volunteers.imports import TEMPLATES
from volunteers.models import MemberCheckIn, UnitCheckIn

from . import factories

pytestmark = pytest.mark.django_db
YEAR = str(timezone.localdate().year)


def _upload(kind: str, rows: list[list[str]]) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TEMPLATES[kind]["headers"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "import.xlsx"
    return buffer


def test_the_template_downloads_with_its_headers(client, make_user):
    client.force_login(make_user("community_staff"))
    response = client.get("/volunteers/import/units/?template=1")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == TEMPLATES["units"]["headers"]


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(client, make_user, tree, unit):
    # given: one good row, and rows with an unknown unit, a community out of scope, a bad
    # year, a duplicate of an earlier row and a duplicate of an existing check-in
    other = factories.department("区民政局")
    factories.checkin(other, tree["community"])
    rows = [
        [unit.name, "党政机关", "甲社区", YEAR, "张三", "13800000000", "结对共建"],
        ["不存在的局", "", "甲社区", YEAR, "李四", "", ""],
        [unit.name, "", "乙社区", YEAR, "王五", "", ""],
        [unit.name, "", "甲社区", "1999", "赵六", "", ""],
        [unit.name, "", "甲社区", YEAR, "孙七", "", ""],
        [other.name, "", "甲社区", YEAR, "周八", "", ""],
    ]
    client.force_login(make_user("community_staff"))
    # when
    response = client.post("/volunteers/import/units/", {"file": _upload("units", rows)})
    # then
    errors = {e.row: e.message for e in response.context["plan"].errors}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "名录" in errors[3] and "管辖" in errors[4] and "年度" in errors[5]
    assert "重复" in errors[6] and "已在" in errors[7]
    assert UnitCheckIn.objects.filter(department=unit).count() == 0


def test_a_clean_file_imports_every_row(client, make_user, tree, unit):
    client.force_login(make_user("community_staff"))
    rows = [[unit.name, "医院", "甲社区", YEAR, "张三", "13800000000", "义诊"]]
    response = client.post("/volunteers/import/units/", {"file": _upload("units", rows)})
    assert response.status_code == 302
    checkin = UnitCheckIn.objects.get(department=unit)
    assert (checkin.unit_type, checkin.state) == ("hospital", "pending")


def test_member_import_refuses_a_person_checked_in_elsewhere(client, make_user, tree):
    factories.member(tree["other_community"], phone="13911112222")
    rows = [
        ["王一", "", "13911112222", "区民政局", "机关党支部", "甲社区", "", "政策宣传", ""],
        ["王二", "", "13911113333", "区民政局", "", "甲社区", "", "", ""],
        ["王三", "", "13911114444", "区民政局", "机关党支部", "甲社区", "", "乱填", ""],
        ["王四", "", "13911115555", "区民政局", "机关党支部", "甲社区", "", "关爱老人", ""],
    ]
    client.force_login(make_user("community_staff"))
    response = client.post("/volunteers/import/members/", {"file": _upload("members", rows)})
    errors = {e.row: e.message for e in response.context["plan"].errors}
    assert set(errors) == {2, 3, 4}
    assert "两个社区" in errors[2]
    assert MemberCheckIn.objects.count() == 1
    # the clean row alone imports
    response = client.post("/volunteers/import/members/", {"file": _upload("members", rows[3:])})
    assert response.status_code == 302
    assert MemberCheckIn.objects.filter(name="王四", community=tree["community"]).exists()

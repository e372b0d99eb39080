"""A check-in row names all that is wrong with it, and Chinese labels are read in English."""

import pytest

from volunteers.models import MemberCheckIn, UnitCheckIn

from .test_imports import YEAR, _upload

pytestmark = pytest.mark.django_db


def test_every_error_of_a_member_row_is_listed(client, make_user, tree):
    client.force_login(make_user("community_staff"))
    # 姓名 身份证号 手机号 工作单位 所在党支部 报到社区 认领网格 服务领域 报到日期
    row = [
        "李四",
        "",
        "12345",
        "区民政局",
        "机关支部",
        "甲社区",
        "",
        "唱歌、环境整治",
        "2099-01-01",
    ]
    page = client.post("/volunteers/import/members/", {"file": _upload("members", [row])})
    text = page.content.decode()
    for reason in ("手机号须为 11 位数字", "服务领域“唱歌”无效", "报到日期不能晚于今天"):
        assert reason in text, reason
    assert not MemberCheckIn.objects.exists()


def test_a_chinese_unit_file_imports_in_the_english_interface(client, make_user, tree, unit):
    client.force_login(make_user("community_staff"))
    client.cookies["django_language"] = "en"
    row = [unit.name, "事业单位", "甲社区", YEAR, "张三", "13800000000", "结对共建"]
    response = client.post("/volunteers/import/units/", {"file": _upload("units", [row])})
    assert response.status_code == 302, response.content.decode()[-1500:]
    assert UnitCheckIn.objects.get().unit_type == "institution"

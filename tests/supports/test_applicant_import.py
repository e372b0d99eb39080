"""The applicants import reports every error of every row, states each column's format, and
writes nothing unless the whole file is clean."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from supports.models import Applicant
from supports.services import careers
from supports.services.careers.applicants import APPLICANT_TEMPLATE
from tests.governance.factories import id_number

from .factories import round_

pytestmark = pytest.mark.django_db


def _file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(APPLICANT_TEMPLATE.headers))
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("applicants.xlsx", buffer.getvalue())


@pytest.fixture
def batch(tree):
    careers.quota_set(actor=None, community=tree["community"], post="staff", quota=3)
    batch = round_()
    careers.position_add(
        actor=None, round=batch, community=tree["community"], post="staff", openings=1
    )
    return batch


def test_every_error_of_an_applicant_row_is_reported(tree, batch):
    # 姓名 性别 身份证号 手机号 学历 中共党员 报考社区 报考岗位
    good = [
        "李一",
        "男",
        id_number(male=True),
        "13800000001",
        "本科",
        "是",
        "甲社区",
        "社区专职工作者",
    ]
    bad = ["李二", "男", "370405199013011234", "123", "博士", "也许", "甲社区", "社区专职工作者"]
    plan = careers.applicant_import(actor=None, round=batch, upload=_file([good, bad]))
    (error,) = plan.errors
    assert error.row == 3
    for reason in ("学历“博士”无效", "中共党员须填“是”或“否”", "手机号"):
        assert reason in error.message, (reason, error.message)
    assert "身份证" in error.message, error.message
    assert not Applicant.objects.exists()


def test_an_empty_required_cell_is_reported_once(tree, batch):
    row = ["", "男", id_number(male=True), "", "本科", "否", "甲社区", "社区专职工作者"]
    plan = careers.applicant_import(actor=None, round=batch, upload=_file([row]))
    (error,) = plan.errors
    assert error.message == "必填列未填写：姓名"


def test_a_clean_file_imports_every_applicant(tree, batch):
    rows = [
        ["李一", "男", id_number(male=True), "", "本科", "否", "甲社区", "社区专职工作者"],
        ["李二", "女", id_number(male=False), "13800000002", "大专", "是", "甲社区", "staff"],
    ]
    plan = careers.applicant_import(actor=None, round=batch, upload=_file(rows))
    assert not plan.errors
    assert Applicant.objects.filter(round=batch).count() == 2


def test_the_template_states_each_columns_format():
    formats = dict(APPLICANT_TEMPLATE.format_rows)
    assert "本科" in str(formats["学历"]) and "社区专职工作者" in str(formats["报考岗位"])
    assert "按文本格式" in str(formats["身份证号"])

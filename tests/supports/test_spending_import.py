"""The spending import lists every error of every row and reads Chinese labels in English."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from supports.models import FundSpending, SpendingPurpose
from supports.services.funds import SPENDING_TEMPLATE, spending_import

from .factories import budget

pytestmark = pytest.mark.django_db


def _file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(SPENDING_TEMPLATE.headers))
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("x.xlsx", buffer.getvalue())


def test_every_error_of_a_spending_row_is_reported(tree):
    year = timezone.localdate().year
    budget(tree["community"], year=year)
    row = ["2026-02-30", "无此类别", "无此用途", "事由", "-5", "张会计", ""]
    plan = spending_import(actor=None, community=tree["community"], year=year, upload=_file([row]))
    (error,) = plan.errors
    assert error.row == 2
    for reason in ("支出日期“2026-02-30”", "经费类别“无此类别”无效", "用途“无此用途”无效"):
        assert reason in error.message, (reason, error.message)
    assert not FundSpending.objects.exists()


def test_chinese_labels_are_read_in_the_english_interface(tree):
    year = timezone.localdate().year
    made = budget(tree["community"], year=year)
    today = timezone.localdate().isoformat()
    with translation.override("zh-hans"):
        kind, purpose = made.get_kind_display(), SpendingPurpose.choices[0][1]
    row = [today, str(kind), str(purpose), "慰问困难群众", "100", "张会计", "PZ-1"]
    with translation.override("en"):
        plan = spending_import(
            actor=None, community=tree["community"], year=year, upload=_file([row])
        )
    assert not plan.errors, plan.errors
    assert FundSpending.objects.count() == 1

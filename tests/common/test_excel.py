"""Exports are inert: a value that a spreadsheet would run as a formula stays text."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from common.excel import xlsx_response

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+2"]


def _cells(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows()]


def test_an_exported_formula_is_text_and_keeps_its_characters():
    response = xlsx_response(
        filename="测试", title="测试", headers=["值"], rows=[[value] for value in FORMULAS]
    )
    rows = _cells(response.content)
    assert [row[0].value for row in rows[1:]] == FORMULAS
    assert all(row[0].data_type == "s" for row in rows[1:])
    # No cell of the sheet's XML is a formula element.
    with zipfile.ZipFile(io.BytesIO(response.content)) as xlsx:
        sheet_xml = xlsx.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_a_failed_login_with_a_formula_as_username_reaches_the_auditor_as_text(make_user):
    # given: someone tries to log in with a formula as the username
    Client().post(reverse("accounts:login"), {"username": "=1+2", "password": "wrong-password-1"})
    # when: the auditor exports the audit log
    auditor = Client()
    auditor.force_login(make_user(Role.AUDITOR))
    response = auditor.get(reverse("accounts:audit_log"), {"export": "xlsx"})
    # then: the username is there as the text it was
    cells = [cell for row in _cells(response.content)[1:] for cell in row]
    planted = [cell for cell in cells if cell.value == "=1+2"]
    assert planted and all(cell.data_type == "s" for cell in planted)

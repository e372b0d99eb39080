"""Excel import of contracts and committee members: every bad row with its reason, nothing
imported until the file is clean."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from property_mgmt.imports import TEMPLATES
from property_mgmt.models import CommitteeMember, ServiceContract

from . import factories as f

pytestmark = pytest.mark.django_db


def _file(kind: str, rows: list[list[Any]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(TEMPLATES[kind].headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("x.xlsx", buffer.getvalue())


def test_a_bad_row_imports_nothing_and_says_why(
    client: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    company = f.company()
    client.force_login(make_user("community_staff"))
    good = [
        "甲社区",
        "甲小区",
        "物业企业",
        company.name,
        "HT-1",
        "2026-01-01",
        "2026-12-31",
        "二级",
        "1.2",
    ]
    overlapping = ["甲社区", "甲小区", "业主自管", "", "HT-2", "2026-06-01", "2027-05-31", "", ""]
    elsewhere = ["乙社区", "乙小区", "业主自管", "", "", "2026-01-01", "2026-12-31", "", ""]
    response = client.post(
        "/property/import/contracts/", {"file": _file("contracts", [good, overlapping, elsewhere])}
    )
    page = response.content.decode()
    assert "与第 2 行的合同时间重叠" in page
    assert "未找到乙社区的小区" in page
    assert not ServiceContract.objects.exists()
    # when the file is clean, every row goes in
    response = client.post("/property/import/contracts/", {"file": _file("contracts", [good])})
    assert response.status_code == 302
    assert ServiceContract.objects.get().company == company


def test_members_join_the_committee_in_office(
    client: Any, make_user: Any, tree: dict[str, Any]
) -> None:
    f.committee(tree["estate"], term_starts_on=date(2024, 1, 1), term_ends_on=date(2099, 1, 1))
    client.force_login(make_user("community_staff"))
    rows = [
        ["甲社区", "甲小区", "王主任", "主任", "是", "13812345678"],
        ["甲社区", "甲小区", "李四", "主任", "否", ""],
    ]
    page = client.post(
        "/property/import/members/", {"file": _file("members", rows)}
    ).content.decode()
    assert "与第 2 行同为主任" in page
    assert not CommitteeMember.objects.exists()
    rows[1][3] = "委员"
    assert (
        client.post("/property/import/members/", {"file": _file("members", rows)}).status_code
        == 302
    )
    assert CommitteeMember.objects.filter(is_party_member=True).get().name == "王主任"

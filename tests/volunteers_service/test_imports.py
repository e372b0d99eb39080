"""Excel import of volunteers and attendance: all rows or none, each bad row with its reason."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from volunteers.models import Attendance, Volunteer
from volunteers.service_imports import SERVICE_TEMPLATES

from . import factories

pytestmark = pytest.mark.django_db


def _file(kind: str, rows: list[list[Any]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(SERVICE_TEMPLATES[kind]["headers"])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("rows.xlsx", buffer.getvalue())


def test_volunteer_import_with_bad_rows_imports_nothing_and_names_each_row(tree, client, staff):
    client.force_login(staff)
    team = factories.team(tree["community"], name="红马甲公益团队")
    upload = _file("volunteers", [
        ["钱一", "13900000001", "甲社区", "红马甲公益团队", "理发", "周末"],
        ["钱二", "1390000", "甲社区", "", "", ""],
        ["钱三", "13900000003", "乙社区", "", "", ""],
        ["钱四", "13900000001", "甲社区", "", "", ""],
        ["钱五", "13900000005", "甲社区", "无此队", "", ""],
    ])  # fmt: skip
    page = client.post("/volunteers/service/import/volunteers/", {"file": upload})
    errors = [(e.row, e.message) for e in page.context["plan"].errors]
    assert errors == [
        (3, "手机号须为 11 位数字。"),
        (4, "社区“乙社区”不存在或不在您的管辖范围。"),
        (5, "与第 2 行手机号相同。"),
        (6, "队伍“无此队”不在甲社区。"),
    ]
    assert not Volunteer.objects.exists()
    # the good rows alone go in
    good = _file("volunteers", [["钱一", "13900000001", "甲社区", "红马甲公益团队", "理发", ""]])
    response = client.post("/volunteers/service/import/volunteers/", {"file": good})
    assert response.status_code == 302
    assert Volunteer.objects.get().memberships.get().team == team


def test_attendance_import_checks_time_and_hours_then_approves(tree, client, staff):
    client.force_login(staff)
    start = timezone.localtime(timezone.now() - timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    activity = factories.activity(tree["community"], starts_at=start, hours=2)
    first = factories.volunteer(tree["community"])
    second = factories.volunteer(tree["community"])
    day = start.strftime("%Y-%m-%d")
    bad = _file("attendance", [
        [activity.pk, first.phone, f"{day} 09:00", f"{day} 11:00", 2],
        [activity.pk, second.phone, f"{day} 13:00", "", 1],
        [activity.pk, "13700000000", "", "", 1],
        [activity.pk, second.phone, "", "", 2.5],
        [99999, second.phone, "", "", 1],
    ])  # fmt: skip
    page = client.post("/volunteers/service/import/attendance/", {"file": bad})
    errors = [(e.row, e.message) for e in page.context["plan"].errors]
    assert errors == [
        (3, "签到/签退时间不在活动时间内。"),
        (4, "手机号不是甲社区已登记的志愿者。"),
        (5, "服务时长须大于 0 且不超过活动时长 2.0 小时。"),
        (6, "活动编号“99999”不存在或不在您的管辖范围。"),
    ]
    assert not Attendance.objects.exists()
    good = _file("attendance", [
        [activity.pk, first.phone, f"{day} 09:00", f"{day} 11:00", 2],
        [activity.pk, second.phone, "", "", 1.5],
    ])  # fmt: skip
    assert client.post("/volunteers/service/import/attendance/", {"file": good}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.hours, first.points, second.hours) == (2, 20, 1.5)


def test_the_templates_download(client, staff):
    client.force_login(staff)
    for kind in SERVICE_TEMPLATES:
        response = client.get(f"/volunteers/service/import/{kind}/?template=1")
        assert response.status_code == 200 and response.content[:2] == b"PK"

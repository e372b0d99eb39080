"""Imports are bounded and run as jobs: a crafted workbook is refused before it is parsed, a
normal one runs through a job whose page shows its progress and outcome, and a bad row still
names its row and every reason with nothing written."""

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from accounts.roles import Role
from common import importjobs, importpages, imports
from common.importjobs import JobProgress, import_job_run, memory_cap
from common.models import ImportJob, ImportPhase, ImportState
from common.tasks import run_import_task
from governance.imports import TEMPLATES
from governance.models import Household, Resident

pytestmark = pytest.mark.django_db

URL = "/governance/import/residents/"


def _workbook(rows: list[list[Any]], *, at_row: int | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(TEMPLATES["residents"].headers))
    for row in rows:
        sheet.append(row)
    if at_row is not None:
        sheet.cell(row=at_row, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet(data: bytes, sheet_xml: bytes) -> bytes:
    """The workbook ``data`` with its first sheet's XML replaced (a crafted file)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for part in source.infolist():
            body = sheet_xml if part.filename == "xl/worksheets/sheet1.xml" else source.read(part)
            target.writestr(part.filename, body)
    return buffer.getvalue()


def _upload(data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = "ledger.xlsx"
    return upload


def _bomb(megabytes: int = 25) -> bytes:
    """A workbook whose sheet is ``megabytes`` of XML compressed to a few kilobytes."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData>'
    )
    padding = b"<row/>" * (megabytes * 1024 * 1024 // 6)
    return _with_sheet(_workbook([]), head + padding + b"</sheetData></worksheet>")


def _resident(name: str, room: str, **cells: str) -> list[str]:
    # 小区, 楼栋, 单元, 室, 姓名, 性别, 出生日期, 身份证号, 手机号, 与户主关系, 关爱标签
    row = ["甲小区", "1号楼", "1", room, name, "男", "", "", "", "户主", ""]
    for index, header in enumerate(TEMPLATES["residents"].headers):
        if header in cells:
            row[index] = cells[header]
    return row


@pytest.fixture
def staff(tree: Any, make_user: Any, client: Any) -> Any:
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    return client


@pytest.fixture
def queued(monkeypatch: Any) -> list[int]:
    """Tasks go to a broker (as in production) instead of running in-process: the ids sent."""
    sent: list[int] = []
    monkeypatch.setattr(importpages, "_in_process", lambda: False)
    monkeypatch.setattr(run_import_task, "delay", sent.append)
    return sent


def test_a_zip_bomb_is_refused_at_once_with_its_size_and_nothing_changes(tree, staff):
    data = _bomb()
    assert len(data) < 200 * 1024  # small on the wire, 25 MB once inflated
    response = staff.post(URL, {"community": tree["community"].pk, "file": _upload(data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "解压后有 25 MB，超过单个部分 20 MB 的上限" in page
    assert not ImportJob.objects.exists()
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_the_archive_bounds_each_refuse_with_their_own_reason(monkeypatch):
    # given a part that inflates a thousand times (within the size limits)
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    squeezed = _with_sheet(_workbook([]), head + b" " * (2 * 1024 * 1024) + b"</worksheet>")
    # then
    with pytest.raises(ValidationError, match="压缩比异常"):
        imports.check_workbook(_upload(squeezed))
    with pytest.raises(ValidationError, match="无法读取该文件"):
        imports.check_workbook(_upload(b"PK\x03\x04 not really a zip"))
    monkeypatch.setattr(imports, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    with pytest.raises(ValidationError, match="文件解压后有 2 MB，超过上限 1 MB"):
        imports.check_workbook(_upload(squeezed))


def test_a_sheet_with_too_many_rows_is_refused_and_nothing_changes(tree, staff):
    data = _workbook([_resident("王一", "101")], at_row=25_000)
    response = staff.post(URL, {"community": tree["community"].pk, "file": _upload(data)})
    assert "工作表有 25000 行，超过上限 20000 行" in response.content.decode()
    assert not ImportJob.objects.exists() and not Resident.objects.exists()


def test_a_sheet_declaring_too_many_columns_is_refused():
    workbook = Workbook()
    workbook.active.cell(row=1, column=200, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match="工作表有 200 列，超过上限 60 列"):
        imports.check_workbook(_upload(buffer.getvalue()))


def test_a_sheet_that_hides_its_length_is_still_stopped_at_the_row_limit():
    # given a sheet that declares ten rows and holds a row far below them
    head = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:K10"/><sheetData>'
    )
    headers = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(TEMPLATES["residents"].headers)
    ).encode()
    rows = b'<row r="1">' + headers + b'</row><row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    data = _with_sheet(_workbook([]), head + rows + b"</sheetData></worksheet>")
    imports.check_workbook(_upload(data))  # the declared dimension is within bounds
    # when / then: reading stops at the limit and refuses the file, never cuts it silently
    with pytest.raises(ValidationError, match="超过上限 20000 行"):
        imports.read_rows(_upload(data), TEMPLATES["residents"])


def test_a_normal_import_runs_as_a_job_with_its_progress_then_its_result(
    tree, staff, queued, django_capture_on_commit_callbacks
):
    data = _workbook([_resident("赵大", "201"), _resident("孙三", "202", 性别="女")])
    # when the file is uploaded
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(URL, {"community": tree["community"].pk, "file": _upload(data)})
    # then the page moves to the job, which is queued and polls; nothing is written yet
    job = ImportJob.objects.get()
    assert queued == [job.pk]
    assert response.status_code == 302 and response.url == f"/imports/{job.pk}/"
    page = staff.get(response.url).content.decode()
    assert "排队中" in page and f'hx-get="/imports/{job.pk}/"' in page
    assert not Resident.objects.exists()
    # when the worker runs it
    import_job_run(job.pk)
    # then the fragment shows the result, stops polling, and the rows are in
    fragment = staff.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "已导入 2 条记录（新建住户 2 户）" in fragment and "hx-get" not in fragment
    assert 'href="/governance/ledgers/residents/"' in fragment
    assert Resident.objects.count() == 2
    job.refresh_from_db()
    assert job.state == ImportState.DONE and job.written == 2 and not job.file
    # and a second delivery of the task changes nothing
    assert import_job_run(job.pk) is None
    assert Resident.objects.count() == 2


def test_a_running_job_shows_its_phase_and_rows(tree, make_user, client):
    user = make_user(Role.COMMUNITY_STAFF)
    client.force_login(user)
    job = ImportJob.objects.create(
        user=user, title="居民导入模板", runner="x", state=ImportState.RUNNING
    )
    progress = JobProgress(job.pk, seconds=60)
    progress.phase(ImportPhase.CHECKING, 400)
    progress(100)
    fragment = client.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "检查数据" in fragment and "已处理 100 / 400 行" in fragment
    assert 'value="25"' in fragment and 'hx-trigger="every 2s"' in fragment


def test_a_bad_row_in_a_job_names_its_row_and_reason_and_writes_nothing(
    tree, staff, queued, django_capture_on_commit_callbacks
):
    rows = [_resident("王一", "101"), _resident("王二", "102", 楼栋="9号楼", 手机号="12345")]
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(URL, {"community": tree["community"].pk, "file": _upload(_workbook(rows))})
    job = import_job_run(queued[0])
    assert job is not None and job.state == ImportState.REFUSED
    assert [error["row"] for error in job.errors] == [3], job.errors
    page = staff.get(f"/imports/{job.pk}/").content.decode()
    assert '<td data-label="行号">3</td>' in page
    assert "没有楼栋“9号楼”" in page and "手机号须为 11 位" in page, job.errors
    assert "未导入任何数据" in page and f'href="{URL}"' in page
    assert not Resident.objects.exists() and not Household.objects.exists()


def test_in_process_the_page_shows_the_outcome_as_before(tree, staff):
    rows = [_resident("王一", "101"), _resident("王二", "102", 与户主关系="表亲")]
    page = staff.post(URL, {"community": tree["community"].pk, "file": _upload(_workbook(rows))})
    assert "与户主关系“表亲”无效" in page.content.decode()
    assert ImportJob.objects.get().state == ImportState.REFUSED
    assert not Resident.objects.exists()


def test_a_job_past_its_time_is_stopped_with_nothing_written(
    tree, staff, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importjobs, "time_limit", lambda: -1)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            URL,
            {
                "community": tree["community"].pk,
                "file": _upload(_workbook([_resident("王一", "1")])),
            },
        )
    job = import_job_run(queued[0])
    assert job is not None and job.state == ImportState.FAILED
    assert "已停止，未导入任何数据" in job.message
    assert not Resident.objects.exists()


def test_another_users_job_is_not_found(tree, make_user, client):
    job = ImportJob.objects.create(user=make_user(Role.COMMUNITY_STAFF), title="t", runner="x")
    client.force_login(make_user(Role.COMMUNITY_STAFF))
    assert client.get(f"/imports/{job.pk}/").status_code == 404


def test_the_memory_cap_stops_an_allocation_beyond_it_and_is_lifted_after():
    with pytest.raises(MemoryError), memory_cap(64):
        bytearray(512 * 1024 * 1024)
    assert len(bytearray(128 * 1024 * 1024)) == 128 * 1024 * 1024

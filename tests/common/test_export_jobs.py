"""Exports as jobs (common.exports): above PORTAL_EXPORT_SYNC_ROWS rows the export is a Celery
job (run eagerly in the tests once the request commits) with a progress page and a download
link for its requester only; the file lies in private storage and is kept a day."""

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditAction, AuditLog
from common.excel import write_xlsx
from common.exports import export_job_run, export_jobs_purge
from common.models import ExportJob, ExportState
from governance.models import Household
from tests.governance.factories import building_in, household

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_jobs(settings: Any, tmp_path: Path) -> Path:
    settings.PORTAL_EXPORT_SYNC_ROWS = 2
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sheet_rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_a_small_export_is_the_file_at_once(new_case, people):
    case = new_case(title="一号楼漏水", urgent=True)
    response = client_for(people["community"]).get("/cases/?export=xlsx")
    assert response.status_code == 200
    header, row = sheet_rows(response.content)
    cells = dict(zip(header, row, strict=True))
    assert cells["编号"] == case.number and cells["标题"] == "一号楼漏水"
    assert cells["类别"] == str(case.category) and cells["状态"] == "待受理"
    assert (cells["街道/镇"], cells["社区"]) == ("甲街道", "甲社区")
    assert cells["层级"] == case.get_tier_display() and cells["加急"] == "是"
    assert cells["督办"] is None and cells["满意度"] is None  # blank
    assert not ExportJob.objects.exists()


def test_a_large_export_runs_as_a_job_with_progress_and_a_link(
    new_case, people, small_jobs, django_capture_on_commit_callbacks
):
    # given: three cases, one of them filtered out
    for title in ("一号楼漏水", "二号楼漏水", "三号楼漏水"):
        new_case(title=title)
    new_case(title="路灯不亮")
    client = client_for(people["community"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/cases/?q=漏水&export=xlsx")
    # then: the job's page, the file with every filtered row, audited once
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/exports/{job.pk}/"
    assert (job.state, job.total, job.done) == (ExportState.DONE, 3, 3)
    page = client.get(response["Location"]).content.decode()
    assert "共 3 行" in page and 'data-testid="export-download"' in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200
    rows = sheet_rows(b"".join(download.streaming_content))  # type: ignore[attr-defined]
    assert rows[0][0] == "编号" and sorted(r[1] for r in rows[1:]) == [
        "一号楼漏水", "三号楼漏水", "二号楼漏水",
    ]  # fmt: skip
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=people["community"]).count()
    # the file is private: under the private root, not the public media
    assert Path(job.file.path).is_relative_to(small_jobs / "private")
    assert not (small_jobs / "media").exists() or not any((small_jobs / "media").rglob("*.xlsx"))


def test_another_user_never_sees_the_job(new_case, people, django_capture_on_commit_callbacks):
    for _n in range(3):
        new_case()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people["community"]).get("/cases/?export=xlsx")
    job = ExportJob.objects.get()
    other = client_for(people["street"])  # sees the same cases, but not the job
    assert other.get(f"/exports/{job.pk}/").status_code == 404
    assert other.get(f"/exports/{job.pk}/download/").status_code == 404
    assert "export-list" not in other.get("/exports/").content.decode()


def test_a_running_job_polls_and_shows_how_far_it_is(people):
    job = ExportJob.objects.create(
        user=people["community"], title="事件台账", path="/cases/", query="export=xlsx",
        page="cases.views.CaseListPage",
        total=8000, done=2000, state=ExportState.RUNNING,
    )  # fmt: skip
    fragment = client_for(people["community"]).get(
        f"/exports/{job.pk}/", headers={"HX-Request": "true"}
    )
    body = fragment.content.decode()
    assert 'hx-trigger="every 2s"' in body and 'value="25"' in body
    assert "已写入 2000 / 8000 行" in body.replace(",", "") and "<html" not in body


def test_a_job_runs_once_and_a_day_later_is_gone(
    new_case, people, django_capture_on_commit_callbacks
):
    for _n in range(3):
        new_case()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people["community"]).get("/cases/?export=xlsx")
    job = ExportJob.objects.get()
    assert export_job_run(job.pk) is None  # a redelivered task changes nothing
    path = Path(job.file.path)
    assert path.exists()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_for(people["community"]).get(f"/exports/{job.pk}/").status_code == 404
    assert export_jobs_purge() == 1
    assert not path.exists() and not ExportJob.objects.exists()


def test_a_ledger_export_job_keeps_the_ledger_scope(
    tree, people, django_capture_on_commit_callbacks
):
    for room in ("101", "102", "103"):
        household(tree["building"], room=room)
    household(building_in(tree["other_estate"]), room="999")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["community"]).get(
            "/governance/ledgers/households/?export=xlsx"
        )
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == ExportState.DONE and job.total == 3
    assert Household.objects.count() == 4
    cells = {str(cell) for row in sheet_rows(Path(job.file.path).read_bytes()) for cell in row}
    assert not any("999" in cell for cell in cells)


def test_the_jobs_writer_makes_the_workbook_the_page_would(tmp_path):
    # given: what a ledger's cells hold
    moment = timezone.make_aware(datetime(2026, 11, 27, 17, 30, 5))
    rows: list[list[Any]] = [
        ["楼道垃圾堆放", "370405199001011234", "=HYPERLINK(1)", moment, 3, 2.5, True, None],
        ["路灯<不亮>&\x01", "", "-1", None, 0, 0.0, False, "已办结"],
    ]
    target = tmp_path / "x.xlsx"
    # when
    written = write_xlsx(target, title="事件台账[1]", headers=list("ABCDEFGH"), rows=rows)
    # then: openpyxl (and so Excel) reads back the values and the formats
    assert written == 2
    book = load_workbook(target)
    sheet = book.active
    assert sheet.title == "事件台账 1 "
    assert [c.value for c in sheet[1]] == list("ABCDEFGH") and sheet["A1"].font.b
    first = [c.value for c in sheet[2]]
    assert first[:3] == ["楼道垃圾堆放", "370405199001011234", "=HYPERLINK(1)"]
    assert first[3] == datetime(2026, 11, 27, 17, 30, 5) and first[4:7] == [3, 2.5, True]
    assert sheet["B2"].number_format == "@" and sheet["A2"].number_format == "General"
    assert sheet["C2"].data_type == "s" and sheet["C2"].quotePrefix
    assert sheet["D2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert [c.value for c in sheet[3]][:3] == ["路灯<不亮>&", None, "-1"]
    assert sheet["C3"].quotePrefix and sheet["H3"].value == "已办结"

"""The export's fast path (plain rows, one getter per column, the writer's cached cells) writes
what the page shows: the same values, dates, labels, and masked personal data stays masked, in
the file written at once and in the one a job writes."""

import html
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import load_workbook

from cases.models import Case
from common.exports import export_job_run
from common.listpage import EMPTY, cell_text
from common.models import ExportJob
from governance.views.ledgers import HouseholdLedgerPage, ResidentLedgerPage
from tests.governance.factories import household, resident

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def workbook_rows(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def sync_and_job_files(user: Any, path: str, settings: Any) -> list[list[list[Any]]]:
    """The workbook of ``path``'s export written in the request, then by a job."""
    client = Client()
    client.force_login(user)
    settings.PORTAL_EXPORT_SYNC_ROWS = 5000
    response = client.get(path, {"export": "xlsx"})
    assert response.status_code == 200
    files = [workbook_rows(response.content)]
    settings.PORTAL_EXPORT_SYNC_ROWS = 0
    assert client.get(path, {"export": "xlsx"}).status_code == 302
    job = export_job_run(ExportJob.objects.latest("pk").pk)
    assert job is not None
    files.append(workbook_rows(Path(job.file.path).read_bytes()))
    return files


def shown_rows(user: Any, path: str, page_class: type[Any]) -> list[list[str]]:
    """The page's cells as text, for every row (no export)."""
    request = RequestFactory().get(path)
    request.user = user
    page = page_class()
    page.setup(request)
    rows = list(page.load())
    page.prepare(rows)
    return [
        [html.unescape(strip_tags(cell.content)) for cell in page.row(obj).cells] for obj in rows
    ]


def as_shown(row: list[Any]) -> list[str]:
    return [EMPTY if value is None else cell_text(value) for value in row]


def label(case: Case, name: str) -> str | None:
    """A choice's label; blank for a blank value (as the case's pages leave it)."""
    return getattr(case, f"get_{name}_display")() if getattr(case, name) else None


def local(moment: datetime | None) -> datetime | None:
    return moment and timezone.localtime(moment).replace(tzinfo=None)


def same_moment(cell: Any, moment: datetime | None) -> bool:
    return moment is not None and abs((cell - moment).total_seconds()) < 0.001


def case_row(case: Case) -> list[Any]:
    """The export's row of ``case``, from the model (labels, names, local times)."""
    return [
        case.number, case.title, str(case.category), label(case, "state"),
        label(case, "tier"), case.street.name, case.community.name, case.area.name,
        case.address or None, label(case, "source"), "是" if case.is_urgent else None,
        label(case, "supervision"), label(case, "alert"), local(case.created_at),
        local(case.due_at), local(case.closed_at), label(case, "satisfaction"),
    ]  # fmt: skip


def test_the_case_export_writes_each_case_as_its_model_says(new_case, people, settings):
    # given: cases with labels, a flag, dates, blanks
    new_case(title="一号楼漏水", urgent=True)
    new_case(title="=1+1 路灯不亮")
    new_case(title="二号楼 302 室噪音", address="甲小区 2 号楼")
    cases = Case.objects.select_related("category__parent", "street", "community", "area")
    expected = {case.number: case_row(case) for case in cases}
    # when
    for rows in sync_and_job_files(people["community"], "/cases/", settings):
        # then: every case, each cell the model's value (dates as dates, to the millisecond)
        assert rows[0][:4] == ["编号", "标题", "类别", "状态"] and len(rows) == 4
        got = {row[0]: row for row in rows[1:]}
        assert got.keys() == expected.keys()
        for number, row in got.items():
            want = expected[number]
            assert row[:13] == want[:13] and row[16] == want[16]
            for cell, moment in zip(row[13:16], want[13:16], strict=True):
                assert (cell, moment) == (None, None) or same_moment(cell, moment)


def test_the_household_export_writes_the_rows_the_ledger_shows(tree, people, settings):
    for room in ("101", "102"):
        household(tree["building"], room=room)
    household(tree["building"], room="201", unit="")
    user = people["community"]
    path = "/governance/ledgers/households/"
    shown = shown_rows(user, path, HouseholdLedgerPage)
    assert len(shown) == 3 and any("1单元101室" in cell for row in shown for cell in row)
    for rows in sync_and_job_files(user, path, settings):
        assert rows[0] == ["地址", "户主", "备注", "在册", "更新时间"]
        assert [as_shown(row) for row in rows[1:]] == shown
        assert all(row[4] is not None and row[4].tzinfo is None for row in rows[1:])


def test_the_resident_export_keeps_personal_data_masked(tree, people, settings):
    home = household(tree["building"], room="301")
    person = resident(home, name="王五", phone="13912345678")
    user = people["community"]
    path = "/governance/ledgers/residents/"
    shown = shown_rows(user, path, ResidentLedgerPage)
    assert any(person.id_number_masked in row for row in shown)
    for rows in sync_and_job_files(user, path, settings):
        assert [as_shown(row) for row in rows[1:]] == shown
        cells = {str(cell) for row in rows for cell in row}
        assert person.id_number_masked in cells and "139****5678" in cells
        assert person.id_number not in cells and "13912345678" not in cells

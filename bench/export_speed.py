#!/usr/bin/env python
"""The time and memory of an export job (common.exports) on a loaded district.

A script, not a test: it prints figures and asserts nothing. It runs on the database that
``DATABASE_URL`` names, loaded by ``manage.py generate_load`` (the benchmark accounts), and for
each export runs the job in a fresh process, as a worker would: the rows alone (the query and
the page's cell values), then the whole job (the workbook written too), with the process's
peak resident memory.

    DATABASE_URL=... .venv/bin/python bench/export_speed.py [cases households ...]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: name: (user, page path, page class)
EXPORTS = {
    "cases": ("load_district_leader", "/cases/", "cases.views.CaseListPage"),
    "cases, street": ("load_street_staff", "/cases/", "cases.views.CaseListPage"),
    "households": (
        "load_district_leader",
        "/governance/ledgers/households/",
        "governance.views.ledgers.HouseholdLedgerPage",
    ),
    "households, street": (
        "load_street_staff",
        "/governance/ledgers/households/",
        "governance.views.ledgers.HouseholdLedgerPage",
    ),
}


def run_one(name: str, rows_only: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings

    from accounts.models import User
    from common.exports import PAGES, export_job_run
    from common.models import ExportJob

    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="export-speed-")
    username, path, page = EXPORTS[name]
    user = User.objects.get(username=username)
    job = ExportJob.objects.create(
        user=user, title=name, path=path, query="export=xlsx", page=page, total=0
    )
    started = time.perf_counter()
    try:
        if rows_only:
            from django.http import HttpRequest, QueryDict
            from django.urls import resolve

            resolve(path)
            request = HttpRequest()
            request.method, request.path, request.GET = "GET", path, QueryDict("export=xlsx")
            request.user = user
            view = PAGES[page]()
            view.setup(request)
            rows = view.load()
            columns = view.get_export_columns()
            count = sum(1 for _row in view.export_rows(rows, columns))
        else:
            done = export_job_run(job.pk)
            assert done is not None, "the job failed"
            count = done.done
            size = Path(done.file.path).stat().st_size
    finally:
        seconds = time.perf_counter() - started
        ExportJob.objects.filter(pk=job.pk).delete()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    what = "rows only" if rows_only else f"whole job, {size / 1e6:.1f} MB file"
    print(f"{name}: {count:,} rows, {what}: {seconds:.1f} s, peak memory {peak:.0f} MB", flush=True)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        run_one(sys.argv[2], rows_only=sys.argv[3] == "rows")
        return
    names = sys.argv[1:] or list(EXPORTS)
    for name in names:
        for mode in ("rows", "job"):
            subprocess.run([sys.executable, __file__, "--one", name, mode], check=True)


if __name__ == "__main__":
    main()

"""Exports as jobs: a list page's Excel export above ``PORTAL_EXPORT_SYNC_ROWS`` rows is written
by a Celery worker, not in the request (a street's 170,000 cases took 37-49 s, near the worker
timeout, and stopped silently at 50,000).

The page records the job (who, which page, its query string, how many rows) and audits the
export as it always does, in the request; the worker rebuilds the same page for the same user
(the URL resolves to its ``ListPage``, the filters and scope are the page's own), streams its rows
into a write-only workbook, saves it in private storage and counts its progress on the job row.
The requester's job page shows a progress bar, then a link; the file is kept a day and served
only to its requester. Every row is written: the page says how many before it starts.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.urls import resolve
from django.utils import timezone

from common.db import replica_reads
from common.excel import write_xlsx
from common.models import ExportJob, ExportState

log = logging.getLogger(__name__)

#: Every list page class by ``module.Class`` (``ListPage.__init_subclass__`` adds them).
PAGES: dict[str, type[Any]] = {}


def page_name(page_class: type[Any]) -> str:
    return f"{page_class.__module__}.{page_class.__qualname__}"


def register_page(page_class: type[Any]) -> None:
    PAGES[page_name(page_class)] = page_class


def sync_rows() -> int:
    """Exports up to this many rows are written in the request."""
    return int(getattr(settings, "PORTAL_EXPORT_SYNC_ROWS", 5000))


def row_count(rows: Any) -> int:
    return rows.count() if isinstance(rows, QuerySet) else len(rows)


def export_job_create(
    *, user: Any, title: str, page: Any, request: HttpRequest, total: int
) -> ExportJob:
    """The job of ``request``'s export on ``page`` (the caller enqueues it after commit)."""
    return ExportJob.objects.create(
        user=user,
        title=title[:100],
        path=request.path,
        page=page_name(type(page)),
        query=request.GET.urlencode(),
        total=total,
    )


def _page_request(job: ExportJob) -> tuple[Any, HttpRequest]:
    """The list page of the job as its requester asked for it."""
    match = resolve(job.path)  # loads the URLconf, so every page class is registered
    view_class = PAGES.get(job.page)
    if view_class is None:
        raise LookupError(f"{job.page} is not a list page")
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = job.path
    request.GET = QueryDict(job.query)
    request.META = {"REMOTE_ADDR": "", "SERVER_NAME": "worker", "SERVER_PORT": "80"}
    request.user = job.user
    page = view_class()
    page.setup(request, *match.args, **match.kwargs)
    return page, request


def export_job_run(job_id: int) -> ExportJob | None:
    """Write the job's file. Idempotent: only a queued job runs (a redelivered task, or a
    second worker, finds it running or finished and does nothing)."""
    if not ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING
    ):
        return None
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    scratch = Path(settings.PRIVATE_MEDIA_ROOT) / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        page, _request = _page_request(job)
        rows = page.load()
        columns = page.get_export_columns()

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job_id).update(done=done)

        with tempfile.NamedTemporaryFile(dir=scratch, suffix=".xlsx") as target:
            with replica_reads():  # the rows; the job's own row is written on the primary
                written = write_xlsx(
                    target,
                    title=job.title,
                    headers=[str(column.label) for column in columns],
                    rows=page.export_rows(rows, columns),
                    progress=progress,
                )
            target.seek(0)
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            job.file.save(f"{job.user_id}-{job.pk}-{stamp}.xlsx", File(target), save=False)
    except Exception as exc:
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            state=ExportState.FAILED, error=type(exc).__name__, finished_at=timezone.now()
        )
        return None
    ExportJob.objects.filter(pk=job_id).update(
        state=ExportState.DONE,
        file=job.file.name,
        done=written,
        total=written,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def export_job_unsent(job_id: int, error: str) -> None:
    """The queue refused the job (the broker is down): it ends at once as failed, and its page
    says to try again later, as an import's does (``common.importjobs.import_job_unsent``)."""
    ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.FAILED, error=error, finished_at=timezone.now()
    )


def export_jobs_purge() -> int:
    """Remove the jobs (and files) past their day."""
    return ExportJob.purge_expired()


def export_jobs_of(user: Any) -> QuerySet[ExportJob]:
    """The user's own jobs still kept: nobody sees another's."""
    return ExportJob.objects.filter(user=user, expires_at__gt=timezone.now())

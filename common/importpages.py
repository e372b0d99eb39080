"""The request side of an import job (``common.importjobs``), shared by every import page: the
upload becomes a job for a worker and the page moves to the job's progress page.

A job already finished when the page answers (tasks run in-process, as in the tests) shows its
outcome the way an import page always did: the ledger with a message, or the import page with
every bad row and its reasons.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import IO, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from common.importjobs import import_job_create, import_job_unsent
from common.imports import ImportPlan, RowError
from common.models import ImportJob, ImportState
from common.tasks import run_import_task

log = logging.getLogger(__name__)


def _in_process() -> bool:
    """Tasks run in this process (``CELERY_TASK_ALWAYS_EAGER``, as in the tests)."""
    return bool(run_import_task.app.conf.task_always_eager)


def _enqueue(job: ImportJob) -> None:
    if _in_process():
        run_import_task.delay(job.pk)  # in-process: this transaction sees the job's row
    else:
        transaction.on_commit(partial(run_import_task.delay, job.pk), robust=False)


def import_submit(
    request: HttpRequest,
    form: Any,
    *,
    runner: Callable[..., Any],
    title: Any,
    upload: IO[bytes],
    target: str,
    params: dict[str, Any] | None = None,
) -> tuple[HttpResponse | None, ImportPlan | None]:
    """Queue the import of ``upload`` by ``runner``. Returns the response to send (the job's
    page, or ``target`` with the message of a finished import), or else the plan of the
    finished job, whose errors the import page shows (``plan`` in
    ``includes/import_body.html``); a file refused before it is queued, or a job refused as a
    whole, puts its reason on ``form``."""
    try:
        job = import_job_create(
            user=request.user,
            runner=runner,
            title=str(title),
            upload=upload,
            params=params,
            back=request.get_full_path(),
            target=target,
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None, None
    try:
        _enqueue(job)
    except Exception:
        if _in_process() and run_import_task.app.conf.task_eager_propagates:
            raise
        log.exception("import %s could not be queued", job.pk)
        import_job_unsent(job)
    job.refresh_from_db()
    if not job.finished:
        return redirect("imports:status", pk=job.pk), None
    if job.state == ImportState.DONE:
        messages.success(request, job.message)
        return redirect(job.target or job.back), None
    if job.message:
        form.add_error(None, job.message)
    errors = [RowError(error["row"], error["message"]) for error in job.errors]
    return None, ImportPlan(rows=job.total, errors=errors)

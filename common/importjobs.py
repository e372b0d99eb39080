"""Imports as jobs: an Excel import is read, checked and written by a Celery worker, with a time
and a memory limit, never in the request (a crafted 181 KB workbook once held a request, and a
lock on its community, for 118 s and 1.7 GB).

The page checks the file's bounds at once (``common.imports.check_workbook``: a zip bomb or a
sheet declaring a million rows is refused before the job exists), stores the upload in private
storage and records the job: who, which import (a function an app registered with
:func:`import_runner`), its parameters and the interface language. The worker claims the job,
calls the app's function with a :class:`JobProgress` that writes the phase and the rows done on
the job row (the job page polls it), stops it past ``PORTAL_IMPORT_SECONDS`` and under an
address-space cap of ``PORTAL_IMPORT_MEMORY_MB``, and keeps the outcome: what was written, or
every bad row with its reasons, or why nothing was. The uploaded file is removed when the job
ends; the job row is kept a day for its owner only.

An app's function reads and checks the rows without holding a lock, then takes its lock only
for the write transaction (and checks again there what another import may have changed).
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.imports import check_workbook
from common.models import ImportJob, ImportPhase, ImportState

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

#: A job still queued or running this long after it was submitted was lost (a killed worker,
#: a lost message): it is marked failed, and nothing of it was written.
STALE = timedelta(minutes=15)


def time_limit() -> int:
    """Seconds a job may run (the task's soft limit is the same, its hard limit a little more)."""
    return int(getattr(settings, "PORTAL_IMPORT_SECONDS", 120))


def memory_limit_mb() -> int:
    """Megabytes of address space a job may add to its worker."""
    return int(getattr(settings, "PORTAL_IMPORT_MEMORY_MB", 1024))


@dataclass(frozen=True)
class Runner:
    name: str
    run: Callable[..., Any]
    summary: Callable[[Any], str]


#: Every import function by ``module.function`` (:func:`import_runner` adds them).
RUNNERS: dict[str, Runner] = {}


def runner_name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def import_runner(*, summary: Callable[[Any], str]) -> Callable[[F], F]:
    """Register an app's import function for the worker. It is called as
    ``run(*, actor, upload, params, progress)`` and returns the plan (``errors`` lists each bad
    row; a clean plan has been written); ``summary(plan)`` says what was written, in the
    requester's language."""

    def register(function: F) -> F:
        name = runner_name(function)
        RUNNERS[name] = Runner(name=name, run=function, summary=summary)
        return function

    return register


def _runner(name: str) -> Runner:
    """The registered function of a job: its module is imported only if it belongs to an
    installed app, and only a registered function runs."""
    module = name.rpartition(".")[0]
    if name not in RUNNERS and apps.get_containing_app_config(module) is not None:
        importlib.import_module(module)
    if name not in RUNNERS:
        raise LookupError(f"{name} is not an import")
    return RUNNERS[name]


class ImportTimeout(Exception):
    pass


class JobProgress:
    """What an import function tells of its progress, written on the job row (at most twice
    a second); past the deadline it stops the import, inline or in a worker alike."""

    def __init__(self, job_id: int, seconds: int) -> None:
        self.job_id = job_id
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self._written_at = 0.0

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ImportTimeout

    def phase(self, phase: str, total: int = 0) -> None:
        self._check_time()
        ImportJob.objects.filter(pk=self.job_id).update(phase=phase, total=total, done=0)

    def __call__(self, done: int) -> None:
        self._check_time()
        now = time.monotonic()
        if now - self._written_at >= 0.5:
            self._written_at = now
            ImportJob.objects.filter(pk=self.job_id).update(done=done)


@contextmanager
def memory_cap(megabytes: int) -> Iterator[None]:
    """Cap the process's address space at what it uses now plus ``megabytes`` while the block
    runs (an allocation beyond raises MemoryError), then lift the cap again. Where the
    platform has no such limit, nothing is capped."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def import_job_create(
    *,
    user: Any,
    runner: Callable[..., Any],
    title: str,
    upload: IO[bytes],
    params: dict[str, Any] | None = None,
    back: str = "",
    target: str = "",
    language: str = "",
) -> ImportJob:
    """The job of an upload, once its bounds hold (a ValidationError names the first one that
    does not, and no job is made). The caller queues it."""
    name = runner_name(runner)
    if name not in RUNNERS:
        raise LookupError(f"{name} is not an import")
    check_workbook(upload)
    job = ImportJob(
        user=user,
        title=str(title)[:100],
        runner=name,
        params=params or {},
        language=language or translation.get_language() or "",
        back=back[:255],
        target=target[:255],
    )
    upload.seek(0)
    job.file.save(f"{user.pk}-{timezone.now():%Y%m%d-%H%M%S}.xlsx", File(upload), save=False)
    job.save()
    return job


def _finish(job: ImportJob, **fields: Any) -> None:
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="", finished_at=timezone.now(), **fields)


def _messages(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, Conflict):
        return str(exc.message)
    return str(_("您没有权限进行该导入。"))


def import_job_run(job_id: int) -> ImportJob | None:
    """Read, check and write the job's file. Idempotent: only a queued job runs (a redelivered
    task, or a second worker, finds it running or finished and does nothing)."""
    if not ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, started_at=timezone.now()
    ):
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language or None):
        seconds = time_limit()
        try:
            runner = _runner(job.runner)
            with memory_cap(memory_limit_mb()), job.file.open("rb") as upload:
                plan = runner.run(
                    actor=job.user,
                    upload=upload,
                    params=job.params,
                    progress=JobProgress(job_id, seconds),
                )
        except (ValidationError, Conflict, PermissionDenied) as exc:
            _finish(job, state=ImportState.REFUSED, message=_messages(exc))
        except (ImportTimeout, SoftTimeLimitExceeded):
            _finish(
                job,
                state=ImportState.FAILED,
                message=_("导入超过 %(n)s 秒仍未完成，已停止，未导入任何数据。请拆分文件后再上传。")
                % {"n": seconds},
            )
        except MemoryError:
            _finish(
                job,
                state=ImportState.FAILED,
                message=_("导入所需内存超过上限，已停止，未导入任何数据。请拆分文件后再上传。"),
            )
        except Exception:
            log.exception("import %s failed", job_id)
            _finish(
                job,
                state=ImportState.FAILED,
                message=_("导入出错，未导入任何数据，请稍后重试。"),
            )
        else:
            if plan.errors:
                _finish(
                    job,
                    state=ImportState.REFUSED,
                    errors=[{"row": e.row, "message": str(e.message)} for e in plan.errors],
                )
            else:
                written = getattr(plan, "written", 0) or len(plan.objects)
                _finish(
                    job,
                    state=ImportState.DONE,
                    written=written,
                    done=plan.rows,
                    total=plan.rows,
                    message=runner.summary(plan),
                )
    job.refresh_from_db()
    return job


def import_job_unsent(job: ImportJob) -> None:
    """The queue refused the job (the broker is down): it ends at once, nothing imported."""
    _finish(
        job,
        state=ImportState.FAILED,
        message=_("后台任务暂不可用，未导入任何数据，请稍后重新上传。"),
    )
    job.refresh_from_db()


def import_jobs_of(user: Any) -> QuerySet[ImportJob]:
    """The user's own jobs still kept: nobody sees another's."""
    return ImportJob.objects.filter(user=user, expires_at__gt=timezone.now())


def import_job_get(*, user: Any, pk: int) -> ImportJob:
    """The user's job (ImportJob.DoesNotExist for another's). A job lost on the way (queued
    or running long past any limit) is marked failed first: its transaction never committed."""
    job = import_jobs_of(user).get(pk=pk)
    if not job.finished and job.created_at < timezone.now() - STALE:
        _finish(
            job,
            state=ImportState.FAILED,
            message=_("导入未能完成（后台任务中断），未导入任何数据，请重新上传。"),
        )
        job.refresh_from_db()
    return job


def import_jobs_purge() -> int:
    """Remove the jobs (and any file left) past their day."""
    return ImportJob.purge_expired()


__all__ = [
    "ImportJob",
    "ImportPhase",
    "ImportState",
    "JobProgress",
    "import_job_create",
    "import_job_get",
    "import_job_run",
    "import_jobs_purge",
    "import_runner",
]

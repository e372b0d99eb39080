"""Thin tasks over ``common.exports`` and ``common.importjobs``."""

from celery import shared_task

from common import idempotency
from common.exports import export_job_run, export_jobs_purge
from common.importjobs import import_job_run, import_jobs_purge, time_limit


@shared_task(time_limit=30 * 60, soft_time_limit=25 * 60, acks_late=True)
def run_export_task(job_id: int) -> int:
    """Write one export's file (a street's 170,000 cases take tens of seconds)."""
    job = export_job_run(job_id)
    return job.done if job is not None else 0


@shared_task(soft_time_limit=time_limit(), time_limit=time_limit() + 30, acks_late=True)
def run_import_task(job_id: int) -> int:
    """Read, check and write one import (bounded by ``common.importjobs``' time and memory
    limits; the soft limit ends it with nothing written, the hard one kills a stuck worker)."""
    job = import_job_run(job_id)
    return job.written if job is not None else 0


@shared_task
def purge_exports_task() -> int:
    """The day-old export and import jobs (the beat schedule's one purge)."""
    return export_jobs_purge() + import_jobs_purge()


@shared_task
def purge_idempotency_keys_task() -> int:
    """The ``Idempotency-Key`` rows (API keys and form tokens) past their 24 hours."""
    return idempotency.purge()

"""Thin Celery tasks of the dashboards."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def fold_rollups_task() -> int:
    """Fold the rollup journal (idempotent: a second run folds nothing more)."""
    return services.rollups_fold()

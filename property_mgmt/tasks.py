"""Thin Celery tasks of 红色物业."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services.routing import routing_resync

#: A lost database connection or a failover: worth another try soon (the beat runs again too).
DATABASE_TROUBLE = (OperationalError, InterfaceError, ConnectionError)


@shared_task(
    acks_late=True,
    expires=50 * 60,
    autoretry_for=DATABASE_TROUBLE,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def resync_routing_task() -> int:
    """Every hour (CELERY_BEAT_SCHEDULE): complaints of an area whose contract began or ran
    out go to the company serving it now (or to the community's rule). Idempotent, so a
    redelivered or doubled run changes nothing; ``expires`` drops a run that waited past the
    next one."""
    return routing_resync()

"""Thin Celery tasks of the cases app: they take ids and call a service."""

from celery import shared_task

from .services.deadlines import sweep_overdue
from .services.notifications import case_messages_send


@shared_task(acks_late=True, expires=55)
def sweep_overdue_task() -> dict[str, int]:
    """Every minute (CELERY_BEAT_SCHEDULE): yellow and red marks, notified once. Safe to run
    on two workers at once; ``expires`` drops a run that waited past the next one."""
    return sweep_overdue()


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_case_messages_task(case_id: int, key: str) -> int:
    """The SMS / e-mail of one event. Idempotent: each notification is sent once."""
    return case_messages_send(case_id=case_id, key=key)

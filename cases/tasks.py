"""Thin Celery tasks of the cases app: they take ids and call a service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services.deadlines import sweep_overdue
from .services.outbox import notification_messages_enqueue, outbox_relay

#: A lost database connection or a failover: worth another try soon (the beat runs again too).
DATABASE_TROUBLE = (OperationalError, InterfaceError, ConnectionError)


@shared_task(acks_late=True, expires=55)
def sweep_overdue_task() -> dict[str, int]:
    """Every minute (CELERY_BEAT_SCHEDULE): yellow and red marks, notified once. Safe to run
    on two workers at once; ``expires`` drops a run that waited past the next one."""
    return sweep_overdue()


@shared_task(
    acks_late=True,
    expires=60,
    autoretry_for=DATABASE_TROUBLE,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def relay_outbox_task() -> dict[str, int]:
    """Send the due SMS / e-mail of the outbox (beat, every few seconds, and woken after a
    commit that queued messages). Any number may run at once: each row is locked while sent.
    A killed run loses nothing (its row rolls back to pending), so the task needs no
    redelivery; ``expires`` drops a run that waited in the queue past the next beat."""
    return outbox_relay()


@shared_task(acks_late=True)
def send_case_messages_task(case_id: int, key: str) -> int:
    """The message task before the outbox, kept for what an upgrade finds in the queue: it
    queues the event's unsent messages in the outbox, which the relay sends."""
    return notification_messages_enqueue(case_id=case_id, key=key)

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True)
def clear_expired_sessions_task() -> None:
    """Delete expired sessions. Idempotent: a second run finds nothing to delete."""
    call_command("clearsessions")

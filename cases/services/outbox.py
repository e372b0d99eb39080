"""The message outbox and its relay: no SMS / e-mail is lost, none is sent twice.

A service that tells someone of a case event writes the message row (:func:`messages_enqueue`)
in its own transaction, so the message exists exactly when the change does: a rolled-back
change leaves no message, a committed one always has its message, whatever happens to the
broker or a worker afterwards. After commit the relay is woken (a hint only: when the broker is
down the beat relay finds the row anyway).

:func:`outbox_relay` (the beat task every few seconds, or ``manage.py outbox_relay``) takes the
due rows one at a time under ``SELECT … FOR UPDATE SKIP LOCKED``, calls the channel while it
holds the row, and marks the row sent in the same transaction only after the channel returned.
Two relays never hold the same row; a relay killed mid-send rolls back, its row stays pending and
the next run sends it. A channel error counts an attempt and puts the row off with an
exponential delay; after ``CASES_OUTBOX_MAX_ATTEMPTS`` it is ``failed``, listed in the back
office and retried from there (:func:`outbox_retry`). Log lines name the message id, the event,
the recipient's user id and the case number, never a phone number or a name.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.logging import mask_text
from accounts.models import AuditAction
from accounts.services import audit_record

from ..messaging import MessageChannel, PermanentFailure, get_channel, render_message
from ..models import Case, Notification, OutboxMessage, OutboxState
from ..signals import messages_queued

logger = logging.getLogger("cases.outbox")

_wake_relay: ContextVar[bool] = ContextVar("outbox_wake_relay", default=True)


def max_attempts() -> int:
    return int(getattr(settings, "CASES_OUTBOX_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> timedelta:
    """The delay after the ``attempts``-th failure: the base doubled each time, capped."""
    base = float(getattr(settings, "CASES_OUTBOX_BACKOFF_SECONDS", 30))
    cap = float(getattr(settings, "CASES_OUTBOX_BACKOFF_MAX_SECONDS", 3600))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def message_key(*, recipient_id: int, notification_key: str) -> str:
    return f"case:{recipient_id}:{notification_key}"


@contextmanager
def relay_not_woken() -> Iterator[None]:
    """Write messages without touching the broker (``manage.py sweep_overdue``): the rows wait
    for the next relay run."""
    token = _wake_relay.set(False)
    try:
        yield
    finally:
        _wake_relay.reset(token)


def _announce() -> None:
    messages_queued.send(sender=OutboxMessage)


def messages_enqueue(
    *, case: Case, event: str, users: Iterable[int], notification_key: str, fallback: str = ""
) -> int:
    """Write the SMS / e-mail of one notification event, one row per recipient, in the caller's
    transaction. Written twice (a second sweep, a retried request) it adds nothing: the key is
    unique. Returns the rows the call inserted or found."""
    text = render_message(event, case, fallback=fallback)
    rows = [
        OutboxMessage(
            key=message_key(recipient_id=user_id, notification_key=notification_key),
            recipient_id=user_id,
            case=case,
            case_number=case.number,
            event=event,
            notification_key=notification_key,
            text=text,
        )
        for user_id in users
    ]
    if not rows or not text:
        return 0
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if _wake_relay.get():
        connection = transaction.get_connection()
        if not any(entry[1] is _announce for entry in connection.run_on_commit):
            transaction.on_commit(_announce, robust=True)
    return len(rows)


@transaction.atomic
def notification_messages_enqueue(*, case_id: int, key: str) -> int:
    """The outbox rows of notifications written before the outbox existed (a message task still
    queued at the upgrade): their messages are queued like any other, once."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    unsent = Notification.objects.filter(case=case, key=key, sent_at=None)
    rows = 0
    for kind, text in unsent.values_list("kind", "text").distinct():
        users = unsent.filter(kind=kind).values_list("recipient_id", flat=True)
        rows += messages_enqueue(
            case=case, event=kind, users=list(users), notification_key=key, fallback=text
        )
    return rows


def _error_text(exc: BaseException) -> str:
    return mask_text(f"{type(exc).__name__}: {exc}")[:300]


def _deliver(message: OutboxMessage, channel: MessageChannel, now: datetime) -> str:
    """Call the channel for one locked row and record the outcome on it."""
    message.attempts += 1
    try:
        # A savepoint: a channel that fails on a database error leaves the row's transaction usable.
        with transaction.atomic():
            channel.send(
                recipient=message.recipient,
                event=message.event,
                text=message.text,
                case_number=message.case_number,
                key=message.key,
            )
    except Exception as exc:
        message.last_error = _error_text(exc)
        if isinstance(exc, PermanentFailure) or message.attempts >= max_attempts():
            message.state = OutboxState.FAILED
            outcome, level = "failed", logging.ERROR
        else:
            message.next_attempt_at = now + backoff(message.attempts)
            outcome, level = "retried", logging.WARNING
        logger.log(
            level,
            "outbox message %s id=%s event=%s user=%s case=%s attempts=%s error=%s",
            outcome, message.pk, message.event, message.recipient_id, message.case_number,
            message.attempts, type(exc).__name__,
        )  # fmt: skip
        message.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
        return outcome
    message.state = OutboxState.SENT
    message.sent_at = now
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "state", "sent_at"])
    if message.notification_key:
        Notification.objects.filter(
            recipient_id=message.recipient_id, key=message.notification_key, sent_at=None
        ).update(sent_at=now)
    logger.info(
        "outbox message sent id=%s event=%s user=%s case=%s attempts=%s",
        message.pk, message.event, message.recipient_id, message.case_number, message.attempts,
    )  # fmt: skip
    return "sent"


def outbox_relay(
    *,
    limit: int = 500,
    seconds: float = 50.0,
    now: datetime | None = None,
    channel: MessageChannel | None = None,
) -> dict[str, int]:
    """Send what is due, oldest first, at most ``limit`` rows or ``seconds`` of work. Each row
    is its own transaction: locked (SKIP LOCKED: a row another relay holds is passed over), sent,
    marked. ``now``: the clock (tests and drills move it)."""
    channel = channel or get_channel()
    counts = {"sent": 0, "retried": 0, "failed": 0}
    stop_at = time.monotonic() + seconds
    for _ in range(limit):
        if time.monotonic() > stop_at:
            break
        moment = now or timezone.now()
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(state=OutboxState.PENDING, next_attempt_at__lte=moment)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if message is None:
                break
            counts[_deliver(message, channel, moment)] += 1
    return counts


@transaction.atomic
def outbox_retry(*, ids: Iterable[int] | None = None, actor: Any = None) -> int:
    """Put failed messages back in the queue with a fresh count of attempts (all failed ones
    when ``ids`` is None); the next relay run sends them. Written to the audit log."""
    failed = OutboxMessage.objects.filter(state=OutboxState.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=list(ids))
    count = failed.update(state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now())
    if count:
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            username="system",
            target="cases.outbox_retry",
            detail={"messages": count},
        )
        transaction.on_commit(_announce, robust=True)
    return count


def outbox_counts() -> dict[str, int]:
    """Rows per state (the drill, ``manage.py outbox_relay``)."""
    counts = dict.fromkeys(OutboxState.values, 0)
    for row in OutboxMessage.objects.order_by().values("state").annotate(n=Count("id")):
        counts[row["state"]] = row["n"]
    return counts

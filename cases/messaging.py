"""The SMS / e-mail channel behind one interface, with a template per event.

``settings.CASES_MESSAGE_CHANNEL`` names the channel class (a dotted path); the default writes a
log line, and ``cases.messaging.EmailChannel`` sends mail through Django's e-mail backend. An SMS
provider is one more class with the same ``send`` method, chosen in settings, not in code.
Log lines carry the event, the user id and the case number, never a phone number or a name.

Channels are called only by the outbox relay (``cases.services.outbox``): ``send`` returns once
the channel has accepted the message and raises otherwise (the relay retries later);
:class:`PermanentFailure` says retrying cannot help. ``key`` is the message's unique key, for a
provider that deduplicates on a client message id.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("cases.messages")

DEFAULT_CHANNEL = "cases.messaging.LoggingChannel"


class PermanentFailure(Exception):
    """The channel refused the message for good (no such number, address rejected)."""


class MessageChannel(Protocol):
    def send(
        self, *, recipient: Any, event: str, text: str, case_number: str, key: str = ""
    ) -> None: ...


class LoggingChannel:
    def send(
        self, *, recipient: Any, event: str, text: str, case_number: str, key: str = ""
    ) -> None:
        logger.info("case message event=%s user=%s case=%s", event, recipient.pk, case_number)


class EmailChannel:
    def send(
        self, *, recipient: Any, event: str, text: str, case_number: str, key: str = ""
    ) -> None:
        if not recipient.email:
            logger.info("case message skipped (no e-mail) event=%s user=%s", event, recipient.pk)
            return
        send_mail(
            subject=text[:60],
            message=text,
            from_email=None,
            recipient_list=[recipient.email],
        )


def get_channel() -> MessageChannel:
    path = getattr(settings, "CASES_MESSAGE_CHANNEL", DEFAULT_CHANNEL)
    return import_string(path)()


def render_message(event: str, case: Any, fallback: str = "") -> str:
    """The SMS / e-mail text of ``event``: its template, or the notification's own text for an
    event that has none."""
    due = timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") if case.due_at else ""
    try:
        text = render_to_string(f"cases/messages/{event}.txt", {"case": case, "due": due})
    except TemplateDoesNotExist:
        return f"【事件处置】{fallback}" if fallback else ""
    return text.strip()

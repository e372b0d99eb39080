"""What happens after the cases services commit: queued SMS / e-mail wake the relay task.

The services only announce (``cases.signals``), so they need not import the tasks that call
them; ``CasesConfig.ready`` connects these receivers.
"""

import logging
from typing import Any

from django.dispatch import receiver

from .signals import messages_queued
from .tasks import relay_outbox_task

logger = logging.getLogger("cases.outbox")


@receiver(messages_queued, dispatch_uid="cases_wake_relay")
def _wake_relay(sender: Any, **kwargs: Any) -> None:
    """A hint, not a hand-over: the messages are already rows, and the beat relay sends them
    when the broker cannot be reached now. So a broker outage costs a delay, never a message,
    and never fails the request that committed them."""
    try:
        relay_outbox_task.apply_async(retry=False)
    except Exception as exc:  # the broker is down or unreachable: beat will find the rows
        logger.warning("outbox relay not woken (broker unavailable: %s)", type(exc).__name__)

"""What happens after the cases services commit: the SMS / e-mail of an event goes to its task.

The services only announce (``cases.signals``), so they need not import the tasks that call
them; ``CasesConfig.ready`` connects these receivers.
"""

from typing import Any

from django.dispatch import receiver

from .signals import notifications_written
from .tasks import send_case_messages_task


@receiver(notifications_written, dispatch_uid="cases_send_messages")
def _send_messages(sender: Any, *, case_id: int, key: str, **kwargs: Any) -> None:
    send_case_messages_task.delay(case_id, key)

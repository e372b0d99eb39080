"""Signals the cases services send, for the layers that carry their side effects out."""

from django.dispatch import Signal

#: The notifications of one event were committed (``case_id``, ``key``): their SMS / e-mail is
#: due. ``cases.receivers`` hands it to the Celery task.
notifications_written = Signal()

"""Signals the cases services send, for the layers that carry their side effects out."""

from django.dispatch import Signal

#: Outbox messages were committed: the relay may run now rather than at its next beat.
#: ``cases.receivers`` wakes the relay task (a hint only: with the broker down, beat finds them).
messages_queued = Signal()

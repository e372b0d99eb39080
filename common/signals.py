"""Signals the shared helpers send, for the apps above them to act on."""

from django.dispatch import Signal

#: An API request was refused with 403 (``request``, ``target``). ``accounts`` audits it.
access_denied = Signal()

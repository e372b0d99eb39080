"""The portal's domain errors and the one way each reaches a user.

Services raise Django's ``ValidationError`` for bad input and :class:`Conflict` for a change the
current state does not allow or that lost a race with another user. The API's exception handler
(``common.api.errors``) turns them into the error contract (400 with field messages, 409); pages
use :func:`form_errors` to show them on the form that was submitted, or :func:`message_errors`
for a button posted from a detail page. Nothing else translates them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


class Conflict(Exception):
    """A state change refused because of the object's current state, or one that lost a race
    (API: 409; page: the message, and nothing changed)."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    """A ``ValidationError``'s messages by field; errors of no field under ``non_field_errors``
    (the name DRF and the API contract use)."""
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def form_errors(form: Any, exc: ValidationError | Conflict) -> None:
    """Show a service's refusal on ``form``: each message on its field when the form has that
    field, otherwise at the top of the form."""
    if isinstance(exc, Conflict):
        form.add_error(None, str(exc.message))
        return
    for field, texts in validation_messages(exc).items():
        form.add_error(field if field in form.fields else None, texts)


def message_errors(request: HttpRequest, exc: ValidationError | Conflict) -> None:
    """Show a service's refusal of an action posted from a detail page as messages on the page
    it redirects back to."""
    if isinstance(exc, Conflict):
        messages.error(request, str(exc.message))
        return
    for text in exc.messages:
        messages.error(request, text)

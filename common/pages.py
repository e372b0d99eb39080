"""How a page handles a posted form, the same way on every page.

A view parses input into a form, resolves the objects through a scoped selector and hands the
form and its one service call (``save``, given the form's cleaned data) to one of these:

* :func:`form_view` for a page of its own that creates or edits a row: the form again, with the
  service's refusal on it (:func:`common.errors.form_errors`), or a success message and a
  redirect;
* :func:`form_action` for a button or small form posted from a detail page: the refusal or the
  success as messages (:func:`common.errors.message_errors`); the view then redirects back.

A refusal is one of the domain errors of :mod:`common.errors` (``ValidationError``,
``Conflict``); nothing is written when the service refuses.

Both give the form a one-time token (:mod:`common.once`): submitting one rendering of a form
twice saves once, and the second submit lands where the first did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from common import once
from common.errors import Conflict, form_errors, message_errors

T = TypeVar("T")


def _save(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], T],
    message: str | Callable[[T], str],
    refused: Callable[[ValidationError | Conflict], None],
) -> list[T]:
    """Call ``save`` with the valid form's data: its refusal goes to ``refused``, its success
    shows ``message``. ``[what save returned]``, or ``[]`` when it refused."""
    try:
        result = save(once.without_token(form.cleaned_data))
    except (ValidationError, Conflict) as exc:
        refused(exc)
        return []
    messages.success(request, message(result) if callable(message) else message)
    return [result]


def form_view(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], T],
    message: str | Callable[[T], str],
    success_url: str | Callable[[T], str],
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A create or edit page: on a valid POST call ``save``; when it succeeds, show ``message``
    and redirect to ``success_url`` (a URL or URL name, or one made from what ``save``
    returned); otherwise render ``template`` with the form (its errors on it) and ``context``."""
    once.protect(form)
    if request.method == "POST" and form.is_valid():

        def run() -> HttpResponse | bool:
            saved = _save(request, form, save, message, lambda exc: form_errors(form, exc))
            if not saved:
                return False
            return redirect(success_url(saved[0]) if callable(success_url) else success_url)

        response = once.submit_once(request, run)
        if response is not None:
            return response
    return render(request, template, {"form": form, **(context or {})})


def form_action(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], T],
    message: str | Callable[[T], str],
    invalid: str = "",
) -> None:
    """An action posted from a detail page: a form that does not validate shows ``invalid``
    (or, without it, each of the form's errors); a valid one calls ``save`` and shows its
    refusal or ``message``. The caller redirects back to the page. The detail page renders
    the form through :func:`common.once.protect` for a double submit to save once."""
    once.protect(form)
    if form.is_valid():
        once.submit_once(
            request,
            lambda: bool(
                _save(request, form, save, message, lambda exc: message_errors(request, exc))
            ),
            page=False,
        )
    elif invalid:
        messages.error(request, invalid)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))

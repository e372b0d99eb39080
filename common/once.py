"""One-time form tokens: a form submitted twice (a double click, a resend after a slow answer)
makes one object.

:func:`protect` adds a hidden field with a fresh token to a form before it is rendered; every
template that loops over the form's fields (the shared ``includes/field.html`` renders hidden
ones) carries it without changing. :func:`submit_once` runs the save of a posted form once per
token: the token is claimed by inserting an :class:`~common.models.IdempotencyKey` row first
(``common.idempotency.take``: its unique constraint lets one request through), the save and
the remembered redirect are written in one transaction, and a second submit of the token is
sent where the first went (with a message) instead of saving again. A refused save gives the
token back, so the corrected form can be submitted with it. ``common.pages`` applies both to
every page built on ``form_view`` and ``form_action``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.db import transaction
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from common import idempotency
from common.models import IdempotencyKey

#: The hidden field's name; never passed on to a service.
FIELD = "once_token"
#: ``IdempotencyKey.method`` of a form token (API keys use the HTTP method).
METHOD = "FORM"
#: How long a second submit waits for the first to finish before it says so.
WAIT_SECONDS = 5.0

_REDIRECTS = (301, 302, 303)

F = TypeVar("F", bound=BaseForm)


def new_token() -> str:
    return secrets.token_urlsafe(18)


def protect(form: F) -> F:
    """Give ``form`` the hidden token field (a fresh token when it is rendered unbound; a bound
    form keeps the token it was posted with)."""
    if FIELD not in form.fields:
        form.fields[FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64, initial=new_token
        )
    return form


def without_token(data: dict[str, Any]) -> dict[str, Any]:
    """A form's cleaned data without the token, for the service."""
    return {key: value for key, value in data.items() if key != FIELD}


def _wait(row: IdempotencyKey) -> IdempotencyKey | None:
    """The first submit's row once it has finished (None if it gave the token back)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        current = IdempotencyKey.objects.filter(pk=row.pk).first()
        if current is None or current.status is not None or time.monotonic() > deadline:
            return current
        time.sleep(0.1)


def submit_once(
    request: HttpRequest, run: Callable[[], HttpResponse | bool], *, page: bool = True
) -> HttpResponse | None:
    """Run ``run`` (the save of a valid posted form) once per token posted in :data:`FIELD`.
    ``run`` answers the redirect it made when it saved, ``True`` when it saved and the caller
    redirects (a form posted from a detail page, ``page=False``), ``False`` when the service
    refused (the token is given back). A repeat of a spent token saves nothing: on a ``page``
    it is a redirect to where the first submit went, otherwise a message (None). Without a
    token, or for an anonymous user, ``run`` simply runs."""
    token = str(request.POST.get(FIELD, ""))[:64]
    if not token or not request.user.is_authenticated:
        return _response(run())
    ours, held = idempotency.take(
        user=request.user, key=token, method=METHOD, path=request.path, print_=""
    )
    if ours is None:
        first = _wait(held) if held is not None else None
        if first is None:
            return submit_once(request, run, page=page)
        if first.status is not None:
            messages.info(request, _("该表单已经提交过，未重复保存。"))
            return redirect(first.body) if page and first.body else None
        messages.warning(request, _("上一次提交仍在处理中，请勿重复提交，稍后刷新查看。"))
        return redirect(request.get_full_path()) if page else None
    try:
        with transaction.atomic():
            outcome = run()
            if outcome is not False:
                saved = outcome if isinstance(outcome, HttpResponse) else None
                location = (
                    saved["Location"]
                    if saved is not None and saved.status_code in _REDIRECTS
                    else ""
                )
                IdempotencyKey.objects.filter(pk=ours.pk).update(
                    status=saved.status_code if saved is not None else 200, body=location
                )
    except BaseException:
        idempotency.release(ours)
        raise
    if outcome is False:
        idempotency.release(ours)
    return _response(outcome)


def _response(outcome: HttpResponse | bool) -> HttpResponse | None:
    return outcome if isinstance(outcome, HttpResponse) else None

"""``Idempotency-Key`` for the API's writes: a client that lost an answer can send the request
again and get the first answer back, never a second case or a second transition.

The key is claimed by inserting its :class:`~common.models.IdempotencyKey` row (unique per
user, key, method and path) and committing it before the work starts: a concurrent request
with the key finds the row still without a status and is told 409 "in progress". The work,
and the response remembered with the row, are one transaction: what was written is always
remembered, and a request whose work was refused or failed gives the key back (nothing was
written, so a retry may do it). A repeat with another body is refused (422), since it cannot
be the same request. Keys are kept :data:`~common.models.IDEMPOTENCY_KEEP` (24 hours) and
purged by the hourly clean-up task.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY = 255


@dataclass(frozen=True)
class Stored:
    """A remembered answer."""

    status: int
    body: Any


class KeyInProgress(Exception):
    """Another request with this key is still at work."""


class KeyReused(Exception):
    """The key was used for a different request."""


def fingerprint(*, query: Any, data: Any, files: Any = ()) -> str:
    """A hash of what makes two requests the same: the query string, the parsed body (key
    order and whitespace do not matter) and each uploaded file's name, size and content."""

    def plain(value: Any) -> Any:
        if hasattr(value, "lists"):  # a QueryDict
            return {key: sorted(map(str, values)) for key, values in value.lists()}
        return value

    uploads = []
    for name, upload in sorted(files, key=lambda item: item[0]):
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        uploads.append([name, upload.name, upload.size, digest.hexdigest()])
    text = json.dumps(
        {"query": plain(query), "data": plain(data), "files": uploads},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def take(
    *, user: Any, key: str, method: str, path: str, print_: str
) -> tuple[IdempotencyKey | None, IdempotencyKey | None]:
    """Insert the key's row first: ``(our new row, None)``, or ``(None, the row of the request
    that holds the key)`` (an expired one is deleted and the key taken anew). Commits the
    row at once (call it outside any transaction). Shared by the API and ``common.once``."""
    lookup = {"user": user, "key": key, "method": method, "path": path[:500]}
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(**lookup, fingerprint=print_), None
        except IntegrityError:
            held = IdempotencyKey.objects.filter(**lookup).first()
        if held is None:
            continue
        if held.expires_at <= timezone.now():
            IdempotencyKey.objects.filter(pk=held.pk, expires_at__lte=timezone.now()).delete()
            continue
        return None, held
    return None, IdempotencyKey.objects.filter(**lookup).first()


def claim(*, user: Any, key: str, method: str, path: str, print_: str) -> IdempotencyKey | Stored:
    """Our new row, or the first request's answer. Raises :class:`KeyInProgress` while that
    request is at work and :class:`KeyReused` for another body."""
    ours, held = take(user=user, key=key, method=method, path=path, print_=print_)
    if ours is not None:
        return ours
    if held is None or held.status is None:
        if held is not None and held.fingerprint != print_:
            raise KeyReused()
        raise KeyInProgress()
    if held.fingerprint != print_:
        raise KeyReused()
    return Stored(status=held.status, body=json.loads(held.body) if held.body else None)


def run_once(
    row: IdempotencyKey,
    work: Callable[[], Any],
    *,
    status_of: Callable[[Any], int],
    body_of: Callable[[Any], str],
) -> Any:
    """Do ``work`` and remember its answer with ``row`` in the same transaction when it
    succeeded (2xx); otherwise, or when it raised, give the key back."""
    try:
        with transaction.atomic():
            answer = work()
            status = status_of(answer)
            if 200 <= status < 300:
                IdempotencyKey.objects.filter(pk=row.pk).update(
                    status=status, content_type="application/json", body=body_of(answer)
                )
    except BaseException:
        release(row)
        raise
    if not 200 <= status < 300:
        release(row)
    return answer


def release(row: IdempotencyKey) -> None:
    """Give a key back: only while it has no answer (a committed answer stays, even when the
    request failed after the commit)."""
    IdempotencyKey.objects.filter(pk=row.pk, status__isnull=True).delete()


def purge() -> int:
    """Delete the keys past their 24 hours."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted

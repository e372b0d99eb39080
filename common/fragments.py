"""Rendered HTML kept in the cache until what it shows changes: the filter bar of a list page,
whose choices (areas, categories in the actor's scope) are the costliest part of the page to
render and change seldom.

A fragment's key carries the version of every model it shows. A model is *watched* when its
app says so at start-up (``watch("governance.Area")`` in ``AppConfig.ready``, so that every
process, web or worker, bumps the version). Each save or delete of a watched model bumps its
version at once (the writer's next page shows the change) and again once the transaction
commits (a bar kept by another request from the data before the commit is not served after
it). A fragment that shows an unwatched model is never kept. Bulk updates send no signal:
the short timeout bounds how long such a change can stay unseen. When Redis is down nothing
is kept and every fragment is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

#: Seconds a fragment is kept at most (the bound for changes made without a signal).
TIMEOUT = 120
WATCHED: set[str] = set()


def watch(*labels: str) -> None:
    """Keep a version of these models (``app_label.ModelName``), bumped on every change."""
    WATCHED.update(labels)


def watched(label: str) -> bool:
    return label in WATCHED


def _version_key(label: str) -> str:
    return f"fragments:version:{label}"


def versions(labels: Iterable[str]) -> list[int]:
    """The current versions of ``labels`` (0 for a model never changed since the cache was
    emptied), in one round trip."""
    labels = list(labels)
    found = cache.get_many([_version_key(label) for label in labels])
    return [int(found.get(_version_key(label), 0)) for label in labels]


def bump(label: str) -> None:
    key = _version_key(label)
    cache.add(key, 0, None)
    try:
        cache.incr(key)
    except ValueError:  # the cache is down (or was emptied between the two calls)
        cache.set(key, 1, None)


def _changed(sender: Any, **kwargs: Any) -> None:
    label = sender._meta.label
    if label in WATCHED:
        bump(label)
        transaction.on_commit(partial(bump, label), using=kwargs.get("using"))


def connect() -> None:
    """Connected once by ``common``'s app config."""
    post_save.connect(_changed, dispatch_uid="common.fragments.saved")
    post_delete.connect(_changed, dispatch_uid="common.fragments.deleted")

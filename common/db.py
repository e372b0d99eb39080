"""Heavy reads on a read replica: dashboards, exports and the API's large lists.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database and
:class:`ReplicaRouter` sends the reads made inside :func:`replica_reads` there. Everything else
stays on the primary: every write, every read outside such a block, every read inside a
transaction on the primary (a service that locks a row and reads it again must see its own
writes), and the tables of logins and sessions (a replica a moment behind must not log a user
out). Without a replica the block changes nothing.

    @replica_reads
    def dashboard(request): ...

    with replica_reads():
        rows = list(selectors.case_list(actor=user))
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ContextDecorator
from contextvars import ContextVar, Token
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
#: Apps whose tables are always read on the primary.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "axes", "authtoken", "contenttypes", "django_celery_beat"}
)

_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)


class replica_reads(ContextDecorator):
    """Reads in this block (or view) may go to the replica."""

    def __init__(self) -> None:
        self._tokens: list[Token[bool]] = []

    def __enter__(self) -> replica_reads:
        self._tokens.append(_replica_wanted.set(True))
        return self

    def __exit__(self, *exc: Any) -> None:
        _replica_wanted.reset(self._tokens.pop())

    def _recreate_cm(self) -> replica_reads:
        return replica_reads()  # a decorated view runs in many threads at once


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def read_heavy(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page whose GET reads much and writes nothing: its reads may go to the replica."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaListMixin:
    """A DRF viewset whose ``list`` reads from the replica (one object, writes: the primary)."""

    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return super().list(request, *args, **kwargs)  # type: ignore[misc]


class ReplicaReadsMixin:
    """A read-only DRF viewset (statistics): every safe request may read from the replica."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method not in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        with replica_reads():
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads to the replica only when asked for and safe; writes and migrations never."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if not _replica_wanted.get() or not replica_configured():
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS

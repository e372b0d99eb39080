"""A Redis cache that degrades instead of failing.

The cache only ever holds what can be recomputed (session copies, throttle counters, cached
fragments), so when Redis is down a read is a miss and a write is skipped: pages, login and
the API keep working from PostgreSQL, and ``/healthz`` reports the broker as down. The first
failure of each minute is logged; none raises.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrading(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    """RedisCache's method ``name``, answering ``fallback(*args)`` while Redis is down."""
    method = getattr(RedisCache, name)

    def call(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except DOWN as exc:
            _warn(exc)
            return fallback(*args, **kwargs)

    call.__name__ = name
    return call


_last_warning = [0.0]


def _warn(exc: BaseException) -> None:
    now = time.monotonic()
    if now - _last_warning[0] > 60:
        _last_warning[0] = now
        log.warning("cache unavailable, serving without it: %s", type(exc).__name__)


def _missing_counter(*args: Any, **kwargs: Any) -> int:
    # A counter that cannot be read is not there: callers handle ValueError (a new window).
    raise ValueError("cache unavailable")


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a ``redis.Redis`` for every call (it copies some 170 response
    callbacks each time: a millisecond a page over its four or five calls). One client per
    connection pool serves them all; a ``redis.Redis`` is safe to share between threads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        base: Any = self  # Django's client is untyped
        index = base._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = base._get_connection_pool(write)
            client = self._clients[index] = base._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient

    get = _degrading("get", lambda key, default=None, version=None: default)
    get_many = _degrading("get_many", lambda *args, **kwargs: {})
    has_key = _degrading("has_key", lambda *args, **kwargs: False)
    set = _degrading("set", lambda *args, **kwargs: None)
    add = _degrading("add", lambda *args, **kwargs: False)
    set_many = _degrading("set_many", lambda data, *args, **kwargs: list(data))
    touch = _degrading("touch", lambda *args, **kwargs: False)
    delete = _degrading("delete", lambda *args, **kwargs: False)
    delete_many = _degrading("delete_many", lambda *args, **kwargs: None)
    incr = _degrading("incr", _missing_counter)
    clear = _degrading("clear", lambda *args, **kwargs: None)

"""The client's address, as the login lockout, the audit log and the API throttles all see it.

``AXES_PROXY_COUNT`` (setting ``AXES_IPWARE_PROXY_COUNT``) says how many reverse proxies stand in
front of the portal, each appending the address it saw to ``X-Forwarded-For``. With none, the
address is ``REMOTE_ADDR`` and ``X-Forwarded-For`` is ignored (anyone can write it); with *n*, it
is the *n*-th entry from the right, the one our outermost proxy wrote. Entries to its left came
from the client and are never trusted. django-axes reads it through ``AXES_CLIENT_IP_CALLABLE``
and :mod:`accounts.throttling` through ``get_ident``, so one setting decides for all of them.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: Any) -> str | None:
    meta = getattr(request, "META", {})
    remote = _valid(meta.get("REMOTE_ADDR", "") or "")
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    forwarded = [part for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part]
    if proxies <= 0 or not forwarded:
        return remote
    return _valid(forwarded[-min(proxies, len(forwarded))]) or remote

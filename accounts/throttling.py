"""API throttles keyed on the client address the login lockout sees.

DRF's own ``get_ident`` trusts the whole ``X-Forwarded-For`` header unless ``NUM_PROXIES`` is
set, so a client that forges a new address per request is never throttled. These throttles use
:func:`accounts.client_ip.client_address` instead, the function django-axes uses for the
lockout (``AXES_CLIENT_IP_CALLABLE``), with the same proxy count (``AXES_PROXY_COUNT``).
"""

from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle

from .client_ip import client_address


class ProxyAwareScopedRateThrottle(ScopedRateThrottle):
    def get_ident(self, request: Request) -> str:
        return client_address(request._request) or ""

"""DRF authentication by the portal's own credentials (``accounts.token_services``).

* :class:`ApiTokenAuthentication`: a user's named token in ``Authorization: Token <key>``
  (``Bearer`` is accepted too). An unknown, expired or revoked token is a 401 in the error
  contract, each with its own code, so a client knows to ask for a new one.
* :class:`Open311KeyAuthentication`: an Open311 client's ``api_key`` (query string or form
  body), as GeoReport v2 passes it. The request then acts as the client's account and
  ``request.auth`` is the :class:`~accounts.models.Open311Client`. An unknown or switched-off
  key is a 403, GeoReport v2's answer to an invalid ``api_key``.

A key in a query string would be written to access logs: gunicorn's format leaves query strings
out and ``accounts.logging`` redacts ``api_key=``, ``Authorization`` and anything shaped like a key.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from . import token_services
from .models import ApiToken, Open311Client

KEYWORDS = (b"token", b"bearer")


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("令牌已过期，请重新申请。")
    default_code = "token_expired"


class TokenRevoked(exceptions.AuthenticationFailed):
    default_detail = _("令牌已吊销。")
    default_code = "token_revoked"


class InvalidApiKey(exceptions.PermissionDenied):
    default_detail = _("api_key 无效或已停用。")
    default_code = "invalid_api_key"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from None
        token = token_services.api_token_authenticate(
            key, ip=get_client_ip_address(request._request) or None
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效。"))
        if token.revoked_at is not None:
            raise TokenRevoked()
        if not token.is_live:
            raise TokenExpired()
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("账号已停用。"))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'


class Open311KeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Open311Client] | None:
        key = request.query_params.get("api_key")
        if not key and request.method == "POST":
            key = request.data.get("api_key") if hasattr(request.data, "get") else None
        if not key:
            return None
        client = token_services.open311_client_authenticate(str(key))
        if client is None or not client.account.is_active:
            raise InvalidApiKey()
        return client.account, client

"""The API schema's description of the portal's own credentials (drf-spectacular finds an
extension by the authentication class it names)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key>: a named API token from POST /api/v1/auth/token/.",
        }


class Open311KeyScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.Open311KeyAuthentication"
    name = "open311Key"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "query",
            "name": "api_key",
            "description": "An Open311 client's key, registered by the security administrator.",
        }

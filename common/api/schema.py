"""The error contract in the API schema: every operation documents the 4xx answers it can give,
each with the one error body (``common.api.errors``), in one place rather than on each view.

``document_errors`` is a drf-spectacular postprocessing hook. What an operation can answer
follows from what the exception handler maps and from the operation itself:

* 400 ``invalid`` / ``bad_request``: any request (a malformed body or query, a body over the
  size limit);
* 401 and 403: any request (no or a bad credential; a role or a scope that may not act, or a
  session write without its CSRF token);
* 404: any request (an object named by the path, the body or a filter that does not exist
  or is outside the caller's scope, a page past the end);
* 409: a write (a transition not allowed from the current state, a race lost, a stale edit);
* 415: an operation with a request body sent in a type it does not parse;
* 422: a write that takes an ``Idempotency-Key`` (the key reused for another request);
* 429: an operation whose view is throttled (the token endpoint, whose lockout is a 429 too).

A response an operation documents itself (``extend_schema(responses=...)``) is kept.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.settings import api_settings

ERROR_COMPONENT = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "The API's one error body. `fields` holds a 400's messages by field (a list of "
        "messages, or the same shape again for a nested object) and is empty otherwise."
    ),
    "properties": {
        "code": {"type": "string", "description": "Machine-readable: invalid, not_found, ..."},
        "detail": {"type": "string", "description": "A message for people (zh-Hans)."},
        "fields": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "detail", "fields"],
}
DESCRIPTIONS = {
    "400": "Bad input: `fields` says what, by field.",
    "401": "Not authenticated, or the credential is invalid or expired.",
    "403": "The caller's role or scope may not take this action.",
    "404": "An object it names is not in the caller's scope (missing looks the same).",
    "409": "Not allowed from the object's current state, lost a race, or a stale edit.",
    "415": "The body's content type is not one this operation reads.",
    "422": "The Idempotency-Key was already used for a different request.",
    "429": "Too many requests (throttled or locked out); retry later.",
}
WRITES = {"post", "put", "patch", "delete"}
IDEMPOTENCY_HEADER = "idempotency-key"


def _shape(path: str) -> str:
    """A path with its parameters' names dropped (``{pk}`` and ``{id}`` alike)."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _throttled(generator: Any) -> set[tuple[str, str]]:
    """The (path shape, method) of each endpoint whose view has throttles."""
    found = set()
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        view_class = getattr(callback, "cls", None)
        initkwargs = getattr(callback, "initkwargs", {}) or {}
        throttles = initkwargs.get(
            "throttle_classes",
            getattr(view_class, "throttle_classes", api_settings.DEFAULT_THROTTLE_CLASSES),
        )
        if throttles:
            found.add((_shape(path), method.lower()))
    return found


def _error_codes(path: str, method: str, operation: dict[str, Any], throttled: bool) -> list[str]:
    parameters = operation.get("parameters", [])
    codes = ["400", "401", "403", "404"]
    if method in WRITES:
        codes.append("409")
    if "requestBody" in operation:
        codes.append("415")
    if method in WRITES and any(
        p.get("in") == "header" and p.get("name", "").lower() == IDEMPOTENCY_HEADER
        for p in parameters
    ):
        codes.append("422")
    if throttled:
        codes.append("429")
    return codes


def document_errors(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Add the error component and each operation's error responses to the schema."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    throttled = _throttled(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            is_throttled = (_shape(path), method) in throttled
            for code in _error_codes(path, method, operation, is_throttled):
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return result

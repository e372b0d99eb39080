"""One error format for the whole API.

Every error body is ``{"code": ..., "detail": ..., "fields": {...}}``: ``fields`` holds the
per-field messages of a 400 and is empty otherwise. Objects outside the caller's scope raise
Http404 exactly like missing ones, so the body of a 404 says nothing about what exists.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import Conflict as DomainConflict
from common.errors import validation_messages
from common.signals import access_denied


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "操作冲突，请刷新后重试"
    default_code = "conflict"


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The one mapping of errors to the contract: Django's ``ValidationError`` (from a service)
    is a 400 with field messages, the domain :class:`~common.errors.Conflict` a 409."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_messages(exc))
    elif isinstance(exc, DomainConflict):
        exc = Conflict(str(exc.message))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    if response.status_code == status.HTTP_403_FORBIDDEN and request is not None:
        access_denied.send(sender=exception_handler, request=request, target=request.path)

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = (
            _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        )
        response.data = {
            "code": "invalid",
            "detail": _("输入有误，请检查各字段。"),
            "fields": fields,
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else "error",
            "detail": str(exc.detail),
            "fields": {},
        }
    return response

"""One shape for an app's API viewsets: lists through a scoped selector behind a policy, writes
through one service each.

A viewset declares ``policy`` (may this user use the endpoint at all: 403 otherwise) and
``selector`` (the rows the user sees, called with ``actor=``; an object outside them is a 404,
exactly like a missing one); :meth:`ServiceViewSetMixin.run` validates the body, resolves what
it names through the caller's scope, calls the service, and :meth:`~ServiceViewSetMixin.respond`
serializes the outcome. A service's ``ValidationError`` and ``Conflict`` are not caught here:
the one exception handler (``common.api.errors``) makes them a 400 with field messages and a
409, as on every endpoint. Every POST takes an ``Idempotency-Key`` header
(:class:`IdempotentMixin`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.schemas.inspectors import ViewInspector
from rest_framework.utils.encoders import JSONEncoder

from common import idempotency
from common.api.errors import Conflict

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A key you choose (at most 255 characters) to send this write again safely: the same "
        "key from the same user on the same URL within 24 hours returns the first response "
        "(header `Idempotent-Replayed: true`) without doing the work again; with another body "
        "it is a 422, and while the first request is still at work a 409."
    ),
)


class IdempotentSchema(AutoSchema):
    """The API schema of a view whose POSTs take ``Idempotency-Key``: the header on each."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_PARAMETER)
        return parameters


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "该幂等键已用于另一请求，请换用新的键。"
    default_code = "idempotency_key_reused"


# No class docstring (as below): drf-spectacular would show it on every viewset without one.
class IdempotentMixin:
    # Every POST of the view honours an ``Idempotency-Key`` header (``common.idempotency``):
    # after authentication, the handler DRF is about to call is wrapped to claim the key,
    # answer a repeat from the stored response, or do the work once and store its answer.
    schema: ViewInspector | None = IdempotentSchema()

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        key = request.headers.get(idempotency.HEADER)
        if request.method != "POST" or key is None or not request.user.is_authenticated:
            return
        key = key.strip()
        if not key or len(key) > idempotency.MAX_KEY or "\x00" in key:
            raise exceptions.ValidationError(
                {idempotency.HEADER: [_("幂等键须为 1 至 255 个字符。")]}
            )
        handler = getattr(self, "post", None)
        if handler is not None:
            self.post = self._idempotent(handler, key)

    def _idempotent(self, handler: Callable[..., Response], key: str) -> Callable[..., Response]:
        def post(request: Any, *args: Any, **kwargs: Any) -> Response:
            files = [(name, f) for name, items in request.FILES.lists() for f in items]
            print_ = idempotency.fingerprint(
                query=request.query_params, data=request.data, files=files
            )
            try:
                found = idempotency.claim(
                    user=request.user,
                    key=key,
                    method=request.method,
                    path=request.path,
                    print_=print_,
                )
            except idempotency.KeyReused:
                raise KeyReused() from None
            except idempotency.KeyInProgress:
                raise Conflict(
                    _("使用该幂等键的请求正在处理中，请稍后重试。"),
                    code="idempotency_in_progress",
                ) from None
            if isinstance(found, idempotency.Stored):
                replay = Response(found.body, status=found.status)
                replay["Idempotent-Replayed"] = "true"
                return replay
            return idempotency.run_once(
                found,
                lambda: handler(request, *args, **kwargs),
                status_of=lambda response: response.status_code,
                body_of=lambda response: json.dumps(
                    response.data, cls=JSONEncoder, ensure_ascii=False
                ),
            )

        return post


# For a DRF ``GenericViewSet``; ``selector_kwargs`` adds the selector's filters from the query
# string. No class docstring: drf-spectacular would show it as the description of every
# viewset that has none of its own.
class ServiceViewSetMixin(IdempotentMixin):
    policy: ClassVar[Callable[[Any], bool]]
    selector: ClassVar[Callable[..., QuerySet[Any]]]
    request: Any

    def selector_kwargs(self) -> dict[str, Any]:
        return {}

    def get_queryset(self) -> QuerySet[Any]:
        if not type(self).policy(self.request.user):
            raise exceptions.PermissionDenied()
        return type(self).selector(actor=self.request.user, **self.selector_kwargs())

    def body(self, serializer_class: Any) -> dict[str, Any]:
        """The request body checked by ``serializer_class`` (400 with field messages)."""
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    def run(
        self,
        serializer_class: Any,
        service: Callable[..., Any],
        *,
        target: str = "",
        resolve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> Any:
        """Call ``service(actor=<the user>, **fields)`` with the body's fields: ``target``
        passes the URL's object (``self.get_object()``, scoped: a 404 comes before any check
        of the body) under that name; ``resolve`` turns the ids the body names into objects
        (through the caller's scope). What the service returned."""
        found = {target: self.get_object()} if target else {}  # type: ignore[attr-defined]
        fields = self.body(serializer_class)
        if resolve is not None:
            fields = resolve(fields)
        return service(actor=self.request.user, **found, **fields)

    def respond(
        self,
        obj: Model,
        *,
        created: bool = False,
        reread: bool = True,
        serializer_class: Any = None,
    ) -> Response:
        """``obj`` serialized (with the viewset's serializer unless another is named), read
        again through :meth:`get_queryset` when ``reread`` (for the list's annotations); 201
        when ``created``."""
        if reread:
            obj = self.get_queryset().get(pk=obj.pk)
        serializer = serializer_class or self.get_serializer_class()  # type: ignore[attr-defined]
        return Response(
            serializer(obj).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

"""One shape for an app's API viewsets: lists through a scoped selector behind a policy, writes
through one service each.

A viewset declares ``policy`` (may this user use the endpoint at all: 403 otherwise) and
``selector`` (the rows the user sees, called with ``actor=``; an object outside them is a 404,
exactly like a missing one); :meth:`ServiceViewSetMixin.run` validates the body, resolves what
it names through the caller's scope, calls the service, and :meth:`~ServiceViewSetMixin.respond`
serializes the outcome. A service's ``ValidationError`` and ``Conflict`` are not caught here:
the one exception handler (``common.api.errors``) makes them a 400 with field messages and a
409, as on every endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from rest_framework import exceptions, status
from rest_framework.response import Response


# For a DRF ``GenericViewSet``; ``selector_kwargs`` adds the selector's filters from the query
# string. No class docstring: drf-spectacular would show it as the description of every
# viewset that has none of its own.
class ServiceViewSetMixin:
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

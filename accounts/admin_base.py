"""The back office follows the portal's roles, not Django's per-model permissions.

Each admin names the roles that may view and change its model; changelists start from the
model's ``visible_to(actor)`` where it has one, so the admin is scoped like every page.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .scoping import scope_of


class PortalAdmin(admin.ModelAdmin):
    view_roles: frozenset[str] = frozenset()
    change_roles: frozenset[str] = frozenset()

    def _has(self, request: HttpRequest, roles: frozenset[str]) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and scope_of(user).has_role(*roles))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._has(request, self.view_roles | self.change_roles)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has(request, self.view_roles | self.change_roles)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has(request, self.change_roles)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._has(request, self.change_roles)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._has(request, self.change_roles)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset

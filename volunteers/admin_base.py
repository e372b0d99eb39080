"""The read-only base of the 双报到 and volunteer-service back office."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.admin_base import PortalAdmin
from accounts.roles import Role

VIEWERS = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
        Role.DEPARTMENT_LIAISON,
    }
)


class ReadOnlyAdmin(PortalAdmin):
    view_roles = VIEWERS
    change_roles = frozenset()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin_base import PortalAdmin
from .models import AuditLog, RoleGrant, User
from .roles import Role

USER_KEEPERS = frozenset({Role.DISTRICT_ADMIN})


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "area", "department", "company", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["area"]


@admin.register(User)
class UserAdmin(PortalAdmin, DjangoUserAdmin):
    view_roles = frozenset({Role.SECURITY_ADMIN})
    change_roles = USER_KEEPERS
    list_display = ["username", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "grants__role"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "full_name", "password1", "password2")},
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_list_filter(self, request: HttpRequest) -> Any:
        return self.list_filter


@admin.register(AuditLog)
class AuditLogAdmin(PortalAdmin):
    """Read-only for the auditor and the security administrator; nobody edits the audit log."""

    view_roles = frozenset({Role.AUDITOR, Role.SECURITY_ADMIN})
    list_display = ["at", "username", "action", "object_repr", "outcome", "ip"]
    list_filter = ["action", "outcome"]
    search_fields = ["username", "object_repr"]
    date_hierarchy = "at"
    list_per_page = 50

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

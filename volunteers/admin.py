from django.contrib import admin

from accounts.admin_base import PortalAdmin
from accounts.roles import Role

from .models import Department


@admin.register(Department)
class DepartmentAdmin(PortalAdmin):
    view_roles = frozenset({Role.DISTRICT_LEADER})
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["name", "code", "is_active"]
    search_fields = ["name", "code"]

from django.contrib import admin

from accounts.admin_base import PortalAdmin
from accounts.roles import Role

from .models import PropertyCompany


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(PortalAdmin):
    view_roles = frozenset({Role.DISTRICT_LEADER})
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["name", "credit_code", "is_active"]
    search_fields = ["name", "credit_code"]

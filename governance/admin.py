from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from accounts.admin_base import PortalAdmin
from accounts.roles import Role

from .models import Area


@admin.register(Area)
class AreaAdmin(PortalAdmin, TreeAdmin):
    view_roles = frozenset({Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    form = movenodeform_factory(Area)
    list_display = ["name", "level", "code", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]

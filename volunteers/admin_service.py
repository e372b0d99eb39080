"""The back office for the volunteer service: scoped like the pages and read-only (writes go
through the services), except the points rules, which the district admin keeps (each change
audited). Phones appear masked only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import PortalAdmin
from accounts.roles import Role

from .admin_base import ReadOnlyAdmin
from .models import (
    Activity,
    Attendance,
    MicroService,
    MicroServiceRecord,
    PointsEntry,
    PointsRule,
    Redemption,
    ShopItem,
    Volunteer,
    VolunteerTeam,
    Wish,
)
from .services.base import audit


class ServiceReadOnly(ReadOnlyAdmin):
    view_roles = frozenset(
        {Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF}
    )


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(ServiceReadOnly):
    list_display = ["name", "kind", "community", "grid", "leader", "founded_on"]
    list_filter = ["kind"]
    list_select_related = ["community", "grid", "leader"]
    search_fields = ["name"]


@admin.register(Volunteer)
class VolunteerAdmin(ServiceReadOnly):
    list_display = ["name", "source", "community", "masked_phone", "hours", "points"]
    list_filter = ["source"]
    list_select_related = ["community"]
    search_fields = ["name"]
    exclude = ["phone", "access_token", "resident", "member_checkin"]

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: Volunteer) -> str:
        return obj.phone_masked


@admin.register(Activity)
class ActivityAdmin(ServiceReadOnly):
    list_display = ["title", "kind", "programme", "community", "starts_at", "state"]
    list_filter = ["kind", "state"]
    list_select_related = ["community"]
    search_fields = ["title", "programme"]
    exclude = ["residents_served", "signup_token"]


@admin.register(Attendance)
class AttendanceAdmin(ServiceReadOnly):
    list_display = ["volunteer", "activity", "state", "channel", "hours", "approved_at"]
    list_filter = ["state", "channel"]
    list_select_related = ["volunteer", "activity"]


@admin.register(PointsEntry)
class PointsEntryAdmin(ServiceReadOnly):
    list_display = ["created_at", "volunteer", "reason", "delta", "balance", "note"]
    list_filter = ["reason"]
    list_select_related = ["volunteer"]


@admin.register(ShopItem)
class ShopItemAdmin(ServiceReadOnly):
    list_display = ["name", "community", "points", "stock", "is_active"]
    list_select_related = ["community"]


@admin.register(Redemption)
class RedemptionAdmin(ServiceReadOnly):
    list_display = ["created_at", "volunteer", "item", "quantity", "points"]
    list_select_related = ["volunteer", "item"]


@admin.register(Wish)
class WishAdmin(ServiceReadOnly):
    list_display = ["title", "beneficiary", "community", "state", "claimant_name", "posted_at"]
    list_filter = ["state"]
    list_select_related = ["community"]
    search_fields = ["title", "beneficiary"]
    exclude = ["resident", "claimant_volunteer", "claimant_member", "photo"]


@admin.register(MicroService)
class MicroServiceAdmin(ServiceReadOnly):
    list_display = ["title", "kind", "community", "provider", "is_active"]
    list_filter = ["kind"]
    list_select_related = ["community"]


@admin.register(MicroServiceRecord)
class MicroServiceRecordAdmin(ServiceReadOnly):
    list_display = ["service", "resident_name", "served_on", "volunteer"]
    list_select_related = ["service", "volunteer"]
    exclude = ["resident"]


@admin.register(PointsRule)
class PointsRuleAdmin(PortalAdmin):
    """The points each reason earns: the district admin's to keep."""

    view_roles = frozenset({Role.DISTRICT_LEADER})
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["reason", "points", "note"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit(request.user, obj, "points_rule.save", created=not change, points=obj.points)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

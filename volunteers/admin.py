"""The back office for 双报到: scoped like the pages, and read-only (every write goes through
the services, which check the rules and write the audit row). Phones appear masked only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin_base import ReadOnlyAdmin
from .models import (
    Campaign,
    CampaignPerson,
    CampaignShift,
    CampaignSignup,
    CoBuildAgreement,
    CoBuildProject,
    CommunityNeed,
    MemberCheckIn,
    MemberTask,
    ProjectMilestone,
    Resource,
    UnitCheckIn,
    YearFeedback,
)


@admin.register(UnitCheckIn)
class UnitCheckInAdmin(ReadOnlyAdmin):
    list_display = ["department", "community", "year", "unit_type", "contact_name", "state"]
    list_filter = ["year", "state", "unit_type"]
    search_fields = ["department__name", "community__name", "contact_name"]
    list_select_related = ["department", "community"]
    exclude = ["contact_phone"]
    readonly_fields = ["contact_phone_masked"]


@admin.register(CoBuildAgreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["number", "checkin", "signed_on", "starts_on", "ends_on"]
    list_select_related = ["checkin__department", "checkin__community"]
    search_fields = ["number"]


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "department", "quantity", "unit", "is_available"]
    list_filter = ["kind", "is_available"]
    list_select_related = ["department"]
    search_fields = ["name"]


@admin.register(CommunityNeed)
class CommunityNeedAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "kind", "source", "raised_on", "state"]
    list_filter = ["source", "state", "kind"]
    list_select_related = ["community"]
    search_fields = ["title"]
    exclude = ["ledger_entry"]


class MilestoneInline(admin.TabularInline):
    model = ProjectMilestone
    extra = 0
    can_delete = False
    fields = ["title", "starts_on", "due_on", "warn_on", "done_on"]
    readonly_fields = ("title", "starts_on", "due_on", "warn_on", "done_on")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CoBuildProject)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "lead_department", "state", "budget", "ends_on"]
    list_filter = ["state"]
    list_select_related = ["community", "lead_department"]
    search_fields = ["title"]
    inlines = [MilestoneInline]


@admin.register(MemberCheckIn)
class MemberCheckInAdmin(ReadOnlyAdmin):
    list_display = ["name", "employer", "community", "grid", "registered_on", "ended_on"]
    list_select_related = ["community", "grid"]
    search_fields = ["name", "employer"]
    exclude = ["phone", "access_token", "party_member"]
    readonly_fields = ["phone_masked"]


@admin.register(MemberTask)
class MemberTaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "checkin", "kind", "scheduled_on", "state", "hours"]
    list_filter = ["kind", "state"]
    list_select_related = ["checkin"]


@admin.register(YearFeedback)
class YearFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["checkin", "year", "employer", "participations", "hours", "assessment"]
    list_filter = ["year", "assessment"]
    list_select_related = ["checkin"]
    search_fields = ["employer", "checkin__name"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "area", "starts_on", "ends_on"]
    list_select_related = ["area"]
    exclude = ["target_grids"]


@admin.register(CampaignShift)
class CampaignShiftAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "grid", "day", "duty", "starts_at", "ends_at", "capacity"]
    list_filter = ["duty"]
    list_select_related = ["campaign", "grid"]


@admin.register(CampaignPerson)
class CampaignPersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "employer", "masked_phone"]
    list_filter = ["kind"]
    search_fields = ["name", "employer"]
    exclude = ["phone", "member_checkin"]

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: CampaignPerson) -> str:
        return obj.phone_masked


@admin.register(CampaignSignup)
class CampaignSignupAdmin(ReadOnlyAdmin):
    list_display = ["person", "campaign", "grid", "day", "attended", "hours"]
    list_select_related = ["person", "campaign", "grid"]
    exclude = ["task"]


from . import admin_service  # noqa: E402, F401  (the volunteer service's back office)

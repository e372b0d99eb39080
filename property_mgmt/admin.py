"""The back office of 红色物业, scoped like every page (``PortalAdmin``)."""

from django.contrib import admin

from accounts.admin_base import PortalAdmin
from accounts.roles import Role

from .models import (
    CommitteeMember,
    CompanyContact,
    CompanyProfile,
    ComplaintDetail,
    CouncilMeeting,
    EstateProfile,
    Mediation,
    MediationGroup,
    Mediator,
    MeetingAttendee,
    OwnersCommittee,
    Resolution,
    ServiceContract,
    Survey,
)

KEEPERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
READERS = KEEPERS | {Role.DISTRICT_LEADER}


class PropertyAdmin(PortalAdmin):
    view_roles = READERS
    change_roles = KEEPERS


@admin.register(CompanyProfile)
class CompanyProfileAdmin(PropertyAdmin):
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["company", "qualification", "is_red_pilot", "party_org"]
    list_filter = ["qualification", "is_red_pilot"]
    search_fields = ["company__name", "company__credit_code"]
    autocomplete_fields = ["party_org"]
    raw_id_fields = ["company"]


@admin.register(CompanyContact)
class CompanyContactAdmin(PropertyAdmin):
    change_roles = frozenset({Role.DISTRICT_ADMIN})
    list_display = ["company", "name", "post", "phone", "is_primary"]
    search_fields = ["company__name", "name"]
    raw_id_fields = ["company"]


@admin.register(ServiceContract)
class ServiceContractAdmin(PropertyAdmin):
    list_display = ["area", "kind", "company", "starts_on", "ends_on", "terminated_on"]
    list_filter = ["kind", "fee_level"]
    search_fields = ["area__name", "company__name", "number"]
    raw_id_fields = ["area", "company", "created_by"]
    list_select_related = ["area", "company"]


@admin.register(EstateProfile)
class EstateProfileAdmin(PropertyAdmin):
    list_display = ["area", "competent_department", "is_old_estate", "built_year"]
    list_filter = ["is_old_estate"]
    search_fields = ["area__name"]
    raw_id_fields = ["area"]
    list_select_related = ["area", "competent_department"]


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    fields = ["name", "role", "is_party_member", "left_on"]


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(PropertyAdmin):
    list_display = ["name", "area", "term_starts_on", "term_ends_on", "filed_on"]
    search_fields = ["name", "area__name"]
    raw_id_fields = ["area", "party_org"]
    inlines = [MemberInline]
    list_select_related = ["area"]


class AttendeeInline(admin.TabularInline):
    model = MeetingAttendee
    extra = 0
    raw_id_fields = ["company", "department", "committee"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(PropertyAdmin):
    list_display = ["held_at", "kind", "title", "community"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["community", "convened_by", "created_by"]
    filter_horizontal = ["estates"]
    inlines = [AttendeeInline]
    list_select_related = ["community"]


@admin.register(Resolution)
class ResolutionAdmin(PropertyAdmin):
    """Read here; the state changes only through the workflow (the page or the API)."""

    change_roles = frozenset()
    list_display = ["text", "state", "due_on", "company", "department", "unit_area"]
    list_filter = ["state"]
    search_fields = ["text"]
    list_select_related = ["company", "department", "unit_area"]


@admin.register(ComplaintDetail)
class ComplaintDetailAdmin(PropertyAdmin):
    change_roles = frozenset()
    list_display = ["case", "kind", "complaint_type", "estate", "company", "reported_at"]
    list_filter = ["kind", "complaint_type"]
    search_fields = ["case__number", "estate__name"]
    list_select_related = ["case", "estate", "company"]


class MediatorInline(admin.TabularInline):
    model = Mediator
    extra = 0
    raw_id_fields = ["user"]


@admin.register(MediationGroup)
class MediationGroupAdmin(PropertyAdmin):
    list_display = ["name", "community"]
    search_fields = ["name"]
    raw_id_fields = ["community"]
    inlines = [MediatorInline]


@admin.register(Mediation)
class MediationAdmin(PropertyAdmin):
    change_roles = frozenset()
    list_display = ["case", "group", "outcome", "referral", "concluded_at"]
    list_filter = ["outcome", "referral"]
    search_fields = ["case__number"]
    list_select_related = ["case", "group"]
    exclude = ["agreement"]


@admin.register(Survey)
class SurveyAdmin(PropertyAdmin):
    list_display = [
        "title",
        "area",
        "company",
        "period_start",
        "opens_on",
        "closes_on",
        "is_closed",
    ]
    search_fields = ["title", "area__name"]
    raw_id_fields = ["area", "company", "created_by"]
    exclude = ["token"]
    list_select_related = ["area", "company"]

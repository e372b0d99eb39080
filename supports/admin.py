"""Back office for the three supports, scoped like every page (``visible_to``).

The ledgers are read-only here: their writes carry rules (no double booking, no spending past
a budget, a problem's transitions, openings within vacancies) that only the services enforce,
so they are made on the pages and through the API. What the district keeps as reference data
(the 标准化建设 checklist) is edited here by the district admin, each change audited.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.admin_base import PortalAdmin
from accounts.models import AuditAction
from accounts.roles import Role
from accounts.services import audit_record

from .models import (
    Applicant,
    Appraisal,
    ChecklistItem,
    ChecklistResult,
    DifficultProblem,
    FundBudget,
    FundSpending,
    ProblemEvent,
    Promotion,
    RecruitmentPost,
    RecruitmentRound,
    Room,
    RoomBooking,
    ServiceCentre,
    ServiceRecord,
    StaffQuota,
    Studio,
    StudioMember,
    StudioSession,
)
from .querysets import OFFICE_ROLES

VIEWERS = frozenset(OFFICE_ROLES)
KEEPERS = frozenset({Role.DISTRICT_ADMIN})


class ReadOnlyAdmin(PortalAdmin):
    """A ledger shown in the back office, never written there."""

    view_roles = VIEWERS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChecklistItem)
class ChecklistItemAdmin(PortalAdmin):
    view_roles = VIEWERS
    change_roles = KEEPERS
    list_display = ["code", "section", "title", "points", "levels", "is_active"]
    list_filter = ["section", "is_active"]
    search_fields = ["code", "title"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # results refer to items; an item is retired with is_active

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            actor=request.user,
            request=request,
            target=obj,
            detail={"event": "checklist.item", "fields": sorted(form.changed_data)},
        )


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["name", "capacity", "purpose", "is_active"]
    readonly_fields = ["name", "capacity", "purpose", "is_active"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServiceCentre)
class ServiceCentreAdmin(ReadOnlyAdmin):
    view_roles = VIEWERS | {Role.GRID_WORKER}
    list_display = ["name", "level", "area", "parent", "opening_hours", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "address"]
    list_select_related = ["area", "parent"]
    inlines = [RoomInline]


@admin.register(RoomBooking)
class RoomBookingAdmin(ReadOnlyAdmin):
    list_display = ["room", "title", "starts_at", "ends_at", "status", "booked_by"]
    list_filter = ["status"]
    search_fields = ["title", "organiser"]
    list_select_related = ["room", "room__centre", "booked_by"]
    date_hierarchy = "starts_at"


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["served_on", "kind", "line", "content", "served", "people", "centre", "station"]
    list_filter = ["kind", "line"]
    search_fields = ["content", "served", "served_by"]
    list_select_related = ["centre", "station"]
    date_hierarchy = "served_on"


@admin.register(ChecklistResult)
class ChecklistResultAdmin(ReadOnlyAdmin):
    list_display = ["centre", "item", "met", "checked_on", "checked_by"]
    list_filter = ["met"]
    list_select_related = ["centre", "item", "checked_by"]


@admin.register(Studio)
class StudioAdmin(ReadOnlyAdmin):
    list_display = ["name", "leader", "founded_on", "is_active"]


@admin.register(StudioMember)
class StudioMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "role", "organisation", "title", "studio", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "organisation"]


@admin.register(StudioSession)
class StudioSessionAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "kind", "topic", "title", "studio"]
    list_filter = ["kind", "topic"]
    search_fields = ["title"]
    date_hierarchy = "held_on"


class ProblemEventInline(admin.TabularInline):
    model = ProblemEvent
    extra = 0
    fields = ["done_on", "action", "from_state", "to_state", "note", "actor"]
    readonly_fields = ["done_on", "action", "from_state", "to_state", "note", "actor"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DifficultProblem)
class DifficultProblemAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "topic", "state", "raised_on", "solved_on"]
    list_filter = ["state", "topic"]
    search_fields = ["title", "description"]
    list_select_related = ["community"]
    inlines = [ProblemEventInline]


@admin.register(FundBudget)
class FundBudgetAdmin(ReadOnlyAdmin):
    list_display = ["community", "year", "kind", "amount", "set_by"]
    list_filter = ["year", "kind"]
    search_fields = ["community__name"]
    list_select_related = ["community", "set_by"]


@admin.register(FundSpending)
class FundSpendingAdmin(ReadOnlyAdmin):
    list_display = ["spent_on", "budget", "purpose", "description", "amount", "approver"]
    list_filter = ["purpose", "budget__kind", "budget__year"]
    search_fields = ["description", "approver", "voucher_no"]
    list_select_related = ["budget", "budget__community"]
    exclude = ["voucher"]  # served only through the scoped voucher page
    date_hierarchy = "spent_on"


@admin.register(StaffQuota)
class StaffQuotaAdmin(ReadOnlyAdmin):
    list_display = ["community", "post", "quota"]
    list_filter = ["post"]
    list_select_related = ["community"]


@admin.register(RecruitmentRound)
class RecruitmentRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "announced_on", "signup_ends_on", "state"]
    list_filter = ["state", "year"]


@admin.register(RecruitmentPost)
class RecruitmentPostAdmin(ReadOnlyAdmin):
    list_display = ["round", "community", "post", "grade", "openings"]
    list_select_related = ["round", "community"]


@admin.register(Applicant)
class ApplicantAdmin(ReadOnlyAdmin):
    list_display = ["name", "round", "position", "id_number_masked", "phone_masked", "result"]
    list_filter = ["result", "education"]
    search_fields = ["name"]
    list_select_related = ["round", "position", "position__community"]
    exclude = ["id_number", "phone"]  # masked everywhere; see the masked columns
    readonly_fields = ["id_number_masked", "phone_masked"]


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnlyAdmin):
    list_display = ["worker", "year", "post", "grade", "result", "score"]
    list_filter = ["year", "result"]
    search_fields = ["worker__name"]
    list_select_related = ["worker"]


@admin.register(Promotion)
class PromotionAdmin(ReadOnlyAdmin):
    list_display = ["worker", "effective_on", "from_post", "from_grade", "to_post", "to_grade"]
    search_fields = ["worker__name"]
    list_select_related = ["worker"]

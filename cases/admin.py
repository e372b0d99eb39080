from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_base import PortalAdmin
from accounts.personal_data import mask_phone
from accounts.roles import Role

from .models import (
    Case,
    CaseEvent,
    Category,
    CategoryLimit,
    OutboxMessage,
    OutboxState,
    RoutingRule,
    WorkCalendarDay,
)
from .services import outbox_retry

ADMINS = frozenset({Role.DISTRICT_ADMIN})
READERS = frozenset({Role.DISTRICT_LEADER, Role.STREET_STAFF, Role.COMMUNITY_STAFF})


class CategoryLimitInline(admin.TabularInline):
    model = CategoryLimit
    extra = 0


@admin.register(Category)
class CategoryAdmin(PortalAdmin):
    view_roles = READERS
    change_roles = ADMINS
    inlines = [CategoryLimitInline]
    list_display = ["code", "name", "parent", "start_tier", "is_active", "sort"]
    list_filter = ["start_tier", "is_active", "parent"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(PortalAdmin):
    view_roles = READERS
    change_roles = ADMINS
    list_display = ["category", "area", "unit_area", "department", "company"]
    list_filter = ["category"]
    autocomplete_fields = ["area", "unit_area"]
    list_select_related = ["category__parent", "area", "unit_area", "department", "company"]


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(PortalAdmin):
    view_roles = READERS
    change_roles = ADMINS
    list_display = ["date", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "actor", "from_state", "to_state", "tier", "note")
    readonly_fields = ("at", "action", "actor", "from_state", "to_state", "tier", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(PortalAdmin):
    """Read-only in the back office: cases move only through their transitions."""

    view_roles = ADMINS | READERS
    change_roles = frozenset()
    list_display = ["number", "title", "category", "state", "tier", "community", "alert"]
    list_filter = ["state", "tier", "alert", "is_urgent", "supervision", "source"]
    search_fields = ["number", "title"]
    list_select_related = ["category__parent", "community"]
    inlines = [CaseEventInline]
    exclude = ["contact_phone"]
    readonly_fields = ["masked_phone"]

    @admin.display(description=_("反映人电话"))
    def masked_phone(self, obj: Case) -> str:
        return mask_phone(obj.contact_phone)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Case._meta.fields if f.name != "contact_phone"] + ["masked_phone"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(PortalAdmin):
    """The message outbox: what is waiting, what was sent, what failed (and why). Read-only;
    the district admin puts failed messages back in the queue with the action."""

    view_roles = ADMINS
    change_roles = frozenset()
    list_display = [
        "id", "event", "case_number", "recipient_id", "state", "attempts", "next_attempt_at",
        "sent_at", "last_error",
    ]  # fmt: skip
    list_filter = ["state", "event"]
    search_fields = ["case_number", "key"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in OutboxMessage._meta.fields]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return self._has(request, ADMINS)

    @admin.action(description=_("重新发送所选的发送失败消息"), permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = list(queryset.filter(state=OutboxState.FAILED).values_list("pk", flat=True))
        count = outbox_retry(ids=ids, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d 条消息已重新排队。", "%(count)d 条消息已重新排队。", count)
            % {"count": count},
            messages.SUCCESS,
        )

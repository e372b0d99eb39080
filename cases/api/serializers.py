"""Shapes only: every rule lives in the services."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from accounts.personal_data import can_unmask, mask_phone
from cases import selectors
from cases.models import (
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseEvent,
    CaseSource,
    Category,
    CategoryLimit,
    Notification,
    Satisfaction,
    WorkCalendarDay,
)
from cases.notify import notification_text
from cases.workflow import ACTION_CHOICES, action_label
from governance.models import Area


class CategoryLimitSerializer(serializers.ModelSerializer):
    class Meta:
        model = CategoryLimit
        fields = ["tier", "accept_days", "handle_days", "verify_days"]


class CategorySerializer(serializers.ModelSerializer):
    limits = CategoryLimitSerializer(many=True, read_only=True)
    start_tier_label = serializers.CharField(source="get_start_tier_display", read_only=True)

    class Meta:
        model = Category
        fields = [
            "id", "code", "name", "parent", "start_tier", "start_tier_label", "description",
            "is_active", "limits",
        ]  # fmt: skip


class WorkCalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkCalendarDay
        fields = ["date", "is_working_day", "name"]


class CaseSerializer(serializers.ModelSerializer):
    category_name = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    tier_label = serializers.CharField(source="get_tier_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    contact_phone = serializers.SerializerMethodField()
    # Declared: a read-only model field loses its blank choice, and "" (not asked yet) is sent.
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "id", "number", "title", "description", "category", "category_name", "source",
            "state", "state_label", "tier", "tier_label", "area", "area_name", "area_path",
            "street", "street_name", "community", "community_name", "address", "longitude",
            "latitude", "contact_name", "contact_phone", "is_urgent", "supervision", "step",
            "warn_at", "due_at", "alert", "extension_requested_days", "satisfaction",
            "reopen_count", "duplicate_of", "created_at", "updated_at", "resolved_at",
            "closed_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_category_name(self, case: Case) -> str:
        parent = case.category.parent
        return f"{parent.name} → {case.category.name}" if parent else case.category.name

    def get_contact_phone(self, case: Case) -> str:
        request = self.context.get("request")
        actor = getattr(request, "user", None)
        # Unmasked only for holders of the permission, and only on a single case (audited).
        if self.context.get("unmask") and can_unmask(actor):
            return case.contact_phone
        return mask_phone(case.contact_phone)


class CaseAssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField()
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = CaseAssignment
        fields = [
            "id", "role", "role_label", "unit", "unit_area", "department", "company", "person",
            "reply", "replied_at", "assigned_at", "ended_at",
        ]  # fmt: skip

    def get_unit(self, assignment: CaseAssignment) -> str:
        return str(assignment.unit)


class CaseDetailSerializer(CaseSerializer):
    assignments = CaseAssignmentSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "assignments"]
        read_only_fields = fields


class CaseReportSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.none())
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.none())
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=CaseSource.choices, default=CaseSource.GRID
    )
    contact_name = serializers.CharField(
        max_length=50, required=False, default="", allow_blank=True
    )
    contact_phone = serializers.RegexField(
        r"^[0-9\- ]{7,20}$", required=False, default="", allow_blank=True
    )
    urgent = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator describes the fields without a caller
            return
        self.fields["category"].queryset = selectors.leaf_categories()  # type: ignore[attr-defined]
        self.fields["area"].queryset = selectors.report_areas(actor=request.user)  # type: ignore[attr-defined]


class CaseUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100, required=False)
    description = serializers.CharField(max_length=2000, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TransitionRequestSerializer(serializers.Serializer):
    """For the schema: the page's transition form parses the request. The fields an action
    reads are its ``needs`` in ``cases.workflow``."""

    action = serializers.ChoiceField(choices=ACTION_CHOICES)
    note = serializers.CharField(required=False, allow_blank=True)
    days = serializers.IntegerField(required=False)
    satisfaction = serializers.CharField(required=False)
    level = serializers.CharField(required=False)
    into = serializers.CharField(required=False, help_text="合并目标的事件编号")
    lead = serializers.CharField(
        required=False, help_text="area:<id> / department:<id> / company:<id>"
    )
    cooperating = serializers.ListField(child=serializers.CharField(), required=False)
    person = serializers.CharField(required=False, help_text="指定承办人的用户名")


class CaseAttachmentSerializer(serializers.ModelSerializer):
    """A photo's addresses are those of the scoped view (cases:photo), never of the storage."""

    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = CaseAttachment
        fields = ["id", "image", "thumbnail", "content_type", "size", "uploaded_at"]

    def _url(self, name: str, obj: CaseAttachment) -> str:
        path = reverse(name, args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_image(self, obj: CaseAttachment) -> str:
        return self._url("cases:photo", obj)

    def get_thumbnail(self, obj: CaseAttachment) -> str:
        return self._url("cases:photo_thumb", obj)


class CaseEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    attachments = CaseAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id", "action", "label", "actor", "actor_name", "at", "from_state", "to_state",
            "tier", "note", "detail", "attachments",
        ]  # fmt: skip

    def get_actor_name(self, event: CaseEvent) -> str:
        return event.actor.display_name if event.actor else ""

    def get_label(self, event: CaseEvent) -> str:
        return action_label(event.action)


class NotificationSerializer(serializers.ModelSerializer):
    """``kind`` is the event code and ``params`` its parameters; ``text`` is rendered from them
    in the caller's language (``Accept-Language`` or the session's)."""

    case_number = serializers.CharField(source="case.number", read_only=True)
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "params", "case", "case_number", "text", "created_at", "read_at"]

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification)

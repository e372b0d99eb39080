"""Shapes of the 双报到 API. Phones are masked; writes go through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from governance.models import Area, AreaLevel, Department, PartyMember
from grids.models import Grid

from ..models import (
    Campaign,
    CampaignSignup,
    CoBuildProject,
    CommunityNeed,
    MemberCheckIn,
    PersonKind,
    Resource,
    ResourceKind,
    ServiceArea,
    UnitCheckIn,
    UnitType,
)
from ..workflow import TRANSITIONS


class UnitCheckInSerializer(serializers.ModelSerializer[UnitCheckIn]):
    department_name = serializers.CharField(source="department.name", read_only=True)
    community_name = serializers.CharField(source="community.name", read_only=True)
    contact_phone = serializers.CharField(source="contact_phone_masked", read_only=True)
    resources = serializers.IntegerField(source="n_resources", read_only=True)

    class Meta:
        model = UnitCheckIn
        fields = [
            "id", "department", "department_name", "unit_type", "community", "community_name",
            "year", "contact_name", "contact_phone", "commitments", "state", "confirmed_at",
            "resources", "created_at",
        ]  # fmt: skip


class UnitCheckInCreateSerializer(serializers.Serializer[Any]):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY)
    )
    year = serializers.IntegerField()
    unit_type = serializers.ChoiceField(choices=UnitType.choices, default=UnitType.AGENCY)
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    commitments = serializers.CharField(required=False, allow_blank=True)


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    department_name = serializers.CharField(source="department.name", read_only=True)
    community_name = serializers.CharField(source="checkin.community.name", read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id", "checkin", "department", "department_name", "community_name", "kind", "name",
            "quantity", "unit", "description", "is_available",
        ]  # fmt: skip
        read_only_fields = ["department"]


class ResourceCreateSerializer(serializers.Serializer[Any]):
    checkin = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    name = serializers.CharField(max_length=100)
    quantity = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    unit = serializers.CharField(max_length=12, required=False, allow_blank=True)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CommunityNeedSerializer(serializers.ModelSerializer[CommunityNeed]):
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = CommunityNeed
        fields = [
            "id", "community", "community_name", "source", "kind", "title", "description",
            "raised_on", "state",
        ]  # fmt: skip


class ProjectSerializer(serializers.ModelSerializer[CoBuildProject]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True)
    overdue_milestones = serializers.IntegerField(source="n_overdue", read_only=True)

    class Meta:
        model = CoBuildProject
        fields = [
            "id", "community", "community_name", "title", "lead_department",
            "lead_department_name", "budget", "starts_on", "ends_on", "state", "rating",
            "overdue_milestones", "created_at",
        ]  # fmt: skip


class MilestoneSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    due_on = serializers.DateField(required=False)
    working_days = serializers.IntegerField(required=False, min_value=1)


class ProjectCreateSerializer(serializers.Serializer[Any]):
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY)
    )
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    lead_department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    partners = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    needs = serializers.ListField(child=serializers.IntegerField(), required=False)
    resources = serializers.ListField(child=serializers.IntegerField(), required=False)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    milestones = MilestoneSerializer(many=True, required=False)


class TransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=list(TRANSITIONS))
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    rating = serializers.IntegerField(required=False, min_value=1, max_value=5)
    expected_state = serializers.CharField(required=False, allow_blank=True)


class MemberCheckInSerializer(serializers.ModelSerializer[MemberCheckIn]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True, default="")
    phone = serializers.CharField(source="phone_masked", read_only=True)
    tasks_done = serializers.IntegerField(source="n_done", read_only=True)

    class Meta:
        model = MemberCheckIn
        fields = [
            "id", "party_member", "name", "employer", "employer_department", "branch", "phone",
            "community", "community_name", "grid", "grid_name", "service_areas",
            "registered_on", "ended_on", "tasks_done",
        ]  # fmt: skip


class MemberCheckInCreateSerializer(serializers.Serializer[Any]):
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY)
    )
    party_member = serializers.PrimaryKeyRelatedField(
        queryset=PartyMember.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    employer = serializers.CharField(max_length=120, required=False, allow_blank=True)
    branch = serializers.CharField(max_length=120, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    grid = serializers.PrimaryKeyRelatedField(
        queryset=Grid.objects.all(), required=False, allow_null=True
    )
    service_areas = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceArea.choices), required=False
    )
    registered_on = serializers.DateField(required=False)


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    area_name = serializers.CharField(source="area.name", read_only=True)
    people = serializers.IntegerField(source="n_people", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "area", "area_name", "title", "starts_on", "ends_on", "people"]


class CampaignStatsSerializer(serializers.Serializer[Any]):
    people = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    signups = serializers.IntegerField()
    by_grid = serializers.ListField(child=serializers.DictField())
    by_day = serializers.ListField(child=serializers.DictField())


class SignupSerializer(serializers.ModelSerializer[CampaignSignup]):
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_kind = serializers.CharField(source="person.kind", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    duty = serializers.CharField(source="shift.duty", read_only=True)

    class Meta:
        model = CampaignSignup
        fields = [
            "id", "campaign", "shift", "grid", "grid_name", "day", "duty", "person",
            "person_name", "person_kind", "attended", "hours",
        ]  # fmt: skip


class SignupCreateSerializer(serializers.Serializer[Any]):
    shift = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=PersonKind.choices, default=PersonKind.VOLUNTEER)
    member_checkin = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    employer = serializers.CharField(max_length=120, required=False, allow_blank=True)

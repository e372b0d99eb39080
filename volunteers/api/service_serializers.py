"""Shapes of the volunteer-service API. Phones are masked; writes go through the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from governance.models import Area, AreaLevel, VulnerableTag

from ..models import (
    Activity,
    ActivityKind,
    Attendance,
    ClaimantKind,
    MicroService,
    PointsEntry,
    ShopItem,
    Volunteer,
    VolunteerTeam,
    Wish,
)
from ..wish_workflow import WISH_TRANSITIONS


class TeamSerializer(serializers.ModelSerializer[VolunteerTeam]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    members = serializers.IntegerField(source="n_members", read_only=True)
    activities = serializers.IntegerField(source="n_activities", read_only=True)

    class Meta:
        model = VolunteerTeam
        fields = ["id", "name", "kind", "community", "community_name", "grid", "leader", "focus",
                  "founded_on", "members", "activities"]  # fmt: skip


class VolunteerSerializer(serializers.ModelSerializer[Volunteer]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    stars = serializers.IntegerField(read_only=True)
    teams = serializers.IntegerField(source="n_teams", read_only=True)

    class Meta:
        model = Volunteer
        fields = ["id", "name", "source", "community", "community_name", "phone", "skills",
                  "availability", "hours", "stars", "points", "teams", "registered_on"]  # fmt: skip


class VolunteerCreateSerializer(serializers.Serializer[Any]):
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY)
    )
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True)
    availability = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    signups = serializers.IntegerField(source="n_signups", read_only=True)
    approved_hours = serializers.DecimalField(max_digits=12, decimal_places=1, read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "title", "kind", "programme", "team", "organiser_unit", "community",
                  "community_name", "station", "place", "starts_at", "ends_at", "capacity",
                  "target_tags", "served_count", "attendance_count", "state", "signups",
                  "approved_hours"]  # fmt: skip


class ActivityCreateSerializer(serializers.Serializer[Any]):
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY)
    )
    title = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    programme = serializers.CharField(max_length=60, required=False, allow_blank=True)
    team = serializers.IntegerField(required=False, allow_null=True)
    place = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=1000, default=20)
    target_tags = serializers.ListField(
        child=serializers.ChoiceField(choices=VulnerableTag.choices), required=False
    )


class ActivitySignupSerializer(serializers.Serializer[Any]):
    volunteer = serializers.IntegerField()


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "activity", "activity_title", "volunteer", "volunteer_name", "state",
                  "channel", "signed_up_at", "checked_in_at", "checked_out_at", "hours",
                  "approved_at"]  # fmt: skip


class AttendanceActionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["check_in", "check_out", "approve", "absent"])
    at = serializers.DateTimeField(required=False)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)


class PointsEntrySerializer(serializers.ModelSerializer[PointsEntry]):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)

    class Meta:
        model = PointsEntry
        fields = ["id", "volunteer", "volunteer_name", "reason", "delta", "balance",
                  "attendance", "wish", "note", "created_at"]  # fmt: skip


class RedeemSerializer(serializers.Serializer[Any]):
    volunteer = serializers.IntegerField()
    item = serializers.IntegerField()
    quantity = serializers.IntegerField(min_value=1, max_value=100, default=1)


class WishSerializer(serializers.ModelSerializer[Wish]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    waiting_days = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Wish
        fields = ["id", "title", "beneficiary", "community", "community_name", "grid", "state",
                  "posted_at", "published_at", "waiting_days", "claimant_kind", "claimant_name",
                  "claimed_at", "fulfilled_at", "confirmed_at", "thanked_at"]  # fmt: skip


class WishCreateSerializer(serializers.Serializer[Any]):
    community = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.filter(level=AreaLevel.COMMUNITY)
    )
    beneficiary = serializers.CharField(max_length=50)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class WishTransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(
        choices=[(a, str(t.label)) for a, t in WISH_TRANSITIONS.items()]
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    claimant_kind = serializers.ChoiceField(choices=ClaimantKind.choices, required=False)
    claimant = serializers.IntegerField(required=False)
    photo = serializers.ImageField(required=False)


class ShopItemSerializer(serializers.ModelSerializer[ShopItem]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    redeemed = serializers.IntegerField(source="n_redeemed", read_only=True)

    class Meta:
        model = ShopItem
        fields = ["id", "name", "community", "community_name", "points", "stock", "is_active",
                  "redeemed"]  # fmt: skip


class MicroServiceSerializer(serializers.ModelSerializer[MicroService]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    records = serializers.IntegerField(source="n_records", read_only=True)

    class Meta:
        model = MicroService
        fields = ["id", "kind", "title", "community", "community_name", "team", "provider",
                  "description", "is_active", "records"]  # fmt: skip

"""Shapes of the 红色物业 API (no rules here: the services decide)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import (
    ComplaintDetail,
    CouncilMeeting,
    OwnersCommittee,
    Resolution,
    ServiceContract,
    Survey,
)


class CompanySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    is_active = serializers.BooleanField()
    n_estates = serializers.IntegerField()
    qualification = serializers.SerializerMethodField()
    is_red_pilot = serializers.SerializerMethodField()
    party_org = serializers.SerializerMethodField()

    def _profile(self, obj: Any) -> Any:
        return getattr(obj, "property_profile", None)

    def get_qualification(self, obj: Any) -> str:
        profile = self._profile(obj)
        return profile.qualification if profile else ""

    def get_is_red_pilot(self, obj: Any) -> bool:
        profile = self._profile(obj)
        return bool(profile and profile.is_red_pilot)

    def get_party_org(self, obj: Any) -> int | None:
        profile = self._profile(obj)
        return profile.party_org_id if profile else None


class CompanyWriteSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    credit_code = serializers.CharField(max_length=30)
    qualification = serializers.CharField(required=False, allow_blank=True)
    is_red_pilot = serializers.BooleanField(required=False)


class ContractSerializer(serializers.ModelSerializer[ServiceContract]):
    area_name = serializers.CharField(source="area.name", read_only=True)
    company_name = serializers.CharField(source="company.name", read_only=True, default="")

    class Meta:
        model = ServiceContract
        fields = [
            "id",
            "area",
            "area_name",
            "kind",
            "company",
            "company_name",
            "number",
            "starts_on",
            "ends_on",
            "fee_level",
            "fee_per_sqm",
            "terminated_on",
            "note",
        ]


class ContractWriteSerializer(serializers.Serializer[Any]):
    area = serializers.IntegerField()
    kind = serializers.CharField()
    company = serializers.IntegerField(required=False, allow_null=True)
    number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    fee_level = serializers.CharField(required=False, allow_blank=True)
    fee_per_sqm = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CommitteeSerializer(serializers.ModelSerializer[OwnersCommittee]):
    area_name = serializers.CharField(source="area.name", read_only=True)
    n_members = serializers.IntegerField(read_only=True)
    n_party = serializers.IntegerField(read_only=True)

    class Meta:
        model = OwnersCommittee
        fields = [
            "id",
            "area",
            "area_name",
            "name",
            "party_org",
            "term_starts_on",
            "term_ends_on",
            "filed_on",
            "n_members",
            "n_party",
        ]


class CommitteeWriteSerializer(serializers.Serializer[Any]):
    area = serializers.IntegerField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField()
    filed_on = serializers.DateField(required=False, allow_null=True)


class MeetingSerializer(serializers.ModelSerializer[CouncilMeeting]):
    n_attendees = serializers.IntegerField(read_only=True)
    n_resolutions = serializers.IntegerField(read_only=True)
    n_open = serializers.IntegerField(read_only=True)

    class Meta:
        model = CouncilMeeting
        fields = [
            "id",
            "community",
            "kind",
            "title",
            "held_at",
            "place",
            "convened_by",
            "n_attendees",
            "n_resolutions",
            "n_open",
        ]


class ResolutionSerializer(serializers.ModelSerializer[Resolution]):
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = ["id", "meeting", "text", "unit", "due_on", "due_at", "state", "done_at", "result"]

    def get_unit(self, obj: Resolution) -> str:
        return str(obj.unit)


class ResolutionTransitionSerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ComplaintSerializer(serializers.ModelSerializer[ComplaintDetail]):
    number = serializers.CharField(source="case.number", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    state = serializers.CharField(source="case.state", read_only=True)
    due_at = serializers.DateTimeField(source="case.due_at", read_only=True)

    class Meta:
        model = ComplaintDetail
        fields = [
            "case",
            "number",
            "title",
            "kind",
            "complaint_type",
            "estate",
            "community",
            "street",
            "company",
            "state",
            "due_at",
            "reported_at",
        ]


class ComplaintWriteSerializer(serializers.Serializer[Any]):
    area = serializers.IntegerField()
    complaint_type = serializers.CharField()
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)


class SurveySerializer(serializers.ModelSerializer[Survey]):
    n_answers = serializers.IntegerField(read_only=True)
    households = serializers.IntegerField(read_only=True)
    response_rate = serializers.FloatField(read_only=True, allow_null=True)
    satisfaction = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "area",
            "company",
            "title",
            "period_start",
            "period_end",
            "opens_on",
            "closes_on",
            "is_closed",
            "n_answers",
            "households",
            "response_rate",
            "satisfaction",
        ]

"""Shapes of the supports API (no rules here: the services decide)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from grids.models import GRADES, ServiceKind, WorkerPost

from ..models import (
    Applicant,
    Appraisal,
    AppraisalResult,
    DifficultProblem,
    Education,
    FundBudget,
    FundKind,
    FundSpending,
    Promotion,
    RecruitmentPost,
    RecruitmentRound,
    Room,
    RoomBooking,
    ServiceCentre,
    ServiceLine,
    ServiceRecord,
    SessionKind,
    SpendingPurpose,
    StudioSession,
    Topic,
)
from ..workflow import TRANSITIONS


class CentreSerializer(serializers.ModelSerializer[ServiceCentre]):
    area_name = serializers.CharField(source="area.name", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)
    rooms = serializers.IntegerField(source="n_rooms", read_only=True)
    stations = serializers.IntegerField(source="n_stations", read_only=True)
    score = serializers.SerializerMethodField()

    class Meta:
        model = ServiceCentre
        fields = [
            "id",
            "level",
            "area",
            "area_name",
            "parent",
            "parent_name",
            "name",
            "address",
            "opening_hours",
            "phone",
            "floor_area",
            "services",
            "lines",
            "opened_on",
            "is_active",
            "note",
            "rooms",
            "stations",
            "score",
            "updated_at",
        ]

    def get_score(self, obj: Any) -> int | None:
        value = getattr(obj, "score_value", None)
        return round(value) if value is not None else None


class CentreWriteSerializer(serializers.Serializer[Any]):
    area = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200)
    opening_hours = serializers.CharField(max_length=100)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    floor_area = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceKind.choices), required=False
    )
    lines = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceLine.choices), required=False
    )
    opened_on = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    updated_at = serializers.DateTimeField(
        required=False, help_text="The version edited: a stale one is refused with 409."
    )


class RoomSerializer(serializers.ModelSerializer[Room]):
    centre_name = serializers.CharField(source="centre.name", read_only=True)

    class Meta:
        model = Room
        fields = ["id", "centre", "centre_name", "name", "capacity", "purpose", "is_active"]


class BookingSerializer(serializers.ModelSerializer[RoomBooking]):
    room_name = serializers.CharField(source="room.name", read_only=True)
    centre = serializers.IntegerField(source="room.centre_id", read_only=True)

    class Meta:
        model = RoomBooking
        fields = [
            "id",
            "room",
            "room_name",
            "centre",
            "title",
            "organiser",
            "attendees",
            "starts_at",
            "ends_at",
            "status",
            "booked_by",
            "created_at",
        ]
        read_only_fields = ["status", "booked_by", "created_at"]


class BookingWriteSerializer(serializers.Serializer[Any]):
    room = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    organiser = serializers.CharField(max_length=100, required=False, allow_blank=True)
    attendees = serializers.IntegerField(min_value=0, required=False)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class RecordSerializer(serializers.ModelSerializer[ServiceRecord]):
    place = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "centre",
            "station",
            "place",
            "kind",
            "line",
            "served_on",
            "content",
            "served",
            "people",
            "served_by",
            "created_at",
        ]

    def get_place(self, obj: ServiceRecord) -> str:
        return str(obj.place)


class RecordWriteSerializer(serializers.Serializer[Any]):
    centre = serializers.IntegerField(required=False, allow_null=True)
    station = serializers.IntegerField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    line = serializers.ChoiceField(choices=ServiceLine.choices, required=False, allow_blank=True)
    served_on = serializers.DateField()
    content = serializers.CharField(max_length=200)
    served = serializers.CharField(max_length=100)
    people = serializers.IntegerField(min_value=1, required=False)
    served_by = serializers.CharField(max_length=50)


class CountQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    centre = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=ServiceKind.choices, required=False)


class CountRowSerializer(serializers.Serializer[Any]):
    place = serializers.CharField()
    place_kind = serializers.CharField()
    place_id = serializers.IntegerField()
    month = serializers.IntegerField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    people = serializers.IntegerField()


class SessionSerializer(serializers.ModelSerializer[StudioSession]):
    attendee_count = serializers.IntegerField(source="n_attendees", read_only=True)

    class Meta:
        model = StudioSession
        fields = [
            "id",
            "held_on",
            "kind",
            "topic",
            "title",
            "place",
            "summary",
            "attendees",
            "attendee_count",
            "guests",
        ]


class SessionWriteSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=SessionKind.choices)
    topic = serializers.ChoiceField(choices=Topic.choices)
    title = serializers.CharField(max_length=100)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    attendees = serializers.ListField(child=serializers.IntegerField(), required=False)
    guests = serializers.IntegerField(min_value=0, required=False)


class ProblemSerializer(serializers.ModelSerializer[DifficultProblem]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = DifficultProblem
        fields = [
            "id",
            "studio",
            "community",
            "community_name",
            "title",
            "topic",
            "description",
            "raised_on",
            "session",
            "advice",
            "state",
            "case",
            "case_number",
            "solved_on",
            "updated_at",
        ]


class ProblemWriteSerializer(serializers.Serializer[Any]):
    community = serializers.IntegerField()
    title = serializers.CharField(max_length=100)
    topic = serializers.ChoiceField(choices=Topic.choices)
    description = serializers.CharField(max_length=4000)
    raised_on = serializers.DateField(required=False)
    case = serializers.IntegerField(required=False, allow_null=True)


class ProblemTransitionSerializer(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=[(a, str(t.label)) for a, t in TRANSITIONS.items()])
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    advice = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    session = serializers.IntegerField(required=False, allow_null=True)
    on = serializers.DateField(required=False, allow_null=True)


class BudgetSerializer(serializers.ModelSerializer[FundBudget]):
    community_name = serializers.CharField(source="community.name", read_only=True)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    left = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    standard = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    below_standard = serializers.BooleanField(read_only=True)

    class Meta:
        model = FundBudget
        fields = [
            "id",
            "community",
            "community_name",
            "year",
            "kind",
            "amount",
            "spent",
            "left",
            "standard",
            "below_standard",
            "note",
            "updated_at",
        ]


class BudgetWriteSerializer(serializers.Serializer[Any]):
    community = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=FundKind.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    updated_at = serializers.DateTimeField(
        required=False, help_text="The version edited: a stale one is refused with 409."
    )


class SpendingSerializer(serializers.ModelSerializer[FundSpending]):
    community = serializers.IntegerField(source="budget.community_id", read_only=True)
    kind = serializers.CharField(source="budget.kind", read_only=True)
    year = serializers.IntegerField(source="budget.year", read_only=True)
    voucher_url = serializers.SerializerMethodField()

    class Meta:
        model = FundSpending
        fields = [
            "id",
            "budget",
            "community",
            "year",
            "kind",
            "spent_on",
            "purpose",
            "description",
            "amount",
            "approver",
            "voucher_no",
            "voucher_url",
            "created_at",
        ]

    def get_voucher_url(self, obj: FundSpending) -> str | None:
        """The scoped page that serves the voucher (never a public media address)."""
        return reverse("supports:voucher", args=[obj.pk]) if obj.voucher else None


class SpendingWriteSerializer(serializers.Serializer[Any]):
    budget = serializers.IntegerField()
    spent_on = serializers.DateField()
    purpose = serializers.ChoiceField(choices=SpendingPurpose.choices)
    description = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    approver = serializers.CharField(max_length=50)
    voucher_no = serializers.CharField(max_length=40, required=False, allow_blank=True)
    voucher = serializers.FileField(required=False, allow_null=True)


class FundCheckSerializer(serializers.Serializer[Any]):
    community = serializers.IntegerField(source="pk")
    community_name = serializers.CharField(source="name")
    work_budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    work_spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    service_budget = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    service_spent = serializers.DecimalField(max_digits=14, decimal_places=2)
    flags = serializers.ListField(child=serializers.CharField())


class RosterSerializer(serializers.Serializer[Any]):
    community = serializers.IntegerField(source="pk")
    community_name = serializers.CharField(source="name")
    posts = serializers.ListField(child=serializers.DictField())
    quota = serializers.IntegerField()
    filled = serializers.IntegerField()
    vacancies = serializers.IntegerField()


class RoundSerializer(serializers.ModelSerializer[RecruitmentRound]):
    openings = serializers.IntegerField(source="n_openings", read_only=True)
    applicants = serializers.IntegerField(source="n_applicants", read_only=True)
    hired = serializers.IntegerField(source="n_hired", read_only=True)

    class Meta:
        model = RecruitmentRound
        fields = [
            "id",
            "title",
            "year",
            "announced_on",
            "signup_ends_on",
            "exam_on",
            "state",
            "note",
            "openings",
            "applicants",
            "hired",
        ]
        read_only_fields = ["state"]


class PositionSerializer(serializers.ModelSerializer[RecruitmentPost]):
    class Meta:
        model = RecruitmentPost
        fields = ["id", "round", "community", "post", "grade", "openings"]


class PositionWriteSerializer(serializers.Serializer[Any]):
    community = serializers.IntegerField()
    post = serializers.ChoiceField(choices=WorkerPost.choices)
    grade = serializers.IntegerField(min_value=1, max_value=GRADES, required=False)
    openings = serializers.IntegerField(min_value=1)


class ApplicantSerializer(serializers.ModelSerializer[Applicant]):
    """ID numbers and phones masked, as everywhere."""

    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = Applicant
        fields = [
            "id",
            "round",
            "position",
            "name",
            "gender",
            "id_number",
            "phone",
            "education",
            "is_party_member",
            "written_score",
            "interview_score",
            "total",
            "result",
            "worker",
        ]


class ApplicantWriteSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(choices=[("M", "男"), ("F", "女")])
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    education = serializers.ChoiceField(choices=Education.choices)
    is_party_member = serializers.BooleanField(required=False)


class ScoreSerializer(serializers.Serializer[Any]):
    written_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    interview_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class DecideSerializer(serializers.Serializer[Any]):
    result = serializers.ChoiceField(choices=["passed", "failed", "withdrawn"])


class HireSerializer(serializers.Serializer[Any]):
    hired_on = serializers.DateField()


class AppraisalSerializer(serializers.ModelSerializer[Appraisal]):
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = Appraisal
        fields = ["id", "worker", "worker_name", "year", "post", "grade", "result", "score", "note"]
        read_only_fields = ["post", "grade"]


class AppraisalWriteSerializer(serializers.Serializer[Any]):
    worker = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    result = serializers.ChoiceField(choices=AppraisalResult.choices)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class PromotionSerializer(serializers.ModelSerializer[Promotion]):
    worker_name = serializers.CharField(source="worker.name", read_only=True)

    class Meta:
        model = Promotion
        fields = [
            "id",
            "worker",
            "worker_name",
            "from_post",
            "from_grade",
            "to_post",
            "to_grade",
            "effective_on",
            "appraisal",
            "reason",
        ]


class PromotionWriteSerializer(serializers.Serializer[Any]):
    worker = serializers.IntegerField()
    to_post = serializers.ChoiceField(choices=WorkerPost.choices)
    to_grade = serializers.IntegerField(min_value=1, max_value=GRADES)
    effective_on = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

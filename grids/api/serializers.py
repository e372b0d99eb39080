"""Shapes only: the services decide."""

from typing import Any

from rest_framework import serializers

from cases.models import CaseState
from cases.selectors import leaf_categories
from grids import selectors
from grids.models import (
    CommunityWorker,
    Grid,
    GridKind,
    GridPost,
    GridStaffing,
    Station,
    Visit,
    VisitKind,
    VisitProblem,
)


class GridSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    workers = serializers.IntegerField(source="n_workers", read_only=True)
    leaders = serializers.IntegerField(source="n_leaders", read_only=True)
    secretaries = serializers.IntegerField(source="n_secretaries", read_only=True)
    coverages = serializers.IntegerField(source="n_coverages", read_only=True)
    staffing_problems = serializers.SerializerMethodField()

    class Meta:
        model = Grid
        fields = [
            "id",
            "code",
            "name",
            "community",
            "community_name",
            "kind",
            "kind_label",
            "boundary",
            "is_active",
            "note",
            "workers",
            "leaders",
            "secretaries",
            "coverages",
            "staffing_problems",
            "version",
        ]

    def get_staffing_problems(self, grid: Grid) -> list[str]:
        return selectors.breaches_of(grid)


class GridWriteSerializer(serializers.Serializer):
    community = serializers.IntegerField(required=False)
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=GridKind.choices)
    boundary = serializers.JSONField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Required on PATCH: the version you read; a stale one is refused with 409.",
    )


class LocateSerializer(serializers.Serializer):
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    latitude = serializers.FloatField(min_value=-90, max_value=90)


class StaffingSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    post_label = serializers.CharField(source="get_post_display", read_only=True)

    class Meta:
        model = GridStaffing
        fields = [
            "id",
            "grid",
            "grid_name",
            "post",
            "post_label",
            "worker",
            "person_name",
            "started_on",
            "ended_on",
        ]
        read_only_fields = ["ended_on"]


class StaffingWriteSerializer(serializers.Serializer):
    grid = serializers.IntegerField()
    post = serializers.ChoiceField(choices=GridPost.choices)
    worker = serializers.IntegerField(required=False, allow_null=True)
    person_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    started_on = serializers.DateField()


class StaffingEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class WorkerSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    post_label = serializers.CharField(source="get_post_display", read_only=True)
    duty_label = serializers.CharField(source="get_duty_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    grids = serializers.SerializerMethodField()

    class Meta:
        model = CommunityWorker
        fields = [
            "id",
            "name",
            "community",
            "community_name",
            "post",
            "post_label",
            "grade",
            "duty",
            "duty_label",
            "status",
            "status_label",
            "is_party_member",
            "hired_on",
            "grids",
        ]

    def get_grids(self, worker: Any) -> list[str]:
        return [s.grid.name for s in worker.current_staffings]


class StationSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    model_posts = serializers.IntegerField(source="n_model_posts", read_only=True)

    class Meta:
        model = Station
        fields = [
            "id",
            "grid",
            "grid_name",
            "kind",
            "kind_label",
            "name",
            "residential_area",
            "address",
            "longitude",
            "latitude",
            "opening_hours",
            "services",
            "opened_on",
            "is_active",
            "model_posts",
        ]


class VisitProblemSerializer(serializers.ModelSerializer):
    """A problem found on a visit and the case it opened; solved when the case is closed."""

    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    case_state = serializers.CharField(source="case.state", read_only=True, default=None)
    case_state_label = serializers.CharField(
        source="case.get_state_display", read_only=True, default=None
    )
    solved = serializers.SerializerMethodField()

    class Meta:
        model = VisitProblem
        fields = ["id", "description", "case", "case_number", "case_state", "case_state_label",
                  "solved"]  # fmt: skip

    def get_solved(self, problem: VisitProblem) -> bool:
        return problem.case is not None and problem.case.state == CaseState.CLOSED


class VisitSerializer(serializers.ModelSerializer):
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    household_label = serializers.CharField(source="household.__str__", read_only=True)
    visitor_name = serializers.CharField(source="visitor.display_name", read_only=True)
    problems = serializers.IntegerField(source="n_problems", read_only=True)
    solved_problems = serializers.IntegerField(source="n_solved", read_only=True)
    open_problems = serializers.IntegerField(source="n_open", read_only=True)
    problem_cases = VisitProblemSerializer(source="problems", many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "grid",
            "grid_name",
            "household",
            "household_label",
            "visitor_name",
            "visited_on",
            "kind",
            "heard",
            "follow_up_on",
            "followed_up",
            "problems",
            "solved_problems",
            "open_problems",
            "problem_cases",
        ]


class NeedInputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField(max_length=1000)


class ProblemInputSerializer(serializers.Serializer):
    """A problem found on the visit, reported as a case of ``category`` (a second-level one)."""

    category = serializers.PrimaryKeyRelatedField(queryset=leaf_categories())
    description = serializers.CharField(max_length=500)


class VisitWriteSerializer(serializers.Serializer):
    grid = serializers.IntegerField()
    household = serializers.IntegerField()
    visited_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    heard = serializers.CharField(max_length=2000)
    needs = NeedInputSerializer(many=True, required=False)
    problems = ProblemInputSerializer(many=True, required=False)
    follow_up_on = serializers.DateField(required=False, allow_null=True)

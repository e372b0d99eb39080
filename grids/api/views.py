"""Grids API: scoped lists through the selectors, writes through the services."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.viewsets import IdempotentMixin
from governance.models import Area, Household
from grids import policies, selectors, services
from grids.models import CommunityWorker, Grid, GridStaffing, Station, Visit, VisitProblem

from . import serializers as s


def _forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise exceptions.PermissionDenied()


class GridViewSet(
    IdempotentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Grids in the caller's scope, with staffing counts and the staffing-rule problems."""

    queryset = Grid.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.GridSerializer
    filterset_fields = ["kind", "community", "is_active"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "area_path", "n_workers"]
    ordering = ["code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Grid]:
        _forbid_unless(policies.can_view_grids(self.request.user))
        staffing = self.request.query_params.get("staffing", "")
        return selectors.grid_list(actor=self.request.user, staffing=staffing)

    @extend_schema(request=s.GridWriteSerializer, responses=s.GridSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.GridWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("is_active", None)
        fields.pop("version", None)
        community_id = fields.pop("community", None)
        if community_id is None:
            raise exceptions.ValidationError({"community": ["请选择所属社区。"]})
        community: Area = get_object_or_404(Area.objects.visible_to(request.user), pk=community_id)
        grid = services.grid_create(actor=request.user, community=community, **fields)
        body = s.GridSerializer(self.get_queryset().get(pk=grid.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.GridWriteSerializer, responses=s.GridSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        grid = self.get_object()
        data = s.GridWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        if "version" not in data.validated_data:
            raise exceptions.ValidationError({"version": ["请提供所编辑的版本（version）。"]})
        changes = {k: v for k, v in data.validated_data.items() if k in services.GRID_FIELDS}
        services.grid_update(
            actor=request.user,
            grid=grid,
            seen_version=data.validated_data["version"],
            **changes,
        )
        return Response(s.GridSerializer(self.get_queryset().get(pk=grid.pk)).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(parameters=[s.LocateSerializer], responses=s.GridSerializer)
    @action(detail=False, methods=["get"])
    def locate(self, request: Request) -> Response:
        """The grid holding a point (`?longitude=&latitude=`); 404 when no visible grid does."""
        query = s.LocateSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        grid = selectors.grid_locate(actor=request.user, **query.validated_data)
        if grid is None:
            raise exceptions.NotFound("该位置不在任何网格之中。")
        return Response(s.GridSerializer(self.get_queryset().get(pk=grid.pk)).data)


class StaffingViewSet(
    IdempotentMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Who holds (and held) which grid post; POST names someone, `end` ends a term."""

    queryset = GridStaffing.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.StaffingSerializer
    filterset_fields = ["grid", "post"]
    search_fields = ["person_name"]
    ordering_fields = ["started_on", "ended_on"]

    def get_queryset(self) -> QuerySet[GridStaffing]:
        _forbid_unless(policies.can_view_grids(self.request.user))
        current = self.request.query_params.get("current")
        flag = {"true": True, "false": False}.get(current or "")
        return selectors.staffing_list(actor=self.request.user, current=flag)

    @extend_schema(request=s.StaffingWriteSerializer, responses=s.StaffingSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.StaffingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=fields.pop("grid"))
        worker_id = fields.pop("worker", None)
        worker = (
            get_object_or_404(CommunityWorker.objects.visible_to(request.user), pk=worker_id)
            if worker_id
            else None
        )
        staffing = services.staffing_assign(actor=request.user, grid=grid, worker=worker, **fields)
        return Response(s.StaffingSerializer(staffing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.StaffingEndSerializer, responses=s.StaffingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        staffing = get_object_or_404(GridStaffing.objects.visible_to(request.user), pk=pk)
        data = s.StaffingEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.staffing_end(actor=request.user, staffing=staffing, **data.validated_data)
        return Response(s.StaffingSerializer(staffing).data)


class WorkerViewSet(viewsets.ReadOnlyModelViewSet):
    """The community worker roster (3岗18级, 五员) for the offices that run it."""

    queryset = CommunityWorker.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.WorkerSerializer
    filterset_fields = ["community", "post", "duty", "status", "grade"]
    search_fields = ["name"]
    ordering_fields = ["name", "grade", "area_path"]

    def get_queryset(self) -> QuerySet[CommunityWorker]:
        _forbid_unless(policies.can_view_roster(self.request.user))
        return selectors.worker_list(actor=self.request.user)


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """Red stations and grid service stations."""

    queryset = Station.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.StationSerializer
    filterset_fields = ["kind", "grid"]
    search_fields = ["name", "address"]
    ordering_fields = ["name"]

    def get_queryset(self) -> QuerySet[Any]:
        _forbid_unless(policies.can_view_grids(self.request.user))
        return selectors.station_list(actor=self.request.user)


class VisitViewSet(
    IdempotentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Visits (民情走访); POST logs one with its needs and problems in one step."""

    queryset = Visit.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.VisitSerializer
    filterset_fields = ["grid", "kind", "visited_on"]
    search_fields = ["heard"]
    ordering_fields = ["visited_on", "follow_up_on"]

    def get_queryset(self) -> QuerySet[Any]:
        _forbid_unless(policies.can_view_grids(self.request.user))
        return selectors.visit_list(
            actor=self.request.user, problems=self.request.query_params.get("problems", "")
        ).prefetch_related(
            Prefetch("problems", queryset=VisitProblem.objects.select_related("case"))
        )

    @extend_schema(request=s.VisitWriteSerializer, responses=s.VisitSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _forbid_unless(policies.can_log_visit(request.user))
        data = s.VisitWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        grid = get_object_or_404(Grid.objects.visible_to(request.user), pk=fields.pop("grid"))
        household = get_object_or_404(
            Household.objects.visible_to(request.user).select_related("building"),
            pk=fields.pop("household"),
        )
        needs = [(n["kind"], n["description"]) for n in fields.pop("needs", [])]
        problems = [(p["category"], p["description"]) for p in fields.pop("problems", [])]
        visit = services.visit_log(
            actor=request.user,
            grid=grid,
            household=household,
            needs=needs,
            problems=problems,
            **fields,
        )
        body = s.VisitSerializer(self.get_queryset().get(pk=visit.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

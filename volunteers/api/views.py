"""The 双报到 API: lists cut to the caller's scope (objects outside it are 404), writes through
the services, whose refusals the one exception handler maps to the contract (400 with field
messages, 403, 409 for a state that does not allow the change or a lost race)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.viewsets import IdempotentMixin

from .. import policies, selectors, services
from ..models import CampaignShift, CommunityNeed, MemberCheckIn, Resource, UnitCheckIn
from . import serializers as s


class Allowed(IdempotentMixin):
    """The 双报到 API is for area offices and department liaisons (三员分立 keeps the others
    out); a POST takes `Idempotency-Key`."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not policies.can_use(request.user):
            raise exceptions.PermissionDenied()


class UnitCheckInViewSet(
    Allowed, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """单位报到: a unit at a community for a year; `POST {id}/confirm/` (the community)."""

    serializer_class = s.UnitCheckInSerializer
    filterset_fields = ["year", "state", "department", "community", "unit_type"]
    search_fields = ["department__name", "contact_name", "community__name"]
    ordering_fields = ["year", "area_path", "created_at"]
    ordering = ["-year", "area_path", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.checkin_list(actor=self.request.user)

    @extend_schema(request=s.UnitCheckInCreateSerializer, responses={201: s.UnitCheckInSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.UnitCheckInCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = services.unit_checkin_create(actor=request.user, **data.validated_data)
        row = self.get_queryset().get(pk=checkin.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.UnitCheckInSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        checkin = self.get_object()
        services.unit_checkin_confirm(actor=request.user, checkin=checkin)
        return Response(self.get_serializer(self.get_queryset().get(pk=checkin.pk)).data)


class ResourceViewSet(
    Allowed, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """资源清单: the units' resources at communities."""

    serializer_class = s.ResourceSerializer
    filterset_fields = ["kind", "department", "checkin"]
    search_fields = ["name", "description"]
    ordering = ["area_path", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.resource_list(actor=self.request.user)

    @extend_schema(request=s.ResourceCreateSerializer, responses={201: s.ResourceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ResourceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        checkin = get_object_or_404(
            UnitCheckIn.objects.visible_to(request.user), pk=values.pop("checkin")
        )
        resource = services.resource_add(actor=request.user, checkin=checkin, **values)
        row = self.get_queryset().get(pk=resource.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


class CommunityNeedViewSet(Allowed, viewsets.ReadOnlyModelViewSet):
    """需求清单: the communities' needs lists (a liaison sees those of their projects)."""

    serializer_class = s.CommunityNeedSerializer
    filterset_fields = ["kind", "source", "state", "community"]
    search_fields = ["title", "description"]
    ordering = ["-raised_on", "-id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.need_list(actor=self.request.user)


class ProjectViewSet(
    Allowed, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """共驻共建项目. Transitions: `POST {id}/transitions/` with `{"action", "note", "rating",
    "expected_state"}`; see volunteers/workflow.py for the actions."""

    serializer_class = s.ProjectSerializer
    filterset_fields = ["state", "community", "lead_department"]
    search_fields = ["title", "lead_department__name"]
    ordering_fields = ["created_at", "starts_on", "ends_on", "budget"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.project_list(actor=self.request.user)

    @extend_schema(request=s.ProjectCreateSerializer, responses={201: s.ProjectSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ProjectCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        values["needs"] = list(
            CommunityNeed.objects.visible_to(user).filter(pk__in=values.get("needs") or [])
        )
        values["resources"] = list(
            Resource.objects.visible_to(user).filter(pk__in=values.get("resources") or [])
        )
        values["milestones"] = [dict(m) for m in values.get("milestones") or []]
        project = services.project_create(actor=user, **values)
        row = self.get_queryset().get(pk=project.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TransitionSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        project = self.get_object()
        data = s.TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.project_transition(
            actor=request.user,
            project=project,
            action=values["action"],
            note=values.get("note", ""),
            rating=values.get("rating"),
            expected_state=values.get("expected_state") or None,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=project.pk)).data)


class MemberCheckInViewSet(
    Allowed, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """党员报到: in-service members at their home communities (phones masked)."""

    serializer_class = s.MemberCheckInSerializer
    filterset_fields = ["community", "employer_department", "grid"]
    search_fields = ["name", "employer", "branch"]
    ordering_fields = ["name", "registered_on"]
    ordering = ["area_path", "name", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.member_checkin_list(actor=self.request.user)

    @extend_schema(
        request=s.MemberCheckInCreateSerializer, responses={201: s.MemberCheckInSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.MemberCheckInCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = services.member_checkin_create(actor=request.user, **data.validated_data)
        row = self.get_queryset().get(pk=checkin.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


class CampaignViewSet(Allowed, viewsets.ReadOnlyModelViewSet):
    """专项行动; `GET {id}/stats/`: distinct people and hours per grid and per day."""

    serializer_class = s.CampaignSerializer
    search_fields = ["title"]
    ordering = ["-starts_on", "-id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.campaign_list(actor=self.request.user)

    @extend_schema(responses=s.CampaignStatsSerializer)
    @action(detail=True)
    def stats(self, request: Request, pk: str) -> Response:
        campaign = self.get_object()
        stats = selectors.campaign_stats(actor=request.user, campaign=campaign)
        return Response(s.CampaignStatsSerializer(stats).data)


class SignupViewSet(
    Allowed, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Sign-ups of members, cadres and volunteers on campaign shifts."""

    serializer_class = s.SignupSerializer
    filterset_fields = ["campaign", "grid", "day", "shift"]
    ordering = ["day", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.signup_list(actor=self.request.user)

    @extend_schema(request=s.SignupCreateSerializer, responses={201: s.SignupSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.SignupCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        shift = get_object_or_404(
            CampaignShift.objects.visible_to(request.user), pk=values.pop("shift")
        )
        member_id = values.pop("member_checkin", None)
        member = (
            get_object_or_404(MemberCheckIn.objects.visible_to(request.user), pk=member_id)
            if member_id
            else None
        )
        signup = services.signup_add(
            actor=request.user, shift=shift, member_checkin=member, **values
        )
        row = self.get_queryset().get(pk=signup.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

"""The volunteer-service API: teams, volunteers, activities with sign-ups and attendance,
the points ledger and redemptions, wishes with their transitions. Lists are cut to the
caller's scope (outside it: 404); writes go through the services, whose refusals the one
exception handler maps to the contract (400 with field messages, 403, 409)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.viewsets import IdempotentMixin
from governance.models import Department

from .. import policies, services
from .. import service_selectors as sel
from ..models import MemberCheckIn, ShopItem, Volunteer, VolunteerTeam
from . import service_serializers as s


class ServiceAllowed(IdempotentMixin):
    """For the area roles (三员分立 and liaisons stay out); a POST takes `Idempotency-Key`."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not policies.can_use_service(request.user):
            raise exceptions.PermissionDenied()


class TeamViewSet(ServiceAllowed, viewsets.ReadOnlyModelViewSet):
    """志愿服务队: a team per grid and the brand teams."""

    serializer_class = s.TeamSerializer
    filterset_fields = ["kind", "community", "grid"]
    search_fields = ["name", "focus"]
    ordering = ["area_path", "kind", "name"]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.team_list(actor=self.request.user)


class VolunteerViewSet(
    ServiceAllowed, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """志愿者 (phones masked), their hours and star level and points balance."""

    serializer_class = s.VolunteerSerializer
    filterset_fields = ["community", "source"]
    search_fields = ["name", "skills"]
    ordering_fields = ["name", "hours", "points", "registered_on"]
    ordering = ["area_path", "name", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.volunteer_list(actor=self.request.user)

    @extend_schema(request=s.VolunteerCreateSerializer, responses={201: s.VolunteerSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.VolunteerCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        volunteer = services.volunteer_register(actor=request.user, **data.validated_data)
        row = self.get_queryset().get(pk=volunteer.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)


class ActivityViewSet(
    ServiceAllowed, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """志愿活动; `POST {id}/signups/` with `{"volunteer"}` signs a volunteer up."""

    serializer_class = s.ActivitySerializer
    filterset_fields = ["kind", "community", "team", "station", "state"]
    search_fields = ["title", "programme", "place"]
    ordering_fields = ["starts_at", "attendance_count"]
    ordering = ["-starts_at", "-id"]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.activity_list(actor=self.request.user)

    @extend_schema(request=s.ActivityCreateSerializer, responses={201: s.ActivitySerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ActivityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team_id = values.pop("team", None)
        team = (
            get_object_or_404(VolunteerTeam.objects.visible_to(request.user), pk=team_id)
            if team_id
            else None
        )
        activity = services.activity_create(actor=request.user, team=team, **values)
        row = self.get_queryset().get(pk=activity.pk)
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ActivitySignupSerializer, responses={201: s.AttendanceSerializer})
    @action(detail=True, methods=["post"])
    def signups(self, request: Request, pk: str) -> Response:
        activity = self.get_object()
        data = s.ActivitySignupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        volunteer = get_object_or_404(
            Volunteer.objects.visible_to(request.user), pk=data.validated_data["volunteer"]
        )
        attendance = services.attendance_signup(
            actor=request.user, activity=activity, volunteer=volunteer
        )
        row = sel.attendance_list(actor=request.user).get(pk=attendance.pk)
        return Response(s.AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class AttendanceViewSet(ServiceAllowed, mixins.ListModelMixin, viewsets.GenericViewSet):
    """签到记录; `POST {id}/actions/` with `{"action": "check_in"|"check_out"|"approve"|
    "absent", "at", "hours"}`."""

    serializer_class = s.AttendanceSerializer
    filterset_fields = ["activity", "volunteer", "state", "channel"]
    ordering = ["-signed_up_at", "-id"]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.attendance_list(actor=self.request.user)

    @extend_schema(request=s.AttendanceActionSerializer, responses=s.AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def actions(self, request: Request, pk: str) -> Response:
        attendance = self.get_object()
        data = s.AttendanceActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        name = values["action"]
        if name == "approve":
            services.attendance_approve(
                actor=request.user, attendance=attendance, hours=values.get("hours")
            )
        elif name == "absent":
            services.attendance_absent(actor=request.user, attendance=attendance)
        else:
            service = (
                services.attendance_check_in
                if name == "check_in"
                else services.attendance_check_out
            )
            service(actor=request.user, attendance=attendance, at=values.get("at"))
        return Response(self.get_serializer(self.get_queryset().get(pk=attendance.pk)).data)


class PointsViewSet(ServiceAllowed, mixins.ListModelMixin, viewsets.GenericViewSet):
    """社区治理服务积分: the append-only ledger; `POST redeem/` exchanges points at the shop."""

    serializer_class = s.PointsEntrySerializer
    filterset_fields = ["volunteer", "reason"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.points_list(actor=self.request.user)

    @extend_schema(request=s.RedeemSerializer, responses={201: s.PointsEntrySerializer})
    @action(detail=False, methods=["post"])
    def redeem(self, request: Request) -> Response:
        data = s.RedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        volunteer = get_object_or_404(
            Volunteer.objects.visible_to(request.user), pk=values["volunteer"]
        )
        item = get_object_or_404(ShopItem.objects.visible_to(request.user), pk=values["item"])
        redemption = services.points_redeem(
            actor=request.user, volunteer=volunteer, item=item, quantity=values["quantity"]
        )
        entry = self.get_queryset().get(pk=redemption.entry_id)
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


class WishViewSet(
    ServiceAllowed, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """微心愿. Transitions: `POST {id}/transitions/` with `{"action", "note", "claimant_kind",
    "claimant", "photo"}`; see volunteers/wish_workflow.py. A claim that lost the race: 409."""

    serializer_class = s.WishSerializer
    filterset_fields = ["state", "community", "grid"]
    search_fields = ["title", "beneficiary", "claimant_name"]
    ordering_fields = ["posted_at", "published_at"]
    ordering = ["-posted_at", "-id"]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.wish_list(actor=self.request.user)

    @extend_schema(request=s.WishCreateSerializer, responses={201: s.WishSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.WishCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wish = services.wish_post(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(wish).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.WishTransitionSerializer, responses=s.WishSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        wish = self.get_object()
        data = s.WishTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        name, note, user = values["action"], values.get("note", ""), request.user
        if name in ("publish", "reject"):
            services.wish_review(actor=user, wish=wish, approve=name == "publish", note=note)
        elif name == "claim":
            ident = values.get("claimant")
            kind = values.get("claimant_kind")
            if kind == "volunteer":
                claimant = {
                    "volunteer": get_object_or_404(Volunteer.objects.visible_to(user), pk=ident)
                }
            elif kind == "member":
                claimant = {
                    "member_checkin": get_object_or_404(
                        MemberCheckIn.objects.visible_to(user), pk=ident
                    )
                }
            elif kind == "unit":
                claimant = {"unit": get_object_or_404(Department, pk=ident, is_active=True)}
            else:
                raise exceptions.ValidationError({"claimant_kind": [_("请选择认领方类型。")]})
            services.wish_claim(actor=user, wish=wish, **claimant)
        elif name == "fulfil":
            services.wish_fulfil(actor=user, wish=wish, photo=values.get("photo"), note=note)
        elif name == "confirm":
            services.wish_confirm(actor=user, wish=wish)
        else:
            services.wish_thank(actor=user, wish=wish, note=note)
        return Response(self.get_serializer(self.get_queryset().get(pk=wish.pk)).data)


class ShopItemViewSet(ServiceAllowed, viewsets.ReadOnlyModelViewSet):
    """积分超市: the communities' items, their points and stock."""

    serializer_class = s.ShopItemSerializer
    filterset_fields = ["community", "is_active"]
    search_fields = ["name"]
    ordering = ["area_path", "points", "name"]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.shop_list(actor=self.request.user)


class MicroServiceViewSet(ServiceAllowed, viewsets.ReadOnlyModelViewSet):
    """微公益、微就业、微课堂、微养老: the offerings and how many records of service each has."""

    serializer_class = s.MicroServiceSerializer
    filterset_fields = ["kind", "community", "team"]
    search_fields = ["title", "provider"]
    ordering = ["area_path", "kind", "title"]

    def get_queryset(self) -> QuerySet[Any]:
        return sel.micro_list(actor=self.request.user)

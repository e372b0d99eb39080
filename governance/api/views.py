from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.personal_data import wants_unmask
from accounts.services import audit_unmask, audit_unmask_list
from common.api.viewsets import IdempotentMixin
from governance import filters, selectors, services
from governance.models import Area, Household, NeedsLedger, PartyMember, PartyOrg, Resident
from governance.persons import PersonFields

from . import serializers as s

WITHIN = OpenApiParameter("within", OpenApiTypes.INT, description="只列出该区域（含）之下的记录")
UNMASK = OpenApiParameter(
    "unmask", OpenApiTypes.INT, description="1：显示身份证号、手机号明文（须有权限，记入审计）"
)


@extend_schema_view(list=extend_schema(parameters=[WITHIN]))
class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The territory tree (区 → 街道 → 社区 → 小区 → 楼栋), cut to the caller's scope.
    ``?q=`` (or ``?search=``) matches names, codes and pinyin initials (hysq → 华阳社区)."""

    serializer_class = s.AreaSerializer
    filterset_class = filters.AreaFilter
    ordering_fields = ["path", "name", "code"]
    ordering = ["path"]

    def get_queryset(self) -> QuerySet[Area]:
        return selectors.area_list(actor=self.request.user)

    @extend_schema(responses=s.CoverageSerializer)
    @action(detail=True)
    def coverage(self, request: Request, pk: str | None = None) -> Response:
        """全域组织覆盖: the share of residential areas and buildings of this subtree that
        have an anchored party organisation."""
        area = self.get_object()
        return Response(s.CoverageSerializer(selectors.coverage_for(area)).data)


class UnmaskMixin:
    """Lists and details mask ID numbers and phones; ``?unmask=1`` from a holder of the
    permission shows them in plain and writes the audit row."""

    unmask_fields = ["id_number", "phone"]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["unmask"] = wants_unmask(self.request)  # type: ignore[attr-defined]
        return context

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        if wants_unmask(request):
            data = response.data.get("results", response.data)
            audit_unmask_list(
                actor=request.user,
                what=request.path,
                ids=[row["id"] for row in data],
                fields=self.unmask_fields,
                request=request,
            )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        if wants_unmask(request):
            audit_unmask(
                actor=request.user,
                target=self.get_object(),  # type: ignore[attr-defined]
                fields=self.unmask_fields,
                request=request,
            )
        return response


@extend_schema_view(list=extend_schema(parameters=[WITHIN]))
class PartyOrgViewSet(viewsets.ReadOnlyModelViewSet):
    """Party organisations (社区党组织 → 小区党支部 → 楼栋党小组, and the "1+3" co-building
    organisations) whose area lies in the caller's scope."""

    serializer_class = s.PartyOrgSerializer
    filterset_class = filters.PartyOrgFilter
    ordering_fields = ["path", "name", "founded_on"]
    ordering = ["path"]

    def get_queryset(self) -> QuerySet[PartyOrg]:
        return selectors.party_org_list(actor=self.request.user)


@extend_schema_view(list=extend_schema(parameters=[WITHIN]))
class HouseholdViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The household ledger (居民家庭档案). ``PATCH`` edits one with the ``version`` read
    (a stale one is a 409 naming what differs; nothing changes)."""

    serializer_class = s.HouseholdSerializer
    filterset_class = filters.HouseholdFilter
    ordering_fields = ["area_path", "head_name", "room", "updated_at"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Household]:
        return selectors.household_list(actor=self.request.user)

    @extend_schema(request=s.HouseholdUpdateSerializer, responses=s.HouseholdSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        household = self.get_object()
        data = s.HouseholdUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        services.household_update(
            actor=request.user,
            household=household,
            unit=fields.get("unit", household.unit),
            room=fields.get("room", household.room),
            note=fields.get("note", household.note),
            is_active=fields.get("is_active", household.is_active),
            seen_version=fields["version"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=household.pk)).data)


@extend_schema_view(
    list=extend_schema(parameters=[WITHIN, UNMASK]), retrieve=extend_schema(parameters=[UNMASK])
)
class ResidentViewSet(UnmaskMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Residents. ``?q=`` takes a name, or an exact ID number or phone. ``PATCH`` edits one
    with the ``version`` read (a stale one is a 409 naming what differs; nothing changes)."""

    serializer_class = s.ResidentSerializer
    filterset_class = filters.ResidentFilter
    ordering_fields = ["name", "birth_date", "area_path"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Resident]:
        return selectors.resident_list(actor=self.request.user)

    @extend_schema(request=s.ResidentUpdateSerializer, responses=s.ResidentSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        resident = self.get_object()
        data = s.ResidentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        person = PersonFields(
            name=fields.get("name", resident.name),
            gender=fields.get("gender", resident.gender),
            birth_date=fields.get("birth_date", resident.birth_date),
            id_number=fields.get("id_number", resident.id_number),
            phone=fields.get("phone", resident.phone),
        )
        services.resident_update(
            actor=request.user,
            resident=resident,
            person=person,
            relation=fields.get("relation", resident.relation),
            tags=fields.get("tags", resident.tags),
            is_active=fields.get("is_active", resident.is_active),
            seen_version=fields["version"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=resident.pk)).data)


@extend_schema_view(
    list=extend_schema(parameters=[WITHIN, UNMASK]), retrieve=extend_schema(parameters=[UNMASK])
)
class PartyMemberViewSet(UnmaskMixin, viewsets.ReadOnlyModelViewSet):
    """Party members of the organisations in the caller's scope."""

    serializer_class = s.PartyMemberSerializer
    filterset_class = filters.PartyMemberFilter
    ordering_fields = ["name", "joined_on", "area_path"]

    def get_queryset(self) -> QuerySet[PartyMember]:
        return selectors.member_list(actor=self.request.user)


@extend_schema_view(list=extend_schema(parameters=[WITHIN]))
class NeedsLedgerViewSet(
    IdempotentMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """The needs ledger (需求台账). ``POST`` records a need; ``take`` and ``complete`` move it
    on (409 when someone else got there first)."""

    serializer_class = s.NeedsLedgerSerializer
    filterset_class = filters.NeedsLedgerFilter
    ordering_fields = ["raised_on", "status", "kind"]

    def get_queryset(self) -> QuerySet[NeedsLedger]:
        return selectors.need_list(actor=self.request.user)

    @extend_schema(request=s.NeedCreateSerializer, responses={201: s.NeedsLedgerSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.NeedCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        household = selectors.household_get(actor=request.user, pk=data.validated_data["household"])
        need = services.need_create(
            actor=request.user,
            household=household,
            kind=data.validated_data["kind"],
            description=data.validated_data["description"],
            raised_on=data.validated_data.get("raised_on"),
        )
        return Response(s.NeedsLedgerSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NeedTakeSerializer, responses=s.NeedsLedgerSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str | None = None) -> Response:
        data = s.NeedTakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.need_take(
            actor=request.user,
            need=self.get_object(),
            taken_by=data.validated_data.get("taken_by", ""),
            seen_version=data.validated_data.get("version"),
        )
        return Response(s.NeedsLedgerSerializer(need).data)

    @extend_schema(request=s.NeedCompleteSerializer, responses=s.NeedsLedgerSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        data = s.NeedCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.need_complete(
            actor=request.user,
            need=self.get_object(),
            result=data.validated_data["result"],
            seen_version=data.validated_data.get("version"),
        )
        return Response(s.NeedsLedgerSerializer(need).data)

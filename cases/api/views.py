"""The cases API: lists and the queue cut to the caller's scope, transitions through the
services (403 for a role that may not, 409 for a state that does not allow it or a lost race)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, filters, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.personal_data import can_unmask
from accounts.services import audit_unmask
from cases import policies, selectors, services
from cases.forms import CaseFilterForm, TransitionForm
from cases.models import Case, Notification, WorkCalendarDay
from common.api.viewsets import IdempotentMixin
from common.db import ReplicaListMixin
from common.paging import LateJoinPagination

from .serializers import (
    CaseDetailSerializer,
    CaseEventSerializer,
    CaseReportSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    CategorySerializer,
    NotificationSerializer,
    TransitionRequestSerializer,
    WorkCalendarDaySerializer,
)


class CasesAllowed:
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not policies.can_use_cases(request.user):
            raise exceptions.PermissionDenied()


class CaseSearchFilter(filters.SearchFilter):
    """``?search=``: the web list's search (``selectors.case_search``), not DRF's ``icontains``
    over each field, which reads every visible case. The whole text is one term, as ``q``."""

    search_description = "按编号（开头或结尾）、标题、地址搜索，与 q 相同"
    field = forms.CharField(required=False, max_length=100)

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> QuerySet[Any]:
        try:
            text = self.field.clean(request.query_params.get(self.search_param, ""))
        except DjangoValidationError as error:
            raise DjangoValidationError({self.search_param: error.error_list}) from error
        return selectors.case_search(queryset, text) if text else queryset


FILTER_PARAMS = [
    OpenApiParameter("state", str, description="状态；open 为全部未办结"),
    OpenApiParameter("tier", str),
    OpenApiParameter("category", int, description="类别（一级类别含其下二级）"),
    OpenApiParameter("area", int, description="区域编号：该区域（含下级）的事件"),
    OpenApiParameter("alert", str, description="yellow 或 overdue"),
    OpenApiParameter("urgent", bool),
    OpenApiParameter("supervised", bool),
    OpenApiParameter("date_from", str, description="上报日期起（YYYY-MM-DD）"),
    OpenApiParameter("date_to", str, description="上报日期止（YYYY-MM-DD）"),
    OpenApiParameter("q", str, description="按编号、标题、地址搜索"),
]


class CaseViewSet(
    IdempotentMixin,  # POST (a report, a transition) takes an Idempotency-Key
    CasesAllowed,
    ReplicaListMixin,  # the list's reads may go to the replica (common.db)
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases (事件). Cases are never deleted: a wrong report is rejected or merged."""

    serializer_class = CaseSerializer
    pagination_class = LateJoinPagination
    filter_backends = [CaseSearchFilter, filters.OrderingFilter]
    ordering_fields = ["created_at", "due_at", "number"]
    ordering = ["-created_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Case]:
        if self.action in ("retrieve", "transitions", "timeline"):
            return Case.objects.none()
        form = CaseFilterForm(self.request.query_params, actor=self.request.user)
        if self.request.query_params and not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())
        return selectors.case_list(actor=self.request.user, filters=form.filters())

    def get_object(self) -> Case:
        pk = self.kwargs["pk"]
        if not pk.isascii() or not pk.isdigit():
            raise Http404
        return selectors.case_get(actor=self.request.user, pk=int(pk))

    @extend_schema(parameters=FILTER_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=CaseDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        unmask = request.query_params.get("unmask") == "1" and can_unmask(request.user)
        if unmask and case.contact_phone:
            audit_unmask(actor=request.user, target=case, fields=["contact_phone"], request=request)
        context = {**self.get_serializer_context(), "unmask": unmask}
        return Response(CaseDetailSerializer(case, context=context).data)

    @extend_schema(request=CaseReportSerializer, responses={201: CaseDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CaseReportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        case = services.case_report(
            actor=request.user, photos=request.FILES.getlist("photos"),
            **serializer.validated_data,
        )  # fmt: skip
        case = selectors.case_get(actor=request.user, pk=case.pk)
        return Response(
            CaseDetailSerializer(case, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CaseUpdateSerializer, responses=CaseDetailSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        serializer = CaseUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.case_update(actor=request.user, case=case, **serializer.validated_data)
        case = selectors.case_get(actor=request.user, pk=case.pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=TransitionRequestSerializer, responses=CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        """`{"action": "accept", "note": "..."}`; see cases/workflow.py for the actions."""
        case = self.get_object()
        form = TransitionForm(request.data, request.FILES, actor=request.user)
        if not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())
        services.case_transition(
            actor=request.user, case=case, action=form.cleaned_data["action"],
            **form.service_params(),
        )  # fmt: skip
        case = selectors.case_get(actor=request.user, pk=case.pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        events = selectors.case_timeline(case=case)
        return Response(CaseEventSerializer(events, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("tab", str, enum=[*selectors.QUEUE_TABS])],
        responses=CaseSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def queue(self, request: Request) -> Response:
        """My queue: `waiting` (for me), `overdue` or `supervised`."""
        tab = request.query_params.get("tab", "waiting")
        if tab not in selectors.QUEUE_TABS:
            raise exceptions.ValidationError({"tab": ["须为 waiting、overdue 或 supervised。"]})
        cases = selectors.case_queue(actor=request.user, tab=tab)
        page = self.paginate_queryset(cases)
        data = CaseSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


class CategoryViewSet(CasesAllowed, viewsets.ReadOnlyModelViewSet):
    """Case categories (two levels) with their starting tier and limits per tier."""

    serializer_class = CategorySerializer
    filterset_fields = ["parent", "start_tier", "is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["sort", "code", "name"]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.category_list(active_only=False).prefetch_related("limits")


class WorkCalendarViewSet(CasesAllowed, viewsets.ReadOnlyModelViewSet):
    """Exceptions to the Monday-to-Friday week: holidays and make-up working days (调休)."""

    serializer_class = WorkCalendarDaySerializer
    filterset_fields = ["is_working_day", "date"]
    ordering_fields = ["date"]
    lookup_field = "date"

    def get_queryset(self) -> QuerySet[WorkCalendarDay]:
        days = WorkCalendarDay.objects.order_by("date")
        year = self.request.query_params.get("year")
        if year:
            if not (year.isdigit() and 1900 <= int(year) <= 2999):
                raise exceptions.ValidationError({"year": ["须为四位年份。"]})
            days = days.filter(date__year=int(year))
        return days


class NotificationViewSet(CasesAllowed, mixins.ListModelMixin, viewsets.GenericViewSet):
    """My case notifications; `POST read/` marks them all read (or `{"ids": [...]}`)."""

    serializer_class = NotificationSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["created_at"]

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no caller
            return Notification.objects.none()
        return selectors.notification_list(actor=self.request.user)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["post"])
    def read(self, request: Request) -> Response:
        ids = request.data.get("ids") if hasattr(request.data, "get") else None
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
            raise exceptions.ValidationError({"ids": ["须为通知编号列表。"]})
        marked = services.notification_mark_read(actor=request.user, ids=ids)
        return Response({"marked": marked})

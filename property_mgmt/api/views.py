"""红色物业 API: scoped lists through the selectors, writes through the services. Errors follow
the contract (``common.api.errors``): bad input 400 with fields, out of scope 404, a role that
may not act 403, a state that does not allow 409."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from common.api.viewsets import ServiceViewSetMixin
from governance.models import Area, PropertyCompany

from .. import figures, policies, selectors, services
from ..models import (
    ComplaintDetail,
    CouncilMeeting,
    OwnersCommittee,
    Resolution,
    ServiceContract,
    Survey,
)
from ..selectors import stats
from . import serializers as s


def _allow(allowed: bool) -> None:
    if not allowed:
        raise exceptions.PermissionDenied()


def _in_scope(request: Request, fields: dict[str, Any]) -> dict[str, Any]:
    """The body's ``area`` as an area of the caller's scope (404 otherwise)."""
    fields["area"] = get_object_or_404(Area.objects.visible_to(request.user), pk=fields["area"])
    return fields


def _create_in_area(view: ServiceViewSetMixin, serializer_class: Any, service: Any) -> Response:
    """POST of a row of an area of the caller's scope: the row as the list shows it, 201."""
    made = view.run(serializer_class, service, resolve=lambda f: _in_scope(view.request, f))
    return view.respond(made, created=True)


class CompanyViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Property companies the caller deals with; POST registers one (credit code checked)."""

    queryset = PropertyCompany.objects.none()
    serializer_class = s.CompanySerializer
    search_fields = ["name", "credit_code"]
    ordering_fields = ["name", "n_estates"]
    policy = policies.can_read_area_ledgers
    selector = selectors.company_list

    @extend_schema(request=s.CompanyWriteSerializer, responses=s.CompanySerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company = self.run(s.CompanyWriteSerializer, services.company_register)
        return self.respond(company, created=True)


class ContractViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Service contracts; two contracts of one residential area never overlap (400)."""

    queryset = ServiceContract.objects.none()
    serializer_class = s.ContractSerializer
    filterset_fields = ["kind", "company", "area"]
    search_fields = ["number", "area__name", "company__name"]
    ordering_fields = ["starts_on", "ends_on", "area_path"]
    policy = policies.can_read_area_ledgers
    selector = selectors.contract_list

    def selector_kwargs(self) -> dict[str, Any]:
        return {"status": self.request.query_params.get("status", "")}

    @extend_schema(request=s.ContractWriteSerializer, responses=s.ContractSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def resolve(fields: dict[str, Any]) -> dict[str, Any]:
            fields = _in_scope(request, fields)
            company_id = fields.pop("company", None)
            fields["company"] = (
                get_object_or_404(PropertyCompany, pk=company_id) if company_id else None
            )
            return fields

        contract = self.run(s.ContractWriteSerializer, services.contract_create, resolve=resolve)
        return self.respond(contract, created=True, reread=False)


class CommitteeViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Owners' committees with member counts; ``?status=expiring`` for terms ending in 90 days."""

    queryset = OwnersCommittee.objects.none()
    serializer_class = s.CommitteeSerializer
    search_fields = ["name", "area__name"]
    ordering_fields = ["term_ends_on", "area_path"]
    policy = policies.can_read_area_ledgers
    selector = selectors.committee_list

    def selector_kwargs(self) -> dict[str, Any]:
        return {"status": self.request.query_params.get("status", "")}

    @extend_schema(request=s.CommitteeWriteSerializer, responses=s.CommitteeSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _create_in_area(self, s.CommitteeWriteSerializer, services.committee_create)


class MeetingViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = CouncilMeeting.objects.none()
    serializer_class = s.MeetingSerializer
    filterset_fields = ["kind", "community"]
    ordering_fields = ["held_at"]
    policy = policies.can_use
    selector = selectors.meeting_list


class ResolutionViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Council resolutions; POST ``transitions`` with ``{"action", "note"}`` (409 when the state
    does not allow it, 403 when the caller may not)."""

    queryset = Resolution.objects.none()
    serializer_class = s.ResolutionSerializer
    filterset_fields = ["state", "company", "department", "meeting"]
    ordering_fields = ["due_at"]
    policy = policies.can_use
    selector = selectors.resolution_list

    def selector_kwargs(self) -> dict[str, Any]:
        return {"alert": self.request.query_params.get("alert", "")}

    @extend_schema(request=s.ResolutionTransitionSerializer, responses=s.ResolutionSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        done = self.run(
            s.ResolutionTransitionSerializer, services.resolution_transition, target="resolution"
        )
        return self.respond(done, reread=False)


class ComplaintViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Property complaints and disputes (cases with their detail); POST reports a complaint as a
    case through the case service."""

    queryset = ComplaintDetail.objects.none()
    serializer_class = s.ComplaintSerializer
    filterset_fields = ["kind", "complaint_type", "company", "estate", "community", "street"]
    ordering_fields = ["reported_at"]
    policy = policies.can_read_area_ledgers
    selector = selectors.complaint_list

    def selector_kwargs(self) -> dict[str, Any]:
        return {"state": self.request.query_params.get("state", "")}

    @extend_schema(request=s.ComplaintWriteSerializer, responses=s.ComplaintSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _create_in_area(self, s.ComplaintWriteSerializer, services.complaint_report)


class SurveyViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Surveys with answers, response rate and 满意率."""

    queryset = Survey.objects.none()
    serializer_class = s.SurveySerializer
    policy = policies.can_read_area_ledgers
    selector = selectors.survey_list

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = selectors.survey_results(
            Survey.objects.filter(pk__in=[p.pk for p in page or []]).order_by(
                "-period_start", "area_path", "id"
            )
        )
        return self.get_paginated_response(s.SurveySerializer(rows, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        survey = self.get_object()
        return Response(
            s.SurveySerializer(
                selectors.survey_results(Survey.objects.filter(pk=survey.pk))[0]
            ).data
        )


class PropertyStatsViewSet(viewsets.ViewSet):
    """The figures: ``ranking`` (红黑榜, ``?quarter=2026Q3``), ``complaint-rates``
    (``?group=company|estate|community|street&months=12``), ``figures`` (the seed figures)."""

    def _check(self, request: Request) -> None:
        _allow(policies.can_read_area_ledgers(request.user))

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def ranking(self, request: Request) -> Response:
        self._check(request)
        period = selectors.quarter(request.query_params.get("quarter", ""))
        rows = stats.ranking(actor=request.user, period=period)
        return Response(
            {
                "quarter": period.label,
                "formula": str(stats.RANKING_FORMULA),
                "results": [
                    {
                        "rank": r.rank,
                        "company": r.company.pk,
                        "name": r.company.name,
                        "score": r.score,
                        "board": r.board,
                        "satisfaction": r.satisfaction,
                        "answers": r.answers,
                        "complaints": r.complaints,
                        "households": r.households,
                        "complaint_rate": r.complaint_rate,
                        "complaint_score": r.complaint_score,
                        "resolved": r.resolved,
                        "on_time": r.on_time,
                        "resolutions_due": r.resolutions_due,
                        "resolutions_rate": r.resolutions_rate,
                    }
                    for r in rows
                ],
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], url_path="complaint-rates")
    def complaint_rates(self, request: Request) -> Response:
        self._check(request)
        today = timezone.localdate()
        try:
            months = max(1, min(24, int(request.query_params.get("months", "12"))))
        except ValueError:
            raise exceptions.ValidationError({"months": ["须为 1 到 24 的整数。"]}) from None
        start = selectors.add_months(date(today.year, today.month, 1), -(months - 1))
        table = stats.complaint_rates(
            actor=request.user,
            group=request.query_params.get("group", "company"),
            start=start,
            months=months,
        )
        return Response(
            {
                "group": table.group,
                "months": [m.isoformat() for m in table.months],
                "results": [
                    {
                        "key": r.key,
                        "label": r.label,
                        "households": r.households,
                        "counts": r.counts,
                        "rates": r.rates,
                        "total": r.total,
                        "rate": r.rate,
                    }
                    for r in table.rows
                ],
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def figures(self, request: Request) -> Response:
        return Response({"figures": [f.as_json() for f in figures.seed_figures(request.user)]})

"""Supports API: scoped lists through the selectors, writes through the services. A service's
``ValidationError`` is a 400 with field messages and its ``Conflict`` a 409 (the one exception
handler maps them); an object outside the caller's scope is a 404; an action the caller's role
may not take is a 403."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Case
from common.api.viewsets import ServiceViewSetMixin
from governance.models import Area, AreaLevel
from grids.models import CommunityWorker, Station

from .. import policies
from ..models import (
    Applicant,
    Appraisal,
    DifficultProblem,
    FundBudget,
    FundSpending,
    Promotion,
    RecruitmentPost,
    RecruitmentRound,
    Room,
    RoomBooking,
    ServiceCentre,
    ServiceRecord,
    StudioMember,
    StudioSession,
)
from ..selectors import careers as career_selectors
from ..selectors import centres as centre_selectors
from ..selectors import funds as fund_selectors
from ..selectors import studio as studio_selectors
from ..services import careers, centres, funds, studio
from . import serializers as s


def _allow(allowed: bool) -> None:
    if not allowed:
        raise exceptions.PermissionDenied()


def _get(queryset: QuerySet[Any], pk: Any) -> Any:
    """An object named in a request body, through the caller's scope (404 otherwise)."""
    if pk is None:
        return None
    return get_object_or_404(queryset, pk=pk)


def _scoped(fields: dict[str, Any], **querysets: QuerySet[Any]) -> dict[str, Any]:
    """The body's ids named by ``querysets`` as objects of them (404 otherwise; no id, None)."""
    for name, queryset in querysets.items():
        fields[name] = _get(queryset, fields.get(name))
    return fields


def _area(request: Request, pk: Any, level: str | None = None) -> Area:
    areas = Area.objects.visible_to(request.user)
    if level is not None:
        areas = areas.filter(level=level)
    return get_object_or_404(areas, pk=pk)


# --- Centres ----------------------------------------------------------------------------------


class CentreViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Street and community party-mass service centres with rooms, stations below and the
    standardisation score; PATCH with the ``updated_at`` you read (a stale one is a 409)."""

    queryset = ServiceCentre.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.CentreSerializer
    filterset_fields = ["level", "is_active", "area"]
    search_fields = ["name", "address"]
    ordering_fields = ["name", "area_path", "score_value"]
    ordering = ["area_path"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    policy = policies.can_view_centres
    selector = centre_selectors.centre_list

    @extend_schema(request=s.CentreWriteSerializer, responses=s.CentreSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def resolve(fields: dict[str, Any]) -> dict[str, Any]:
            fields.pop("updated_at", None)
            fields.pop("is_active", None)
            if "area" not in fields:
                raise exceptions.ValidationError({"area": ["请选择所在街道/社区。"]})
            fields["area"] = _area(request, fields["area"])
            return fields

        centre = self.run(s.CentreWriteSerializer, centres.centre_create, resolve=resolve)
        return self.respond(centre, created=True)

    @extend_schema(request=s.CentreWriteSerializer, responses=s.CentreSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        centre = self.get_object()
        data = s.CentreWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        seen = fields.pop("updated_at", None)
        fields.pop("area", None)
        centres.centre_update(actor=request.user, centre=centre, expected_updated_at=seen, **fields)
        return self.respond(centre)


class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Room.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.RoomSerializer
    filterset_fields = ["centre", "is_active"]
    search_fields = ["name", "purpose"]
    ordering = ["area_path", "name"]

    def get_queryset(self) -> QuerySet[Room]:
        _allow(policies.can_view_centres(self.request.user))
        return Room.objects.visible_to(self.request.user).select_related("centre")


class BookingViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Room bookings; a booking that overlaps a booked slot of the same room is a 409 (of two
    at once, one wins). ``POST …/<id>/cancel/`` cancels."""

    queryset = RoomBooking.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.BookingSerializer
    filterset_fields = ["room", "status"]
    search_fields = ["title", "organiser"]
    ordering_fields = ["starts_at"]
    ordering = ["-starts_at"]
    policy = policies.can_view_centres
    selector = centre_selectors.booking_list

    @extend_schema(request=s.BookingWriteSerializer, responses=s.BookingSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        booking = self.run(
            s.BookingWriteSerializer,
            centres.room_book,
            resolve=lambda fields: _scoped(fields, room=Room.objects.visible_to(request.user)),
        )
        return self.respond(booking, created=True, reread=False)

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        booking = get_object_or_404(RoomBooking.objects.visible_to(request.user), pk=pk)
        _allow(policies.can_cancel_booking(request.user, booking))
        booking = centres.booking_cancel(actor=request.user, booking=booking)
        return Response(s.BookingSerializer(booking).data)


class RecordViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Service records (the seven kinds) at centres and grid stations."""

    queryset = ServiceRecord.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.RecordSerializer
    filterset_fields = ["kind", "line", "centre", "station", "served_on"]
    search_fields = ["content", "served", "served_by"]
    ordering_fields = ["served_on", "people"]
    ordering = ["-served_on"]
    policy = policies.can_view_centres
    selector = centre_selectors.record_list

    @extend_schema(request=s.RecordWriteSerializer, responses=s.RecordSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _allow(policies.can_record_service(request.user))
        record = self.run(
            s.RecordWriteSerializer,
            centres.service_record,
            resolve=lambda fields: _scoped(
                fields,
                centre=ServiceCentre.objects.visible_to(request.user),
                station=Station.objects.visible_to(request.user),
            ),
        )
        return self.respond(record, created=True, reread=False)


class ServiceCountViewSet(viewsets.ViewSet):
    """Services per kind, place and month of a year (``?year=``, ``centre``, ``kind``)."""

    @extend_schema(parameters=[s.CountQuerySerializer], responses=s.CountRowSerializer(many=True))
    def list(self, request: Request) -> Response:
        _allow(policies.can_view_centres(request.user))
        query = s.CountQuerySerializer(
            data={"year": timezone.localdate().year, **request.query_params.dict()}
        )
        query.is_valid(raise_exception=True)
        rows = centre_selectors.service_counts(
            actor=request.user,
            year=query.validated_data["year"],
            centre=query.validated_data.get("centre"),
            kind=query.validated_data.get("kind", ""),
        )
        body = [
            {
                "place": row.place.name,
                "place_kind": "station" if isinstance(row.place, Station) else "centre",
                "place_id": row.place.pk,
                "month": row.month,
                "by_kind": row.by_kind,
                "total": row.total,
                "people": row.people,
            }
            for row in rows
        ]
        return Response(s.CountRowSerializer(body, many=True).data)


# --- Studio -----------------------------------------------------------------------------------


def _studio(request: Request) -> Any:
    found = studio_selectors.studio_main(actor=request.user)
    if found is None:
        raise exceptions.NotFound()
    return found


class SessionViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """The studio's sessions ("专家门诊", study, seminars)."""

    queryset = StudioSession.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.SessionSerializer
    filterset_fields = ["kind", "topic", "held_on"]
    search_fields = ["title", "summary"]
    ordering_fields = ["held_on"]
    ordering = ["-held_on"]
    policy = policies.can_view_studio
    selector = studio_selectors.session_list

    def get_queryset(self) -> QuerySet[StudioSession]:
        return super().get_queryset().prefetch_related("attendees")

    @extend_schema(request=s.SessionWriteSerializer, responses=s.SessionSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _allow(policies.can_keep_studio(request.user))

        def resolve(fields: dict[str, Any]) -> dict[str, Any]:
            fields["studio"] = _studio(request)
            ids = fields.pop("attendees", [])
            members = list(StudioMember.objects.visible_to(request.user).filter(pk__in=ids))
            if len(members) != len(set(ids)):
                raise exceptions.ValidationError({"attendees": ["参加成员须是本工作室成员。"]})
            fields["attendees"] = members
            return fields

        session = self.run(s.SessionWriteSerializer, studio.session_record, resolve=resolve)
        return self.respond(session, created=True)


class ProblemViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Difficult problems (疑难杂症) of the caller's communities; ``POST …/<id>/transitions/``
    with ``{"action", "note", "advice", "session", "on"}`` moves one along the table of
    ``supports.workflow`` (409 when the state does not allow it)."""

    queryset = DifficultProblem.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.ProblemSerializer
    filterset_fields = ["state", "topic", "community"]
    search_fields = ["title", "description", "advice"]
    ordering_fields = ["raised_on", "solved_on"]
    ordering = ["-raised_on"]
    policy = policies.can_view_studio
    selector = studio_selectors.problem_list

    @extend_schema(request=s.ProblemWriteSerializer, responses=s.ProblemSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def resolve(fields: dict[str, Any]) -> dict[str, Any]:
            fields["community"] = _area(request, fields["community"], AreaLevel.COMMUNITY)
            fields = _scoped(fields, case=Case.objects.visible_to(request.user))
            fields["studio"] = _studio(request)
            return fields

        problem = self.run(s.ProblemWriteSerializer, studio.problem_raise, resolve=resolve)
        return self.respond(problem, created=True)

    @extend_schema(request=s.ProblemTransitionSerializer, responses=s.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        def resolve(fields: dict[str, Any]) -> dict[str, Any]:
            sessions = StudioSession.objects.visible_to(request.user)
            return {
                "action": fields["action"],
                "note": fields.get("note", ""),
                "advice": fields.get("advice", ""),
                "session": _get(sessions, fields.get("session")),
                "on": fields.get("on"),
            }

        self.run(
            s.ProblemTransitionSerializer,
            studio.problem_transition,
            target="problem",
            resolve=resolve,
        )
        return self.respond(self.get_queryset().get(pk=pk), reread=False)


# --- Funds ------------------------------------------------------------------------------------

MONEY = DecimalField(max_digits=14, decimal_places=2)


class BudgetViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Community fund budgets (两项经费) with spent and left. POST allots a budget or, for an
    existing (community, year, kind), changes it; send the ``updated_at`` you read to have a
    stale change refused (409)."""

    queryset = FundBudget.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.BudgetSerializer
    filterset_fields = ["year", "kind", "community"]
    search_fields = ["community__name"]
    ordering_fields = ["year", "amount", "area_path"]
    ordering = ["-year", "area_path", "kind"]

    def get_queryset(self) -> QuerySet[Any]:
        _allow(policies.can_view_funds(self.request.user))
        spent = (
            FundSpending.objects.filter(budget=OuterRef("pk"))
            .order_by()
            .values(total=Func(F("amount"), function="SUM"))
        )
        return (
            FundBudget.objects.visible_to(self.request.user)
            .select_related("community")
            .annotate(spent=Coalesce(Subquery(spent, output_field=MONEY), Decimal("0")))
            .annotate(left=F("amount") - F("spent"))
        )

    @extend_schema(request=s.BudgetWriteSerializer, responses=s.BudgetSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        def resolve(fields: dict[str, Any]) -> dict[str, Any]:
            fields["community"] = _area(request, fields["community"], AreaLevel.COMMUNITY)
            fields["expected_updated_at"] = fields.pop("updated_at", None)
            return fields

        budget = self.run(s.BudgetWriteSerializer, funds.budget_set, resolve=resolve)
        return self.respond(budget, created=True)


class SpendingViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Spending entries; one that would take its budget past the amount is refused (400 on
    ``amount``). The voucher (PDF, JPG, PNG) goes up as multipart and comes back only through
    ``voucher_url``, a scoped page."""

    queryset = FundSpending.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.SpendingSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["budget", "purpose", "budget__year", "budget__kind", "budget__community"]
    search_fields = ["description", "approver", "voucher_no"]
    ordering_fields = ["spent_on", "amount"]
    ordering = ["-spent_on"]
    policy = policies.can_view_funds
    selector = fund_selectors.spending_list

    @extend_schema(request=s.SpendingWriteSerializer, responses=s.SpendingSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        entry = self.run(
            s.SpendingWriteSerializer,
            funds.spending_record,
            resolve=lambda fields: _scoped(
                fields, budget=FundBudget.objects.visible_to(request.user)
            ),
        )
        return self.respond(entry, created=True)


class FundCheckViewSet(viewsets.ViewSet):
    """The district rule check: each community's two budgets of a year (``?year=``) and what
    falls short of 260,000 / 80,000 yuan; ``?flagged=yes`` keeps those."""

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("flagged", str, enum=["yes", "no"]),
        ],
        responses=s.FundCheckSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        _allow(policies.can_view_funds(request.user))
        raw = request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() else fund_selectors.budget_year(actor=request.user)
        rows = list(
            fund_selectors.fund_rows(
                actor=request.user,
                year=year or timezone.localdate().year,
                flagged=request.query_params.get("flagged", ""),
            )
        )
        for row in rows:
            row.flags = fund_selectors.flags_of(row)
        return Response(s.FundCheckSerializer(rows, many=True).data)


# --- Careers ----------------------------------------------------------------------------------


class RosterViewSet(viewsets.ViewSet):
    """Each community's posts against its quota (岗位编制) and the vacancies."""

    @extend_schema(responses=s.RosterSerializer(many=True))
    def list(self, request: Request) -> Response:
        _allow(policies.can_view_careers(request.user))
        rows = list(
            career_selectors.roster(actor=request.user, short=request.query_params.get("short", ""))
        )
        for row in rows:
            row.posts = career_selectors.posts_of(row)
        return Response(s.RosterSerializer(rows, many=True).data)


class RoundViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = RecruitmentRound.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.RoundSerializer
    filterset_fields = ["state", "year"]
    search_fields = ["title"]
    ordering = ["-year", "-announced_on"]
    policy = policies.can_view_careers
    selector = career_selectors.round_list

    @extend_schema(request=s.RoundSerializer, responses=s.RoundSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        round_ = self.run(s.RoundSerializer, careers.round_create)
        return self.respond(round_, created=True)

    @extend_schema(request=s.PositionWriteSerializer, responses=s.PositionSerializer)
    @action(detail=True, methods=["post"])
    def positions(self, request: Request, pk: str) -> Response:
        """Offer openings of a post in a community (within its vacancies)."""

        def resolve(fields: dict[str, Any]) -> dict[str, Any]:
            fields["community"] = _area(request, fields["community"], AreaLevel.COMMUNITY)
            return fields

        position = self.run(
            s.PositionWriteSerializer, careers.position_add, target="round", resolve=resolve
        )
        return self.respond(
            position, created=True, reread=False, serializer_class=s.PositionSerializer
        )


class ApplicantViewSet(
    ServiceViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Applicants of the caller's communities (ID numbers and phones masked); ``score``,
    ``decide`` and ``hire`` move one along."""

    queryset = Applicant.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.ApplicantSerializer
    filterset_fields = ["round", "position", "result"]
    search_fields = ["name"]
    ordering_fields = ["name", "total"]
    ordering = ["round", "area_path", "name"]

    def get_queryset(self) -> QuerySet[Applicant]:
        _allow(policies.can_view_careers(self.request.user))
        round_ = self.request.query_params.get("round", "")
        if self.action == "list" and round_.isdigit():
            return career_selectors.applicant_list(actor=self.request.user, round=int(round_))
        return Applicant.objects.visible_to(self.request.user).select_related("position")

    @extend_schema(request=s.ApplicantWriteSerializer, responses=s.ApplicantSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        applicant = self.run(
            s.ApplicantWriteSerializer,
            careers.applicant_add,
            resolve=lambda fields: _scoped(
                fields, position=RecruitmentPost.objects.visible_to(request.user)
            ),
        )
        return self.respond(applicant, created=True, reread=False)

    def _step(self, request: Request, serializer: Any, service: Any) -> Response:
        applicant = self.get_object()
        service(actor=request.user, applicant=applicant, **self.body(serializer))
        applicant.refresh_from_db()
        return self.respond(applicant, reread=False)

    @extend_schema(request=s.ScoreSerializer, responses=s.ApplicantSerializer)
    @action(detail=True, methods=["post"])
    def score(self, request: Request, pk: str) -> Response:
        return self._step(request, s.ScoreSerializer, careers.applicant_score)

    @extend_schema(request=s.DecideSerializer, responses=s.ApplicantSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        return self._step(request, s.DecideSerializer, careers.applicant_decide)

    @extend_schema(request=s.HireSerializer, responses=s.ApplicantSerializer)
    @action(detail=True, methods=["post"])
    def hire(self, request: Request, pk: str) -> Response:
        return self._step(request, s.HireSerializer, careers.applicant_hire)


def _workers(request: Request) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda fields: _scoped(fields, worker=CommunityWorker.objects.visible_to(request.user))


class AppraisalViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Appraisal.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.AppraisalSerializer
    filterset_fields = ["year", "result", "worker"]
    search_fields = ["worker__name"]
    ordering = ["-year", "area_path"]

    policy = policies.can_view_careers
    selector = career_selectors.appraisal_list

    @extend_schema(request=s.AppraisalWriteSerializer, responses=s.AppraisalSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        appraisal = self.run(
            s.AppraisalWriteSerializer, careers.appraisal_record, resolve=_workers(request)
        )
        return self.respond(appraisal, created=True, reread=False)


class PromotionViewSet(
    ServiceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    queryset = Promotion.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.PromotionSerializer
    filterset_fields = ["worker", "to_post"]
    search_fields = ["worker__name"]
    ordering = ["-effective_on"]

    policy = policies.can_view_careers
    selector = career_selectors.promotion_list

    @extend_schema(request=s.PromotionWriteSerializer, responses=s.PromotionSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        promotion = self.run(
            s.PromotionWriteSerializer, careers.worker_promote, resolve=_workers(request)
        )
        return self.respond(promotion, created=True, reread=False)

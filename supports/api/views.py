"""Supports API: scoped lists through the selectors, writes through the services. A service's
``ValidationError`` is a 400 with field messages and its ``Conflict`` a 409 (the one exception
handler maps them); an object outside the caller's scope is a 404; an action the caller's role
may not take is a 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Func, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.models import Case
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


def _created(body: Any) -> Response:
    return Response(body, status=status.HTTP_201_CREATED)


def _area(request: Request, pk: Any, level: str | None = None) -> Area:
    areas = Area.objects.visible_to(request.user)
    if level is not None:
        areas = areas.filter(level=level)
    return get_object_or_404(areas, pk=pk)


# --- Centres ----------------------------------------------------------------------------------


class CentreViewSet(
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

    def get_queryset(self) -> QuerySet[ServiceCentre]:
        _allow(policies.can_view_centres(self.request.user))
        return centre_selectors.centre_list(actor=self.request.user)

    @extend_schema(request=s.CentreWriteSerializer, responses=s.CentreSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.CentreWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("updated_at", None)
        fields.pop("is_active", None)
        if "area" not in fields:
            raise exceptions.ValidationError({"area": ["请选择所在街道/社区。"]})
        area = _area(request, fields.pop("area"))
        centre = centres.centre_create(actor=request.user, area=area, **fields)
        return _created(s.CentreSerializer(self.get_queryset().get(pk=centre.pk)).data)

    @extend_schema(request=s.CentreWriteSerializer, responses=s.CentreSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        centre = self.get_object()
        data = s.CentreWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        seen = fields.pop("updated_at", None)
        fields.pop("area", None)
        centres.centre_update(actor=request.user, centre=centre, expected_updated_at=seen, **fields)
        return Response(s.CentreSerializer(self.get_queryset().get(pk=centre.pk)).data)


class RoomViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Room.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.RoomSerializer
    filterset_fields = ["centre", "is_active"]
    search_fields = ["name", "purpose"]
    ordering = ["area_path", "name"]

    def get_queryset(self) -> QuerySet[Room]:
        _allow(policies.can_view_centres(self.request.user))
        return Room.objects.visible_to(self.request.user).select_related("centre")


class BookingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Room bookings; a booking that overlaps a booked slot of the same room is a 409 (of two
    at once, one wins). ``POST …/<id>/cancel/`` cancels."""

    queryset = RoomBooking.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.BookingSerializer
    filterset_fields = ["room", "status"]
    search_fields = ["title", "organiser"]
    ordering_fields = ["starts_at"]
    ordering = ["-starts_at"]

    def get_queryset(self) -> QuerySet[RoomBooking]:
        _allow(policies.can_view_centres(self.request.user))
        return centre_selectors.booking_list(actor=self.request.user)

    @extend_schema(request=s.BookingWriteSerializer, responses=s.BookingSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.BookingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        room = _get(Room.objects.visible_to(request.user), fields.pop("room"))
        booking = centres.room_book(actor=request.user, room=room, **fields)
        return _created(s.BookingSerializer(booking).data)

    @extend_schema(request=None, responses=s.BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        booking = get_object_or_404(RoomBooking.objects.visible_to(request.user), pk=pk)
        _allow(policies.can_cancel_booking(request.user, booking))
        booking = centres.booking_cancel(actor=request.user, booking=booking)
        return Response(s.BookingSerializer(booking).data)


class RecordViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Service records (the seven kinds) at centres and grid stations."""

    queryset = ServiceRecord.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.RecordSerializer
    filterset_fields = ["kind", "line", "centre", "station", "served_on"]
    search_fields = ["content", "served", "served_by"]
    ordering_fields = ["served_on", "people"]
    ordering = ["-served_on"]

    def get_queryset(self) -> QuerySet[ServiceRecord]:
        _allow(policies.can_view_centres(self.request.user))
        return centre_selectors.record_list(actor=self.request.user)

    @extend_schema(request=s.RecordWriteSerializer, responses=s.RecordSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _allow(policies.can_record_service(request.user))
        data = s.RecordWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        centre = _get(ServiceCentre.objects.visible_to(request.user), fields.pop("centre", None))
        station = _get(Station.objects.visible_to(request.user), fields.pop("station", None))
        record = centres.service_record(
            actor=request.user, centre=centre, station=station, **fields
        )
        return _created(s.RecordSerializer(record).data)


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


class SessionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The studio's sessions ("专家门诊", study, seminars)."""

    queryset = StudioSession.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.SessionSerializer
    filterset_fields = ["kind", "topic", "held_on"]
    search_fields = ["title", "summary"]
    ordering_fields = ["held_on"]
    ordering = ["-held_on"]

    def get_queryset(self) -> QuerySet[StudioSession]:
        _allow(policies.can_view_studio(self.request.user))
        return studio_selectors.session_list(actor=self.request.user).prefetch_related("attendees")

    @extend_schema(request=s.SessionWriteSerializer, responses=s.SessionSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _allow(policies.can_keep_studio(request.user))
        data = s.SessionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        the_studio = _studio(request)
        ids = fields.pop("attendees", [])
        members = list(StudioMember.objects.visible_to(request.user).filter(pk__in=ids))
        if len(members) != len(set(ids)):
            raise exceptions.ValidationError({"attendees": ["参加成员须是本工作室成员。"]})
        session = studio.session_record(
            actor=request.user, studio=the_studio, attendees=members, **fields
        )
        return _created(s.SessionSerializer(self.get_queryset().get(pk=session.pk)).data)


class ProblemViewSet(
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

    def get_queryset(self) -> QuerySet[DifficultProblem]:
        _allow(policies.can_view_studio(self.request.user))
        return studio_selectors.problem_list(actor=self.request.user)

    @extend_schema(request=s.ProblemWriteSerializer, responses=s.ProblemSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ProblemWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        community = _area(request, fields.pop("community"), AreaLevel.COMMUNITY)
        case = _get(Case.objects.visible_to(request.user), fields.pop("case", None))
        problem = studio.problem_raise(
            actor=request.user, studio=_studio(request), community=community, case=case, **fields
        )
        return _created(s.ProblemSerializer(self.get_queryset().get(pk=problem.pk)).data)

    @extend_schema(request=s.ProblemTransitionSerializer, responses=s.ProblemSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str) -> Response:
        problem = self.get_object()
        data = s.ProblemTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        session = _get(StudioSession.objects.visible_to(request.user), fields.pop("session", None))
        studio.problem_transition(
            actor=request.user,
            problem=problem,
            action=fields["action"],
            note=fields.get("note", ""),
            advice=fields.get("advice", ""),
            session=session,
            on=fields.get("on"),
        )
        return Response(s.ProblemSerializer(self.get_queryset().get(pk=problem.pk)).data)


# --- Funds ------------------------------------------------------------------------------------

MONEY = DecimalField(max_digits=14, decimal_places=2)


class BudgetViewSet(
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
        data = s.BudgetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        community = _area(request, fields.pop("community"), AreaLevel.COMMUNITY)
        seen = fields.pop("updated_at", None)
        budget = funds.budget_set(
            actor=request.user, community=community, expected_updated_at=seen, **fields
        )
        return _created(s.BudgetSerializer(self.get_queryset().get(pk=budget.pk)).data)


class SpendingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
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

    def get_queryset(self) -> QuerySet[FundSpending]:
        _allow(policies.can_view_funds(self.request.user))
        return fund_selectors.spending_list(actor=self.request.user)

    @extend_schema(request=s.SpendingWriteSerializer, responses=s.SpendingSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.SpendingWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        budget = _get(FundBudget.objects.visible_to(request.user), fields.pop("budget"))
        entry = funds.spending_record(actor=request.user, budget=budget, **fields)
        return _created(s.SpendingSerializer(self.get_queryset().get(pk=entry.pk)).data)


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

    def get_queryset(self) -> QuerySet[RecruitmentRound]:
        _allow(policies.can_view_careers(self.request.user))
        return career_selectors.round_list(actor=self.request.user)

    @extend_schema(request=s.RoundSerializer, responses=s.RoundSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.RoundSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = careers.round_create(actor=request.user, **data.validated_data)
        return _created(s.RoundSerializer(self.get_queryset().get(pk=round_.pk)).data)

    @extend_schema(request=s.PositionWriteSerializer, responses=s.PositionSerializer)
    @action(detail=True, methods=["post"])
    def positions(self, request: Request, pk: str) -> Response:
        """Offer openings of a post in a community (within its vacancies)."""
        round_ = self.get_object()
        data = s.PositionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        community = _area(request, fields.pop("community"), AreaLevel.COMMUNITY)
        position = careers.position_add(
            actor=request.user, round=round_, community=community, **fields
        )
        return _created(s.PositionSerializer(position).data)


class ApplicantViewSet(
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
        data = s.ApplicantWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        position = _get(RecruitmentPost.objects.visible_to(request.user), fields.pop("position"))
        applicant = careers.applicant_add(actor=request.user, position=position, **fields)
        return _created(s.ApplicantSerializer(applicant).data)

    def _step(self, request: Request, serializer: Any, service: Any) -> Response:
        applicant = self.get_object()
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        service(actor=request.user, applicant=applicant, **data.validated_data)
        applicant.refresh_from_db()
        return Response(s.ApplicantSerializer(applicant).data)

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


def _worker(request: Request, pk: Any) -> CommunityWorker:
    worker: CommunityWorker = get_object_or_404(
        CommunityWorker.objects.visible_to(request.user), pk=pk
    )
    return worker


class AppraisalViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Appraisal.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.AppraisalSerializer
    filterset_fields = ["year", "result", "worker"]
    search_fields = ["worker__name"]
    ordering = ["-year", "area_path"]

    def get_queryset(self) -> QuerySet[Appraisal]:
        _allow(policies.can_view_careers(self.request.user))
        return career_selectors.appraisal_list(actor=self.request.user)

    @extend_schema(request=s.AppraisalWriteSerializer, responses=s.AppraisalSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.AppraisalWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        worker = _worker(request, fields.pop("worker"))
        appraisal = careers.appraisal_record(actor=request.user, worker=worker, **fields)
        return _created(s.AppraisalSerializer(appraisal).data)


class PromotionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Promotion.objects.none()  # the schema's model; get_queryset() scopes
    serializer_class = s.PromotionSerializer
    filterset_fields = ["worker", "to_post"]
    search_fields = ["worker__name"]
    ordering = ["-effective_on"]

    def get_queryset(self) -> QuerySet[Promotion]:
        _allow(policies.can_view_careers(self.request.user))
        return career_selectors.promotion_list(actor=self.request.user)

    @extend_schema(request=s.PromotionWriteSerializer, responses=s.PromotionSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.PromotionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        worker = _worker(request, fields.pop("worker"))
        promotion = careers.worker_promote(actor=request.user, worker=worker, **fields)
        return _created(s.PromotionSerializer(promotion).data)

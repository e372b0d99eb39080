"""Reads of the ledgers, already scoped (``visible_to``) and joined for their pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import Role
from accounts.scoping import scope_of
from cases.models import OPEN_STATES
from governance.models import Area, AreaLevel, PropertyCompany

from ..models import (
    CommitteeMember,
    ComplaintDetail,
    CouncilMeeting,
    Mediation,
    MeetingAttendee,
    MeetingPhoto,
    OwnersCommittee,
    Resolution,
    ResolutionState,
    ServiceContract,
    Survey,
)
from ..services.committees import EXPIRING_DAYS


def area_in_scope(actor: Any, pk: Area | int | None) -> Area | None:
    """A filter's area: one the actor sees, else 404 (as if it did not exist)."""
    if pk is None:
        return None
    if isinstance(pk, Area):
        pk = pk.pk
    area: Area = get_object_or_404(Area.objects.visible_to(actor), pk=pk)
    return area


def filter_areas(actor: Any) -> QuerySet[Area]:
    """Streets, communities and residential areas the actor may cut a list to (chosen by
    name, governance.widgets.PlaceChoiceField)."""
    return Area.objects.visible_to(actor).filter(
        level__in=[AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA]
    )


def estates_in_scope(actor: Any) -> QuerySet[Area]:
    return Area.objects.visible_to(actor).filter(level=AreaLevel.RESIDENTIAL_AREA, is_active=True)


def communities_in_scope(actor: Any) -> QuerySet[Area]:
    return Area.objects.visible_to(actor).filter(level=AreaLevel.COMMUNITY, is_active=True)


def _ordered(
    rows: QuerySet[Any], ordering: str, allowed: Mapping[str, Sequence[str]], default: str
) -> QuerySet[Any]:
    return rows.order_by(*allowed.get(ordering, allowed[default]))


# --- Companies ---------------------------------------------------------------------------------


def company_list(
    *, actor: Any, q: str = "", pilot: bool | None = None, ordering: str = "name"
) -> QuerySet[Any]:
    """Companies the actor deals with: all for district-wide roles, those with a contract in the
    subtree for street and community staff, their own for property staff. Counts: residential
    areas served today."""
    scope = scope_of(actor)
    today = timezone.localdate()
    companies = PropertyCompany.objects.all()
    if not scope.superuser and not scope.has_role(Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER):
        contracted = ServiceContract.objects.visible_to(actor).filter(company__isnull=False)
        own = sorted(scope.company_ids([Role.PROPERTY_STAFF]))
        companies = companies.filter(Q(pk__in=contracted.values("company_id")) | Q(pk__in=own))
    current = ServiceContract.objects.filter(
        company=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today
    )
    companies = companies.annotate(
        n_estates=Count(
            "service_contracts",
            filter=Q(
                service_contracts__starts_on__lte=today, service_contracts__ends_on__gte=today
            ),
            distinct=True,
        ),
        serving=Exists(current),
    ).select_related("property_profile", "property_profile__party_org")
    if q:
        companies = companies.filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
    if pilot is not None:
        companies = (
            companies.filter(property_profile__is_red_pilot=pilot)
            if pilot
            else companies.exclude(property_profile__is_red_pilot=True)
        )
    return _ordered(
        companies,
        ordering,
        {"name": ("name",), "-estates": ("-n_estates", "name"), "code": ("credit_code",)},
        "name",
    )


def company_get(*, actor: Any, pk: int) -> PropertyCompany:
    company: PropertyCompany = get_object_or_404(company_list(actor=actor), pk=pk)
    return company


# --- Contracts ---------------------------------------------------------------------------------

CONTRACT_ORDERINGS = {
    "area": ("area_path", "-starts_on"),
    "-starts": ("-starts_on", "id"),
    "starts": ("starts_on", "id"),
    "ends": ("ends_on", "id"),
    "-ends": ("-ends_on", "id"),
}


def contract_list(
    *,
    actor: Any,
    within: Area | None = None,
    company: int | None = None,
    kind: str = "",
    status: str = "",
    q: str = "",
    ordering: str = "area",
) -> QuerySet[Any]:
    today = timezone.localdate()
    rows = ServiceContract.objects.visible_to(actor).select_related("area", "company")
    condition = Q()
    if within is not None:
        condition &= Q(area_path__startswith=within.path)
    if company:
        condition &= Q(company_id=company)
    if kind:
        condition &= Q(kind=kind)
    if status == "current":
        condition &= Q(starts_on__lte=today, ends_on__gte=today)
    elif status == "expiring":
        condition &= Q(
            starts_on__lte=today,
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )
    elif status == "ended":
        condition &= Q(ends_on__lt=today)
    elif status == "future":
        condition &= Q(starts_on__gt=today)
    if q:
        condition &= (
            Q(area__name__icontains=q) | Q(company__name__icontains=q) | Q(number__icontains=q)
        )
    return _ordered(rows.filter(condition), ordering, CONTRACT_ORDERINGS, "area")


def contract_get(*, actor: Any, pk: int) -> ServiceContract:
    contract: ServiceContract = get_object_or_404(
        ServiceContract.objects.visible_to(actor).select_related("area", "company"), pk=pk
    )
    return contract


# --- Committees --------------------------------------------------------------------------------

COMMITTEE_ORDERINGS = {
    "area": ("area_path", "-term_starts_on"),
    "ends": ("term_ends_on", "id"),
    "-ends": ("-term_ends_on", "id"),
    "filed": ("filed_on", "id"),
}


def committee_list(
    *, actor: Any, within: Area | None = None, status: str = "", q: str = "", ordering: str = "area"
) -> QuerySet[Any]:
    """Committees with member counts and the term flags: ``expiring`` (in office, term ending
    within 90 days)."""
    today = timezone.localdate()
    rows = (
        OwnersCommittee.objects.visible_to(actor)
        .select_related("area", "party_org")
        .annotate(
            n_members=Count("members", filter=Q(members__left_on__isnull=True)),
            n_party=Count(
                "members", filter=Q(members__left_on__isnull=True, members__is_party_member=True)
            ),
        )
    )
    condition = Q()
    if within is not None:
        condition &= Q(area_path__startswith=within.path)
    if status == "current":
        condition &= Q(term_starts_on__lte=today, term_ends_on__gte=today)
    elif status == "expiring":
        condition &= Q(
            term_starts_on__lte=today,
            term_ends_on__gte=today,
            term_ends_on__lte=today + timedelta(days=EXPIRING_DAYS),
        )
    elif status == "ended":
        condition &= Q(term_ends_on__lt=today)
    elif status == "unfiled":
        condition &= Q(filed_on__isnull=True)
    if q:
        condition &= Q(name__icontains=q) | Q(area__name__icontains=q)
    return _ordered(rows.filter(condition), ordering, COMMITTEE_ORDERINGS, "area")


def committee_flags(committee: Any, today: date | None = None) -> None:
    today = today or timezone.localdate()
    committee.in_office = committee.term_starts_on <= today <= committee.term_ends_on
    committee.expiring = committee.in_office and committee.term_ends_on <= today + timedelta(
        days=EXPIRING_DAYS
    )
    committee.days_left = (committee.term_ends_on - today).days


def committee_get(*, actor: Any, pk: int) -> OwnersCommittee:
    committee: OwnersCommittee = get_object_or_404(
        OwnersCommittee.objects.visible_to(actor)
        .select_related("area", "party_org")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=CommitteeMember.objects.select_related(
                    "household__building", "party_member"
                ),
            )
        ),
        pk=pk,
    )
    committee_flags(committee)
    return committee


def member_list(*, actor: Any, within: Area | None = None, q: str = "") -> QuerySet[Any]:
    rows = CommitteeMember.objects.visible_to(actor).select_related("committee__area")
    if within is not None:
        rows = rows.filter(area_path__startswith=within.path)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(committee__name__icontains=q))
    return rows.order_by("area_path", "committee_id", "role", "id")


# --- Meetings and resolutions ------------------------------------------------------------------


def meeting_list(
    *,
    actor: Any,
    within: Area | None = None,
    kind: str = "",
    year: int | None = None,
    q: str = "",
    ordering: str = "-held",
) -> QuerySet[Any]:
    rows = (
        CouncilMeeting.objects.visible_to(actor)
        .select_related("community", "convened_by")
        .annotate(
            n_attendees=Count("attendees", distinct=True),
            n_resolutions=Count("resolutions", distinct=True),
            n_open=Count(
                "resolutions",
                filter=Q(resolutions__state__in=["open", "in_progress"]),
                distinct=True,
            ),
        )
    )
    condition = Q()
    if within is not None:
        condition &= Q(area_path__startswith=within.path)
    if kind:
        condition &= Q(kind=kind)
    if year:
        condition &= Q(held_at__year=year)
    if q:
        condition &= Q(title__icontains=q) | Q(place__icontains=q)
    return _ordered(
        rows.filter(condition),
        ordering,
        {"-held": ("-held_at", "-id"), "held": ("held_at", "id")},
        "-held",
    )


def meeting_photo_get(*, actor: Any, pk: int) -> MeetingPhoto:
    """A photo of a meeting the actor sees (404 otherwise), with its meeting: one query, not
    the whole meeting page's reads (the page loads a thumbnail per photo)."""
    photo: MeetingPhoto = get_object_or_404(
        MeetingPhoto.objects.select_related("meeting"),
        pk=pk,
        meeting__in=CouncilMeeting.objects.visible_to(actor).values("pk"),
    )
    return photo


def meeting_get(*, actor: Any, pk: int) -> CouncilMeeting:
    meeting: CouncilMeeting = get_object_or_404(
        CouncilMeeting.objects.visible_to(actor)
        .select_related("community", "convened_by")
        .prefetch_related(
            "estates",
            Prefetch(
                "attendees",
                queryset=MeetingAttendee.objects.select_related(
                    "company", "department", "committee"
                ),
            ),
            "agenda__case",
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.select_related(
                    "unit_area", "department", "company", "agenda_item"
                ),
            ),
            "photos",
        ),
        pk=pk,
    )
    return meeting


RESOLUTION_ORDERINGS = {
    "due": ("due_at", "id"),
    "-due": ("-due_at", "-id"),
    "state": ("state", "due_at"),
}


def resolution_list(
    *,
    actor: Any,
    within: Area | None = None,
    state: str = "",
    alert: str = "",
    company: int | None = None,
    mine: bool = False,
    q: str = "",
    ordering: str = "due",
) -> QuerySet[Any]:
    now = timezone.now()
    rows = Resolution.objects.visible_to(actor).select_related(
        "meeting__community", "unit_area", "department", "company"
    )
    condition = Q()
    if within is not None:
        condition &= Q(area_path__startswith=within.path)
    if state == "open":
        condition &= Q(state__in=[ResolutionState.OPEN, ResolutionState.IN_PROGRESS])
    elif state:
        condition &= Q(state=state)
    if alert == "overdue":
        condition &= Q(state__in=["open", "in_progress"], due_at__lt=now)
    elif alert == "warning":
        condition &= Q(state__in=["open", "in_progress"], warn_at__lte=now, due_at__gte=now)
    if company:
        condition &= Q(company_id=company)
    if mine:
        scope = scope_of(actor)
        mine_q = Q(company_id__in=sorted(scope.company_ids([Role.PROPERTY_STAFF])))
        mine_q |= Q(department_id__in=sorted(scope.department_ids([Role.DEPARTMENT_LIAISON])))
        mine_q |= Q(
            unit_area_id__in=[
                g.area_id for g in scope.for_roles([Role.COMMUNITY_STAFF, Role.STREET_STAFF])
            ]
        )
        condition &= mine_q
    if q:
        condition &= Q(text__icontains=q) | Q(meeting__title__icontains=q)
    return _ordered(rows.filter(condition), ordering, RESOLUTION_ORDERINGS, "due")


def resolution_flags(resolution: Any, now: Any = None) -> None:
    now = now or timezone.now()
    resolution.alert = ""
    if resolution.is_open:
        if now > resolution.due_at:
            resolution.alert = "red"
        elif now >= resolution.warn_at:
            resolution.alert = "yellow"
    elif (
        resolution.state == ResolutionState.DONE
        and resolution.done_at
        and resolution.done_at > resolution.due_at
    ):
        resolution.alert = "late"


def resolution_get(*, actor: Any, pk: int) -> Resolution:
    resolution: Resolution = get_object_or_404(
        Resolution.objects.visible_to(actor)
        .select_related("meeting__community", "unit_area", "department", "company", "agenda_item")
        .prefetch_related("events__actor"),
        pk=pk,
    )
    resolution_flags(resolution)
    return resolution


# --- Complaints and mediation ------------------------------------------------------------------

COMPLAINT_ORDERINGS = {
    "-reported": ("-reported_at", "-case_id"),
    "reported": ("reported_at", "case_id"),
    "due": ("case__due_at", "case_id"),
    "estate": ("area_path", "-reported_at"),
}


def complaint_list(
    *,
    actor: Any,
    kind: str = "",
    within: Area | None = None,
    company: int | None = None,
    complaint_type: str = "",
    state: str = "",
    start: date | None = None,
    end: date | None = None,
    q: str = "",
    ordering: str = "-reported",
) -> QuerySet[Any]:
    rows = ComplaintDetail.objects.visible_to(actor).select_related(
        "case", "estate", "company", "community", "street"
    )
    condition = Q()
    if kind:
        condition &= Q(kind=kind)
    if within is not None:
        condition &= Q(area_path__startswith=within.path)
    if company:
        condition &= Q(company_id=company)
    if complaint_type:
        condition &= Q(complaint_type=complaint_type)
    if state == "open":
        condition &= Q(case__state__in=sorted(OPEN_STATES))
    elif state == "closed":
        condition &= ~Q(case__state__in=sorted(OPEN_STATES))
    elif state == "overdue":
        condition &= Q(case__state__in=sorted(OPEN_STATES), case__alert="red")
    tz = timezone.get_current_timezone()
    if start is not None:
        condition &= Q(reported_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end is not None:
        condition &= Q(
            reported_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
        )
    if q:
        condition &= (
            Q(case__title__icontains=q)
            | Q(case__number__startswith=q.upper())
            | Q(estate__name__icontains=q)
        )
    return _ordered(rows.filter(condition), ordering, COMPLAINT_ORDERINGS, "-reported")


def complaint_get(*, actor: Any, pk: int) -> ComplaintDetail:
    detail: ComplaintDetail = get_object_or_404(
        ComplaintDetail.objects.visible_to(actor).select_related(
            "case__category", "estate", "company", "community", "street", "household__building"
        ),
        pk=pk,
    )
    return detail


def mediation_list(
    *, actor: Any, within: Area | None = None, outcome: str | None = None, q: str = ""
) -> QuerySet[Any]:
    rows = (
        Mediation.objects.visible_to(actor)
        .select_related("case", "group", "case__property_detail__estate")
        .annotate(n_sessions=Count("sessions"))
    )
    condition = Q()
    if within is not None:
        condition &= Q(area_path__startswith=within.path)
    if outcome is not None:
        condition &= Q(outcome=outcome)
    if q:
        condition &= Q(case__title__icontains=q) | Q(case__number__startswith=q.upper())
    return rows.filter(condition).order_by("-created_at", "-case_id")


def mediation_get(*, actor: Any, pk: int) -> Mediation:
    mediation: Mediation = get_object_or_404(
        Mediation.objects.visible_to(actor)
        .select_related("case", "group__community", "case__property_detail__estate")
        .prefetch_related("sessions__mediators", "group__mediators"),
        pk=pk,
    )
    return mediation


# --- Surveys -----------------------------------------------------------------------------------


def survey_list(
    *,
    actor: Any,
    within: Area | None = None,
    year: int | None = None,
    company: int | None = None,
    q: str = "",
) -> QuerySet[Any]:
    rows = Survey.objects.visible_to(actor)
    condition = Q()
    if within is not None:
        condition &= Q(area_path__startswith=within.path)
    if year:
        condition &= Q(period_start__year=year)
    if company:
        condition &= Q(company_id=company)
    if q:
        condition &= Q(title__icontains=q) | Q(area__name__icontains=q)
    return rows.filter(condition).order_by("-period_start", "area_path", "id")


def survey_get(*, actor: Any, pk: int) -> Survey:
    survey: Survey = get_object_or_404(
        Survey.objects.visible_to(actor).select_related("area", "company"), pk=pk
    )
    return survey


def survey_public(token: str) -> Survey:
    """The survey behind a printed link: anyone with the link, nothing else."""
    survey: Survey = get_object_or_404(
        Survey.objects.select_related("area", "company"), token=token
    )
    return survey

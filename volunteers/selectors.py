"""Every non-trivial read of 双报到, already scoped (``visible_to``) and joined so that a page
of rows costs the same few queries whatever its length."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from governance.models import Area, AreaLevel, Department, NeedsLedger

from .deadlines import flag_all
from .models import (
    Campaign,
    CampaignPerson,
    CampaignShift,
    CampaignSignup,
    CheckInState,
    CoBuildAgreement,
    CoBuildProject,
    CommunityNeed,
    MemberCheckIn,
    MemberTask,
    ProjectEvent,
    ProjectMilestone,
    Resource,
    TaskState,
    UnitCheckIn,
    YearFeedback,
)


def _count(queryset: QuerySet[Any], field_name: str) -> Any:
    """A correlated count, so a list's rows are counted without grouping the list."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field_name: OuterRef("pk")})
            .order_by()
            .values(field_name)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


# --- Territory in scope -----------------------------------------------------------------------


def communities_for(*, actor: Any) -> QuerySet[Area]:
    return Area.objects.visible_to(actor).filter(level=AreaLevel.COMMUNITY, is_active=True)


def departments_for(*, actor: Any) -> QuerySet[Department]:
    """Units a user may name: every active one (they are not personal data)."""
    return Department.objects.filter(is_active=True).order_by("code")


# --- Unit check-ins ---------------------------------------------------------------------------


def checkin_list(*, actor: Any) -> QuerySet[Any]:
    return (
        UnitCheckIn.objects.visible_to(actor)
        .select_related("department", "community")
        .annotate(n_resources=_count(Resource.objects.all(), "checkin"))
    )


def checkin_get(*, actor: Any, pk: int) -> UnitCheckIn:
    queryset = UnitCheckIn.objects.visible_to(actor).select_related(
        "department", "community", "confirmed_by", "submitted_by"
    )
    checkin: UnitCheckIn = get_object_or_404(queryset, pk=pk)
    return checkin


def checkin_resources(checkin: UnitCheckIn) -> list[Resource]:
    return list(checkin.resources.order_by("kind", "id"))


def checkin_agreement(checkin: UnitCheckIn) -> CoBuildAgreement | None:
    return CoBuildAgreement.objects.filter(checkin=checkin).first()


@dataclass
class CoverageRow:
    community: Area
    departments: list[str] = field(default_factory=list)
    pending: int = 0


def coverage(*, actor: Any, year: int) -> list[CoverageRow]:
    """Which units serve which community in ``year`` (confirmed check-ins), and which
    communities of the actor's scope have none: two queries."""
    rows = {c.pk: CoverageRow(c) for c in communities_for(actor=actor).order_by("path")}
    checkins = (
        UnitCheckIn.objects.visible_to(actor)
        .filter(year=year, community_id__in=list(rows))
        .exclude(state=CheckInState.WITHDRAWN)
        .values_list("community_id", "department__name", "state")
        .order_by("department__code")
    )
    for community_id, name, state in checkins:
        if state == CheckInState.CONFIRMED:
            rows[community_id].departments.append(name)
        else:
            rows[community_id].pending += 1
    return list(rows.values())


def resource_list(*, actor: Any) -> QuerySet[Any]:
    return (
        Resource.objects.visible_to(actor)
        .select_related("department", "checkin__community")
        .annotate(n_projects=_count(CoBuildProject.resources.through.objects.all(), "resource"))
    )


# --- Needs and projects -----------------------------------------------------------------------


def need_list(*, actor: Any) -> QuerySet[Any]:
    return (
        CommunityNeed.objects.visible_to(actor)
        .select_related("community")
        .annotate(n_projects=_count(CoBuildProject.needs.through.objects.all(), "communityneed"))
    )


def ledger_entries_to_draw(*, actor: Any, community: Area) -> QuerySet[Any]:
    """Open entries of the residents' needs ledger of a community, not yet in its list."""
    return (
        NeedsLedger.objects.visible_to(actor)
        .filter(area_path__startswith=community.path, cobuild_need__isnull=True)
        .exclude(status="done")
        .order_by("-raised_on", "-id")
    )


def _overdue_milestones() -> QuerySet[Any]:
    return ProjectMilestone.objects.filter(done_on__isnull=True, due_on__lt=timezone.localdate())


def project_list(*, actor: Any) -> QuerySet[Any]:
    return (
        CoBuildProject.objects.visible_to(actor)
        .select_related("community", "lead_department")
        .annotate(n_overdue=_count(_overdue_milestones(), "project"))
    )


def project_get(*, actor: Any, pk: int) -> CoBuildProject:
    queryset = (
        CoBuildProject.objects.visible_to(actor)
        .select_related("community", "lead_department", "created_by")
        .prefetch_related(
            Prefetch("partners", queryset=Department.objects.order_by("code")),
            Prefetch("needs", queryset=CommunityNeed.objects.order_by("id")),
            Prefetch(
                "resources", queryset=Resource.objects.select_related("department").order_by("id")
            ),
            Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_on", "id")),
            Prefetch("events", queryset=ProjectEvent.objects.select_related("actor")),
            "evidence",
        )
    )
    project: CoBuildProject = get_object_or_404(queryset, pk=pk)
    flag_all(list(project.milestones.all()))
    return project


def milestone_list(*, actor: Any) -> QuerySet[Any]:
    return ProjectMilestone.objects.visible_to(actor).select_related("project__community")


# --- Members ----------------------------------------------------------------------------------


def member_checkin_list(*, actor: Any) -> QuerySet[Any]:
    done = MemberTask.objects.filter(state=TaskState.DONE)
    return (
        MemberCheckIn.objects.visible_to(actor)
        .select_related("community", "grid", "employer_department")
        .annotate(n_done=_count(done, "checkin"))
    )


def member_checkin_get(*, actor: Any, pk: int) -> MemberCheckIn:
    queryset = MemberCheckIn.objects.visible_to(actor).select_related(
        "community", "grid", "employer_department", "party_member"
    )
    checkin: MemberCheckIn = get_object_or_404(queryset, pk=pk)
    return checkin


def member_by_token(token: str) -> MemberCheckIn:
    """The member's own phone page: their secret link is the key, nothing else."""
    checkin: MemberCheckIn = get_object_or_404(
        MemberCheckIn.objects.select_related("community", "grid"), access_token=token
    )
    return checkin


def member_tasks(checkin: MemberCheckIn) -> list[MemberTask]:
    return list(checkin.tasks.order_by("state", "-scheduled_on", "-id")[:200])


def feedback_list(*, actor: Any) -> QuerySet[Any]:
    return YearFeedback.objects.visible_to(actor).select_related(
        "checkin__community", "checkin__grid"
    )


def feedback_employers(*, actor: Any, year: int) -> list[tuple[str, int]]:
    rows = (
        feedback_list(actor=actor)
        .filter(year=year)
        .values("employer")
        .annotate(n=Count("id"))
        .order_by("employer")
    )
    return [(r["employer"], r["n"]) for r in rows]


# --- Campaigns --------------------------------------------------------------------------------


def campaign_list(*, actor: Any) -> QuerySet[Any]:
    signups = CampaignSignup.objects.visible_to(actor)
    people = (
        signups.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("person", distinct=True))
        .values("n")[:1]
    )
    return (
        Campaign.objects.visible_to(actor)
        .select_related("area")
        .annotate(n_people=Coalesce(Subquery(people, output_field=IntegerField()), Value(0)))
    )


def campaign_get(*, actor: Any, pk: int) -> Campaign:
    campaign: Campaign = get_object_or_404(
        Campaign.objects.visible_to(actor).select_related("area"), pk=pk
    )
    return campaign


@dataclass
class CampaignStats:
    people: int
    hours: Decimal
    signups: int
    by_grid: list[dict[str, Any]]
    by_day: list[dict[str, Any]]


def campaign_stats(*, actor: Any, campaign: Campaign) -> CampaignStats:
    """Distinct people mobilised and their hours, per grid and per day, in the actor's part
    of the campaign (its grids in the actor's communities)."""
    signups = CampaignSignup.objects.visible_to(actor).filter(campaign=campaign)
    total = signups.aggregate(
        people=Count("person", distinct=True), hours=Sum("hours"), signups=Count("id")
    )
    by_grid = list(
        signups.values("grid_id", "grid__name", "grid__community__name")
        .annotate(people=Count("person", distinct=True), hours=Sum("hours"), signups=Count("id"))
        .order_by("grid__code")
    )
    by_day = list(
        signups.values("day")
        .annotate(people=Count("person", distinct=True), hours=Sum("hours"), signups=Count("id"))
        .order_by("day")
    )
    return CampaignStats(
        people=total["people"] or 0,
        hours=total["hours"] or Decimal(0),
        signups=total["signups"] or 0,
        by_grid=by_grid,
        by_day=by_day,
    )


def shift_list(*, actor: Any, campaign: Campaign) -> QuerySet[Any]:
    return (
        CampaignShift.objects.visible_to(actor)
        .filter(campaign=campaign)
        .select_related("grid")
        .annotate(n_signups=_count(CampaignSignup.objects.all(), "shift"))
    )


def shift_get(*, actor: Any, pk: int) -> CampaignShift:
    shift: CampaignShift = get_object_or_404(
        CampaignShift.objects.visible_to(actor).select_related("campaign", "grid"), pk=pk
    )
    return shift


def signup_list(*, actor: Any) -> QuerySet[Any]:
    return CampaignSignup.objects.visible_to(actor).select_related(
        "person", "shift", "grid", "campaign"
    )


def campaign_people(*, actor: Any, campaign_id: int | None = None) -> QuerySet[Any]:
    """People with at least one visible sign-up (of one campaign, when given), each once,
    with their shifts and hours."""
    signups = CampaignSignup.objects.visible_to(actor)
    if campaign_id:
        signups = signups.filter(campaign_id=campaign_id)
    hours = (
        signups.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(h=Sum("hours"))
        .values("h")[:1]
    )
    return CampaignPerson.objects.filter(Q(pk__in=signups.values("person"))).annotate(
        n_shifts=_count(signups, "person"),
        total_hours=Coalesce(Subquery(hours), Value(Decimal(0))),
    )


def grids_of_campaign(campaign: Campaign, *, actor: Any) -> QuerySet[Any]:
    from grids.models import Grid

    return Grid.objects.visible_to(actor).filter(campaigns=campaign).order_by("code")


def people_by_day(stats: CampaignStats) -> dict[date, int]:
    return {row["day"]: row["people"] for row in stats.by_day}


def per_grid_day(*, actor: Any, campaign: Campaign) -> dict[int, dict[date, int]]:
    table: dict[int, dict[date, int]] = defaultdict(dict)
    rows = (
        CampaignSignup.objects.visible_to(actor)
        .filter(campaign=campaign)
        .values("grid_id", "day")
        .annotate(people=Count("person", distinct=True))
    )
    for row in rows:
        table[row["grid_id"]][row["day"]] = row["people"]
    return table


# --- List filters and sorting -------------------------------------------------------------------
#: Each list's ``?o=`` keys and the fields they sort by (a stable tie-break last).

ORDERINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "checkins": {
        "year": ("year", "id"),
        "community": ("area_path", "department__code"),
        "department": ("department__code", "area_path"),
        "state": ("state", "id"),
        "resources": ("n_resources", "id"),
    },
    "resources": {
        "community": ("area_path", "id"),
        "department": ("department__code", "id"),
        "kind": ("kind", "id"),
        "quantity": ("quantity", "id"),
    },
    "needs": {
        "raised_on": ("raised_on", "id"),
        "community": ("area_path", "id"),
        "kind": ("kind", "id"),
        "state": ("state", "id"),
    },
    "projects": {
        "created": ("created_at", "id"),
        "title": ("title", "id"),
        "community": ("area_path", "id"),
        "budget": ("budget", "id"),
        "starts_on": ("starts_on", "id"),
        "ends_on": ("ends_on", "id"),
        "state": ("state", "id"),
        "overdue": ("n_overdue", "id"),
    },
    "members": {
        "name": ("name", "id"),
        "community": ("area_path", "name", "id"),
        "employer": ("employer", "id"),
        "registered_on": ("registered_on", "id"),
        "done": ("n_done", "id"),
    },
    "feedback": {
        "employer": ("employer", "id"),
        "hours": ("hours", "id"),
        "participations": ("participations", "id"),
        "year": ("year", "id"),
    },
    "campaigns": {"starts_on": ("starts_on", "id"), "title": ("title", "id")},
    "people": {
        "name": ("name", "id"),
        "hours": ("total_hours", "id"),
        "shifts": ("n_shifts", "id"),
    },
}


def ordered(
    rows: QuerySet[Any],
    kind: str,
    ordering: str,
    table: dict[str, dict[str, tuple[str, ...]]] | None = None,
) -> QuerySet[Any]:
    """Sort by a known ``?o=`` key (``-key`` descending); unknown keys leave the default.
    ``table``: another list family's keys (the volunteer service's)."""
    key = ordering.lstrip("-")
    fields = (table or ORDERINGS)[kind].get(key)
    if not fields:
        return rows
    if ordering.startswith("-"):
        fields = tuple(f"-{f}" for f in fields)
    return rows.order_by(*fields)


def _within(community: Area | None) -> Q:
    return Q(area_path__startswith=community.path) if community is not None else Q()


def filter_checkins(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = _within(data.get("community"))
    if data.get("q"):
        q = data["q"]
        condition &= (
            Q(department__name__icontains=q)
            | Q(contact_name__icontains=q)
            | Q(community__name__icontains=q)
        )
    for name in ("year", "department", "state", "unit_type"):
        if data.get(name):
            condition &= Q(**{name: data[name]})
    return rows.filter(condition)


def filter_resources(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = _within(data.get("community"))
    if data.get("q"):
        condition &= Q(name__icontains=data["q"]) | Q(description__icontains=data["q"])
    for name in ("department", "kind"):
        if data.get(name):
            condition &= Q(**{name: data[name]})
    return rows.filter(condition)


def filter_needs(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = _within(data.get("community"))
    if data.get("q"):
        condition &= Q(title__icontains=data["q"]) | Q(description__icontains=data["q"])
    for name in ("kind", "source", "state"):
        if data.get(name):
            condition &= Q(**{name: data[name]})
    return rows.filter(condition)


def filter_projects(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = _within(data.get("community"))
    if data.get("q"):
        condition &= Q(title__icontains=data["q"]) | Q(lead_department__name__icontains=data["q"])
    if data.get("lead_department"):
        condition &= Q(lead_department=data["lead_department"])
    if data.get("state"):
        condition &= Q(state=data["state"])
    rows = rows.filter(condition)
    if data.get("overdue"):
        rows = rows.filter(n_overdue__gt=0)
    return rows


def filter_members(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = _within(data.get("community"))
    if data.get("q"):
        q = data["q"]
        condition &= Q(name__icontains=q) | Q(employer__icontains=q) | Q(branch__icontains=q)
    if data.get("employer_department"):
        condition &= Q(employer_department=data["employer_department"])
    if data.get("service_area"):
        condition &= Q(service_areas__contains=[data["service_area"]])
    if data.get("status") == "active":
        condition &= Q(ended_on__isnull=True)
    elif data.get("status") == "ended":
        condition &= Q(ended_on__isnull=False)
    return rows.filter(condition)


def filter_feedback(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = Q()
    if data.get("q"):
        condition &= Q(checkin__name__icontains=data["q"]) | Q(employer__icontains=data["q"])
    if data.get("employer"):
        condition &= Q(employer=data["employer"])
    for name in ("year", "assessment"):
        if data.get(name):
            condition &= Q(**{name: data[name]})
    return rows.filter(condition)


def filter_campaigns(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = Q()
    if data.get("q"):
        condition &= Q(title__icontains=data["q"])
    if data.get("active_on"):
        condition &= Q(starts_on__lte=data["active_on"], ends_on__gte=data["active_on"])
    return rows.filter(condition)


def filter_people(rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    condition = Q()
    if data.get("q"):
        condition &= Q(name__icontains=data["q"]) | Q(employer__icontains=data["q"])
    if data.get("kind"):
        condition &= Q(kind=data["kind"])
    return rows.filter(condition)


def communities_all() -> QuerySet[Area]:
    """Every community: a department liaison may check their unit in anywhere."""
    return Area.objects.filter(level=AreaLevel.COMMUNITY, is_active=True).order_by("path")

"""Every non-trivial read of the volunteer service (teams, volunteers, activities,
attendance, points, wishes, micro-services), already scoped (``visible_to``) and joined so a
page of rows costs the same few queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import (
    Activity,
    ActivityState,
    Attendance,
    AttendanceState,
    MicroService,
    MicroServiceRecord,
    PointsEntry,
    Redemption,
    ShopItem,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
    Wish,
    WishState,
)
from .selectors import _count
from .selectors import ordered as base_ordered


def _sum_hours(queryset: QuerySet[Any], field_name: str) -> Any:
    return Coalesce(
        Subquery(
            queryset.filter(**{field_name: OuterRef("pk")}, state=AttendanceState.APPROVED)
            .order_by()
            .values(field_name)
            .annotate(h=Sum("hours"))
            .values("h")[:1],
            output_field=DecimalField(max_digits=12, decimal_places=1),
        ),
        Value(Decimal(0)),
    )


# --- Teams and volunteers ---------------------------------------------------------------------


def team_list(*, actor: Any) -> QuerySet[Any]:
    return (
        VolunteerTeam.objects.visible_to(actor)
        .select_related("community", "grid", "leader")
        .annotate(
            n_members=_count(TeamMembership.objects.all(), "team"),
            n_activities=_count(Activity.objects.all(), "team"),
        )
    )


def team_get(*, actor: Any, pk: int) -> VolunteerTeam:
    team: VolunteerTeam = get_object_or_404(team_list(actor=actor), pk=pk)
    return team


@dataclass
class TeamStats:
    members: int
    hours: Decimal
    activities: int


def team_stats(team: VolunteerTeam) -> TeamStats:
    """The team's members, and the approved hours of its activities (each volunteer's hours
    on the team's activities counted once, whatever other teams they are in)."""
    hours = Attendance.objects.filter(
        activity__team=team, state=AttendanceState.APPROVED
    ).aggregate(h=Coalesce(Sum("hours"), Value(Decimal(0))))["h"]
    return TeamStats(team.n_members, hours, team.n_activities)  # type: ignore[attr-defined]


def team_members(team: VolunteerTeam) -> list[TeamMembership]:
    return list(team.memberships.select_related("volunteer").order_by("-volunteer__hours", "id"))


def volunteer_list(*, actor: Any) -> QuerySet[Any]:
    return (
        Volunteer.objects.visible_to(actor)
        .select_related("community")
        .annotate(n_teams=_count(TeamMembership.objects.all(), "volunteer"))
    )


def volunteer_get(*, actor: Any, pk: int) -> Volunteer:
    volunteer: Volunteer = get_object_or_404(
        Volunteer.objects.visible_to(actor).select_related("community"), pk=pk
    )
    return volunteer


def volunteer_by_token(token: str) -> Volunteer:
    volunteer: Volunteer = get_object_or_404(
        Volunteer.objects.select_related("community"), access_token=token, is_active=True
    )
    return volunteer


def volunteer_record(volunteer: Volunteer) -> dict[str, Any]:
    """A person's hours, teams, latest attendance and points: what their page shows."""
    attendance = list(
        volunteer.attendances.select_related("activity").order_by("-activity__starts_at")[:50]
    )
    return {
        "teams": list(
            VolunteerTeam.objects.filter(memberships__volunteer=volunteer).order_by("name")
        ),
        "attendance": attendance,
        "points": list(volunteer.points_entries.order_by("-created_at", "-id")[:30]),
        "redemptions": list(volunteer.redemptions.select_related("item")[:20]),
    }


def approved_attendance(volunteer: Volunteer) -> list[Attendance]:
    return list(
        volunteer.attendances.filter(state=AttendanceState.APPROVED)
        .select_related("activity", "activity__community")
        .order_by("activity__starts_at")
    )


# --- Activities and attendance ----------------------------------------------------------------


def activity_list(*, actor: Any) -> QuerySet[Any]:
    return (
        Activity.objects.visible_to(actor)
        .select_related("community", "team", "station")
        .annotate(
            n_signups=_count(Attendance.objects.all(), "activity"),
            approved_hours=_sum_hours(Attendance.objects.all(), "activity"),
        )
    )


def activity_get(*, actor: Any, pk: int) -> Activity:
    activity: Activity = get_object_or_404(activity_list(actor=actor), pk=pk)
    return activity


def activity_by_token(token: str) -> Activity:
    activity: Activity = get_object_or_404(
        Activity.objects.select_related("community"), signup_token=token
    )
    return activity


def activity_attendance(activity: Activity) -> list[Attendance]:
    return list(activity.attendances.select_related("volunteer").order_by("signed_up_at", "id"))


def open_activities(volunteer: Volunteer) -> list[Activity]:
    """Activities of the volunteer's community they may still sign up for."""
    return list(
        Activity.objects.filter(
            area_path=volunteer.area_path,
            state=ActivityState.PUBLISHED,
            ends_at__gt=timezone.now(),
        )
        .exclude(attendances__volunteer=volunteer)
        .order_by("starts_at")[:20]
    )


def attendance_list(*, actor: Any) -> QuerySet[Any]:
    return Attendance.objects.visible_to(actor).select_related(
        "activity", "volunteer", "activity__community"
    )


# --- Points -----------------------------------------------------------------------------------


def points_list(*, actor: Any) -> QuerySet[Any]:
    return PointsEntry.objects.visible_to(actor).select_related("volunteer", "volunteer__community")


def shop_list(*, actor: Any) -> QuerySet[Any]:
    return (
        ShopItem.objects.visible_to(actor)
        .select_related("community")
        .annotate(n_redeemed=_count(Redemption.objects.all(), "item"))
    )


def shop_for(volunteer: Volunteer) -> list[ShopItem]:
    return list(ShopItem.objects.filter(area_path=volunteer.area_path, is_active=True, stock__gt=0))


# --- Wishes and micro-services ----------------------------------------------------------------


def wish_list(*, actor: Any) -> QuerySet[Any]:
    return Wish.objects.visible_to(actor).select_related("community", "grid")


def wish_get(*, actor: Any, pk: int) -> Wish:
    wish: Wish = get_object_or_404(wish_list(actor=actor), pk=pk)
    return wish


def wishes_to_claim(volunteer: Volunteer) -> list[Wish]:
    return list(
        Wish.objects.filter(area_path=volunteer.area_path, state=WishState.PUBLISHED).order_by(
            "published_at"
        )[:30]
    )


def micro_list(*, actor: Any) -> QuerySet[Any]:
    return (
        MicroService.objects.visible_to(actor)
        .select_related("community", "team")
        .annotate(n_records=_count(MicroServiceRecord.objects.all(), "service"))
    )


def micro_get(*, actor: Any, pk: int) -> MicroService:
    service: MicroService = get_object_or_404(micro_list(actor=actor), pk=pk)
    return service


# --- Sorting and filters ----------------------------------------------------------------------

ORDERINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "teams": {
        "name": ("name", "id"),
        "community": ("area_path", "kind", "name"),
        "members": ("n_members", "id"),
        "activities": ("n_activities", "id"),
    },
    "volunteers": {
        "name": ("name", "id"),
        "community": ("area_path", "name", "id"),
        "hours": ("hours", "id"),
        "points": ("points", "id"),
        "registered_on": ("registered_on", "id"),
    },
    "activities": {
        "starts_at": ("starts_at", "id"),
        "title": ("title", "id"),
        "community": ("area_path", "starts_at", "id"),
        "signups": ("n_signups", "id"),
        "hours": ("approved_hours", "id"),
        "audience": ("attendance_count", "id"),
    },
    "attendance": {
        "signed_up_at": ("signed_up_at", "id"),
        "starts_at": ("activity__starts_at", "id"),
        "hours": ("hours", "id"),
        "state": ("state", "id"),
    },
    "points": {"created_at": ("created_at", "id"), "delta": ("delta", "id")},
    "shop": {"name": ("name", "id"), "points": ("points", "id"), "stock": ("stock", "id")},
    "wishes": {
        "posted_at": ("posted_at", "id"),
        "waiting": ("published_at", "id"),
        "state": ("state", "id"),
    },
    "micro": {"title": ("title", "id"), "kind": ("kind", "id"), "records": ("n_records", "id")},
}


def ordered(rows: QuerySet[Any], kind: str, ordering: str) -> QuerySet[Any]:
    return base_ordered(rows, kind, ordering, ORDERINGS)


def _common(data: dict[str, Any], text_fields: tuple[str, ...]) -> Q:
    condition = Q()
    community = data.get("community")
    if community is not None:
        condition &= Q(area_path__startswith=community.path)
    if data.get("q"):
        text = Q()
        for name in text_fields:
            text |= Q(**{f"{name}__icontains": data["q"]})
        condition &= text
    return condition


DATE_FIELDS = {
    "activities": "starts_at",
    "attendance": "activity__starts_at",
    "points": "created_at",
    "wishes": "posted_at",
}


def filter_rows(kind: str, rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
    """The filter form's values as one ``filter()`` call."""
    texts = {
        "teams": ("name", "focus"),
        "volunteers": ("name", "skills"),
        "activities": ("title", "programme", "place"),
        "attendance": ("volunteer__name", "activity__title"),
        "points": ("volunteer__name", "note"),
        "shop": ("name",),
        "wishes": ("title", "beneficiary", "claimant_name"),
        "micro": ("title", "provider"),
    }[kind]
    condition = _common(data, texts)
    for name in ("kind", "state", "reason", "source", "team"):
        value = data.get(name)
        if isinstance(value, list) and value:
            condition &= Q(**{f"{name}__in": value})
        elif value:
            condition &= Q(**{name: value})
    if data.get("stars"):
        from_hours = (0, 100, 300, 600, 1000, 1500)[int(data["stars"])]
        condition &= Q(hours__gte=from_hours)
    if data.get("grid"):
        condition &= Q(grid=data["grid"])
    if data.get("activity"):
        condition &= Q(activity_id=data["activity"])
    if data.get("volunteer"):
        condition &= Q(volunteer_id=data["volunteer"])
    if data.get("active"):
        condition &= ~Q(state=ActivityState.CANCELLED)
    if data.get("station_only"):
        condition &= Q(station__isnull=False)
    if data.get("tag"):
        condition &= Q(target_tags__contains=[data["tag"]])
    date_field = DATE_FIELDS.get(kind)
    if date_field and data.get("since"):
        condition &= Q(**{f"{date_field}__date__gte": data["since"]})
    if date_field and data.get("until"):
        condition &= Q(**{f"{date_field}__date__lte": data["until"]})
    if data.get("waiting_over"):
        cutoff = timezone.now() - timedelta(days=int(data["waiting_over"]))
        condition &= Q(state=WishState.PUBLISHED, published_at__lte=cutoff)
    return rows.filter(condition)


def distinct_people(rows: QuerySet[Any]) -> int:
    return rows.values("volunteer").distinct().order_by().count()


def count_of(rows: QuerySet[Any]) -> int:
    return rows.aggregate(n=Count("pk"))["n"]


@dataclass
class HoursRow:
    name: str
    hours: Decimal
    people: int
    area_id: int = 0


def hours_by_community(*, actor: Any) -> list[HoursRow]:
    """Approved hours and distinct volunteers per community of the caller's scope (a person
    counts once per community however many activities and teams): one grouped query."""
    rows = (
        Attendance.objects.visible_to(actor)
        .filter(state=AttendanceState.APPROVED)
        .values("activity__community_id", "activity__community__name")
        .annotate(h=Sum("hours"), n=Count("volunteer", distinct=True))
        .order_by("-h")
    )
    return [
        HoursRow(r["activity__community__name"], r["h"], r["n"], r["activity__community_id"])
        for r in rows
    ]


def hours_by_grid(*, actor: Any, limit: int = 30) -> list[HoursRow]:
    """The same per grid (activities organised in a grid: by its team or at its station)."""
    rows = (
        Attendance.objects.visible_to(actor)
        .filter(state=AttendanceState.APPROVED, activity__grid__isnull=False)
        .values("activity__grid_id", "activity__grid__name")
        .annotate(h=Sum("hours"), n=Count("volunteer", distinct=True))
        .order_by("-h")[:limit]
    )
    return [
        HoursRow(r["activity__grid__name"], r["h"], r["n"], r["activity__grid_id"]) for r in rows
    ]

"""Reads of the service centres: the ledger with each centre's standardisation score, the
centre page (rooms, stations below, checklist), bookings, service records and the counts per
kind, centre and month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import Actor
from governance.models import Area
from grids.models import ServiceKind, Station

from ..models import (
    BookingStatus,
    ChecklistItem,
    ChecklistResult,
    Room,
    RoomBooking,
    ServiceCentre,
    ServiceRecord,
)
from ._base import ordered, under


def checklist_totals() -> dict[str, int]:
    """The points a centre of each level can score (active items of that level)."""
    totals: dict[str, int] = defaultdict(int)
    for levels, points in ChecklistItem.objects.filter(is_active=True).values_list(
        "levels", "points"
    ):
        for level in levels:
            totals[level] += points
    return dict(totals)


def score_of(met_points: int | None, total: int) -> int | None:
    """The standardisation score out of 100 (None before any item is defined)."""
    if not total:
        return None
    return round(100 * (met_points or 0) / total)


def _met_points() -> Subquery:
    met = (
        ChecklistResult.objects.filter(centre=OuterRef("pk"), met=True, item__is_active=True)
        .order_by()
        .values("centre")
        .annotate(points=Sum("item__points"))
        .values("points")
    )
    return Subquery(met, output_field=IntegerField())


def _count(model: Any, **filters: Any) -> Coalesce:
    rows = model.objects.filter(**filters).order_by().values(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


CENTRE_ORDERINGS = {
    "area": "area_path",
    "-area": "-area_path",
    "name": "name",
    "-name": "-name",
    "score": "score_value",
    "-score": "-score_value",
    "rooms": "n_rooms",
    "-rooms": "-n_rooms",
}


def centre_list(
    *,
    actor: Actor,
    level: str = "",
    street: Area | None = None,
    service: str = "",
    line: str = "",
    active: bool | None = None,
    search: str = "",
    ordering: str = "area",
) -> QuerySet[ServiceCentre]:
    """Centres in scope with their rooms, the stations below them and the checklist points
    met: one query for the page whatever its length."""
    centres = (
        ServiceCentre.objects.visible_to(actor)
        .select_related("area", "parent")
        .annotate(
            met_points=Coalesce(_met_points(), 0),
            n_rooms=_count(Room, centre=OuterRef("pk")),
            n_stations=_stations_under(),
        )
        .filter(under("area_path", street))
    )
    totals = checklist_totals()
    centres = centres.annotate(
        score_value=Case(
            *[
                When(level=lvl, then=F("met_points") * 100.0 / total)
                for lvl, total in totals.items()
                if total
            ],
            default=Value(None),
            output_field=FloatField(),
        )
    )
    if level:
        centres = centres.filter(level=level)
    if service:
        centres = centres.filter(services__contains=[service])
    if line:
        centres = centres.filter(lines__contains=[line])
    if active is not None:
        centres = centres.filter(is_active=active)
    if search:
        centres = centres.filter(Q(name__icontains=search) | Q(address__icontains=search))
    return ordered(centres, CENTRE_ORDERINGS, ordering, "area")


def _stations_under() -> Coalesce:
    """The number of active grid stations under a centre's area: a correlated COUNT with no
    GROUP BY (``Func`` is not an aggregate to the ORM)."""
    rows = (
        Station.objects.filter(is_active=True, area_path__startswith=OuterRef("area_path"))
        .order_by()
        .values(n=Func(F("pk"), function="COUNT"))
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def decorate_score(centre: Any) -> None:
    """``score`` out of 100 on a centre of :func:`centre_list`."""
    value = getattr(centre, "score_value", None)
    centre.score = round(value) if value is not None else None


def centre_get(*, actor: Actor, pk: int) -> ServiceCentre:
    centres = (
        ServiceCentre.objects.visible_to(actor)
        .select_related("area", "parent")
        .prefetch_related(Prefetch("rooms", queryset=Room.objects.order_by("name")))
    )
    centre: ServiceCentre = get_object_or_404(centres, pk=pk)
    return centre


def children_of(*, actor: Actor, centre: ServiceCentre) -> QuerySet[ServiceCentre]:
    return ServiceCentre.objects.visible_to(actor).filter(parent=centre).order_by("area_path")


def stations_under(*, actor: Actor, centre: ServiceCentre) -> QuerySet[Station]:
    """The grid service stations and red stations below a centre (the grids' own rows)."""
    return (
        Station.objects.visible_to(actor)
        .filter(area_path__startswith=centre.area_path)
        .select_related("grid")
        .order_by("area_path", "name")
    )


@dataclass
class ChecklistLine:
    item: ChecklistItem
    result: ChecklistResult | None


@dataclass
class Checklist:
    lines: list[ChecklistLine] = field(default_factory=list)
    total: int = 0
    met: int = 0

    @property
    def score(self) -> int | None:
        return score_of(self.met, self.total)


def checklist_of(centre: ServiceCentre) -> Checklist:
    """The items that apply to the centre's level, each with its last result."""
    results = {r.item_id: r for r in centre.checklist.select_related("checked_by")}
    checklist = Checklist()
    for item in ChecklistItem.objects.filter(is_active=True, levels__contains=[centre.level]):
        result = results.get(item.pk)
        checklist.lines.append(ChecklistLine(item, result))
        checklist.total += item.points
        if result is not None and result.met:
            checklist.met += item.points
    return checklist


def rooms_of(*, actor: Actor, centre: ServiceCentre) -> list[Room]:
    """The centre's rooms with their coming bookings."""
    coming = RoomBooking.objects.filter(
        status=BookingStatus.BOOKED, ends_at__gte=timezone.now()
    ).order_by("starts_at")
    return list(
        Room.objects.visible_to(actor)
        .filter(centre=centre)
        .prefetch_related(Prefetch("bookings", queryset=coming, to_attr="coming"))
        .order_by("name")
    )


BOOKING_ORDERINGS = {
    "start": "starts_at",
    "-start": "-starts_at",
    "room": ("room__centre__name", "room__name", "starts_at"),
    "-room": ("-room__centre__name", "-room__name", "starts_at"),
}


def booking_list(
    *,
    actor: Actor,
    centre: int | None = None,
    status: str = "",
    when: str = "",
    search: str = "",
    ordering: str = "start",
) -> QuerySet[RoomBooking]:
    """Bookings in scope; ``when`` is "coming" or "past"."""
    bookings = RoomBooking.objects.visible_to(actor).select_related(
        "room", "room__centre", "booked_by"
    )
    if centre is not None:
        bookings = bookings.filter(room__centre_id=centre)
    if status:
        bookings = bookings.filter(status=status)
    now = timezone.now()
    if when == "coming":
        bookings = bookings.filter(ends_at__gte=now)
    elif when == "past":
        bookings = bookings.filter(ends_at__lt=now)
    if search:
        bookings = bookings.filter(Q(title__icontains=search) | Q(organiser__icontains=search))
    return ordered(bookings, BOOKING_ORDERINGS, ordering, "start")


RECORD_ORDERINGS = {
    "date": "served_on",
    "-date": "-served_on",
    "kind": ("kind", "-served_on"),
    "people": "people",
    "-people": "-people",
}


def record_list(
    *,
    actor: Actor,
    centre: int | None = None,
    kind: str = "",
    line: str = "",
    month: date | None = None,
    search: str = "",
    ordering: str = "-date",
) -> QuerySet[ServiceRecord]:
    """Service records in scope; ``centre`` keeps a centre's own records and those of the
    stations below it."""
    records = ServiceRecord.objects.visible_to(actor).select_related(
        "centre", "station", "station__grid"
    )
    if centre is not None:
        place = ServiceCentre.objects.filter(pk=centre).values_list("area_path", flat=True)
        path = place.first()
        records = records.filter(
            Q(centre_id=centre) | Q(station__isnull=False, area_path__startswith=path or "-")
        )
    if kind:
        records = records.filter(kind=kind)
    if line:
        records = records.filter(line=line)
    if month is not None:
        records = records.filter(served_on__year=month.year, served_on__month=month.month)
    if search:
        records = records.filter(
            Q(content__icontains=search)
            | Q(served__icontains=search)
            | Q(served_by__icontains=search)
        )
    return ordered(records, RECORD_ORDERINGS, ordering, "-date")


@dataclass
class CountRow:
    """One place and month: services by kind and people served."""

    place: Any
    month: int
    by_kind: dict[str, int]
    people: int

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def counts(self) -> list[int]:
        return [self.by_kind.get(kind, 0) for kind in ServiceKind.values]


def service_counts(
    *, actor: Actor, year: int, centre: int | None = None, kind: str = ""
) -> list[CountRow]:
    """Services per kind, place (centre or station) and month of ``year``: one grouped query
    and one for the places' names."""
    records = record_list(actor=actor, centre=centre, kind=kind).filter(served_on__year=year)
    grouped = (
        records.order_by()
        .annotate(month=ExtractMonth("served_on"))
        .values("centre_id", "station_id", "month", "kind")
        .annotate(n=Count("pk"), people=Sum("people"))
    )
    cells: dict[tuple[int | None, int | None, int], dict[str, Any]] = {}
    for row in grouped:
        key = (row["centre_id"], row["station_id"], row["month"])
        cell = cells.setdefault(key, {"by_kind": {}, "people": 0})
        cell["by_kind"][row["kind"]] = row["n"]
        cell["people"] += row["people"] or 0
    centres = {c.pk: c for c in ServiceCentre.objects.filter(pk__in={k[0] for k in cells if k[0]})}
    stations = {s.pk: s for s in Station.objects.filter(pk__in={k[1] for k in cells if k[1]})}
    rows = [
        CountRow(
            place=centres[c] if c else stations[s or 0],
            month=month,
            by_kind=cell["by_kind"],
            people=cell["people"],
        )
        for (c, s, month), cell in cells.items()
    ]
    rows.sort(key=lambda r: (r.place.area_path, r.place.name, r.month))
    return rows


def kind_totals(rows: list[CountRow]) -> list[int]:
    return [sum(row.by_kind.get(kind, 0) for row in rows) for kind in ServiceKind.values]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day, time.max, tzinfo=tz)

"""Writes of the party-mass service centres: profiles, rooms, bookings, service records and
the standardisation checklist.

Concurrency: a booking locks its room's row, checks for an overlapping booking and inserts;
the exclusion constraint ``roombooking_no_overlap`` refuses what a race would still let through,
so of two people booking the same slot at once one wins and the other gets a clear refusal
(:class:`~common.errors.Conflict`). A profile edit made on a stale copy is refused the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from governance.models import Area, AreaLevel
from grids.models import ServiceKind, Station

from .. import policies
from ..models import (
    BookingStatus,
    CentreLevel,
    ChecklistItem,
    ChecklistResult,
    Room,
    RoomBooking,
    ServiceCentre,
    ServiceLine,
    ServiceRecord,
)
from ._base import audit, require, system_or, today, user_or_none

CENTRE_FIELDS = (
    "name",
    "address",
    "opening_hours",
    "phone",
    "floor_area",
    "services",
    "lines",
    "opened_on",
    "is_active",
    "note",
)
#: A booking is for an activity or a meeting, not for a week.
MAX_BOOKING = timedelta(hours=12)
#: How far ahead a room can be booked.
BOOKING_HORIZON = timedelta(days=180)


def _check_choices(services: Iterable[str], lines: Iterable[str]) -> dict[str, str]:
    errors = {}
    if set(services) - set(ServiceKind.values):
        errors["services"] = _("服务内容须为七类社区服务之一。")
    if set(lines) - set(ServiceLine.values):
        errors["lines"] = _("服务板块须为党务、政务、商务、社会服务之一。")
    return errors


@transaction.atomic
def centre_create(
    *,
    actor: Any,
    area: Area,
    name: str,
    address: str,
    opening_hours: str,
    phone: str = "",
    floor_area: int | None = None,
    services: Iterable[str] = (),
    lines: Iterable[str] = (),
    opened_on: date | None = None,
    note: str = "",
) -> ServiceCentre:
    """A street's or community's centre (one per area). A community centre hangs under its
    street's centre; a street centre adopts the community centres already under it."""
    if area.level not in (AreaLevel.STREET, AreaLevel.COMMUNITY):
        raise ValidationError({"area": _("党群服务中心须设在街道/镇或社区。")})
    system_or(actor, lambda: policies.can_manage_centre(actor, area.path))
    services, lines = list(dict.fromkeys(services)), list(dict.fromkeys(lines))
    errors = _check_choices(services, lines)
    if ServiceCentre.objects.filter(area=area).exists():
        errors["area"] = _("“%(area)s”已有党群服务中心。") % {"area": area.name}
    if ServiceCentre.objects.filter(name=name.strip()).exists():
        errors["name"] = _("已有同名的党群服务中心。")
    if errors:
        raise ValidationError(errors)
    level = CentreLevel.STREET if area.level == AreaLevel.STREET else CentreLevel.COMMUNITY
    parent = None
    if level == CentreLevel.COMMUNITY:
        parent = ServiceCentre.objects.filter(area__path=area.parent_path).first()
    centre = ServiceCentre(
        level=level,
        area=area,
        area_path=area.path,
        parent=parent,
        name=name.strip(),
        address=address.strip(),
        opening_hours=opening_hours.strip(),
        phone=phone.strip(),
        floor_area=floor_area,
        services=services,
        lines=lines,
        opened_on=opened_on,
        note=note,
    )
    centre.full_clean()
    centre.save()
    if level == CentreLevel.STREET:
        ServiceCentre.objects.filter(
            level=CentreLevel.COMMUNITY, parent__isnull=True, area_path__startswith=area.path
        ).update(parent=centre)
    audit(actor=actor, target=centre, event="centre.create", created=True)
    return centre


@transaction.atomic
def centre_update(
    *,
    actor: Any,
    centre: ServiceCentre,
    expected_updated_at: datetime | None = None,
    **changes: Any,
) -> ServiceCentre:
    """Change a centre's profile. ``expected_updated_at`` is the version the editor saw: if
    someone saved in between, the edit is refused, never silently overwritten."""
    unknown = set(changes) - set(CENTRE_FIELDS)
    if unknown:
        raise TypeError(f"centre_update: unknown fields {sorted(unknown)}")
    centre = ServiceCentre.objects.select_for_update().get(pk=centre.pk)
    system_or(actor, lambda: policies.can_manage_centre(actor, centre.area_path))
    if expected_updated_at is not None and centre.updated_at != expected_updated_at:
        raise Conflict(_("该中心信息已被他人修改，请刷新后重新编辑。"))
    errors = _check_choices(changes.get("services", ()), changes.get("lines", ()))
    name = changes.get("name")
    if name and ServiceCentre.objects.filter(name=name.strip()).exclude(pk=centre.pk).exists():
        errors["name"] = _("已有同名的党群服务中心。")
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(centre, field, value.strip() if isinstance(value, str) else value)
    centre.full_clean()
    centre.save()
    audit(actor=actor, target=centre, event="centre.update", fields=sorted(changes))
    return centre


@transaction.atomic
def room_add(
    *, actor: Any, centre: ServiceCentre, name: str, capacity: int, purpose: str = ""
) -> Room:
    system_or(actor, lambda: policies.can_manage_centre(actor, centre.area_path))
    if capacity < 1:
        raise ValidationError({"capacity": _("容纳人数须大于 0。")})
    if centre.rooms.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("本中心已有同名功能室。")})
    room = Room(
        centre=centre,
        area_path=centre.area_path,
        name=name.strip(),
        capacity=capacity,
        purpose=purpose.strip(),
    )
    room.full_clean()
    room.save()
    audit(actor=actor, target=room, event="room.add", created=True)
    return room


def _check_booking(room: Room, starts_at: datetime, ends_at: datetime, attendees: int) -> None:
    errors: dict[str, str] = {}
    now = timezone.now()
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间须晚于开始时间。")
    elif ends_at - starts_at > MAX_BOOKING:
        errors["ends_at"] = _("一次预约不能超过 12 小时。")
    if starts_at < now - timedelta(minutes=5):
        errors["starts_at"] = _("不能预约已经过去的时间。")
    elif starts_at > now + BOOKING_HORIZON:
        errors["starts_at"] = _("最多提前 180 天预约。")
    if attendees > room.capacity:
        errors["attendees"] = _("预计人数超过该功能室容纳人数（%(n)s 人）。") % {"n": room.capacity}
    if not room.is_active or not room.centre.is_active:
        errors["room"] = _("该功能室已停用。")
    if errors:
        raise ValidationError(errors)


def _clash_message(clash: RoomBooking) -> str:
    start = timezone.localtime(clash.starts_at)
    end = timezone.localtime(clash.ends_at)
    return _("该时段已被预约：%(title)s（%(start)s—%(end)s）。") % {
        "title": clash.title,
        "start": f"{start:%m-%d %H:%M}",
        "end": f"{end:%H:%M}",
    }


@transaction.atomic
def room_book(
    *,
    actor: Any,
    room: Room,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    organiser: str = "",
    attendees: int = 0,
) -> RoomBooking:
    """Book a room for a time slot. An overlapping booked slot refuses it (409)."""
    room = Room.objects.select_for_update().select_related("centre").get(pk=room.pk)
    system_or(actor, lambda: policies.can_book_room(actor, room.area_path))
    _check_booking(room, starts_at, ends_at, attendees)
    clash = (
        room.bookings.filter(
            status=BookingStatus.BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise Conflict(_clash_message(clash))
    booking = RoomBooking(
        room=room,
        area_path=room.area_path,
        title=title.strip(),
        organiser=organiser.strip(),
        attendees=attendees,
        starts_at=starts_at,
        ends_at=ends_at,
        booked_by=user_or_none(actor),
    )
    booking.full_clean(exclude=["room"], validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # a concurrent booking took the slot between check and insert
        raise Conflict(_("该时段刚被他人预约，请选择其他时间。")) from exc
    audit(
        actor=actor,
        target=booking,
        event="room.book",
        created=True,
        room=room.pk,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: RoomBooking) -> RoomBooking:
    booking = RoomBooking.objects.select_for_update().get(pk=booking.pk)
    system_or(actor, lambda: policies.can_cancel_booking(actor, booking))
    if booking.status != BookingStatus.BOOKED:
        raise Conflict(_("该预约已取消。"))
    if booking.ends_at <= timezone.now():
        raise Conflict(_("已结束的预约不能取消。"))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    audit(actor=actor, target=booking, event="room.cancel")
    return booking


@transaction.atomic
def service_record(
    *,
    actor: Any,
    kind: str,
    served_on: date,
    content: str,
    served: str,
    served_by: str,
    people: int = 1,
    line: str = "",
    centre: ServiceCentre | None = None,
    station: Station | None = None,
) -> ServiceRecord:
    """Record a service given at a centre or at a grid station, of a kind the place offers."""
    if (centre is None) == (station is None):
        raise ValidationError({"centre": _("请选择服务中心或网格服务站其中之一。")})
    place: Any = centre or station
    system_or(actor, lambda: policies.can_record_service(actor, place.area_path))
    errors: dict[str, str] = {}
    if kind not in ServiceKind.values:
        errors["kind"] = _("请选择七类社区服务之一。")
    elif kind not in place.services:
        errors["kind"] = _("“%(place)s”未开设%(kind)s。") % {
            "place": place.name,
            "kind": ServiceKind(kind).label,
        }
    if line and line not in ServiceLine.values:
        errors["line"] = _("服务板块无效。")
    if served_on > today():
        errors["served_on"] = _("服务日期不能晚于今天。")
    if people < 1:
        errors["people"] = _("服务人次须至少为 1。")
    if errors:
        raise ValidationError(errors)
    record = ServiceRecord(
        centre=centre,
        station=station,
        area_path=place.area_path,
        kind=kind,
        line=line,
        served_on=served_on,
        content=content.strip(),
        served=served.strip(),
        people=people,
        served_by=served_by.strip(),
        recorded_by=user_or_none(actor),
    )
    record.full_clean(exclude=["centre", "station"])
    record.save()
    audit(actor=actor, target=record, event="service.record", created=True, kind=kind)
    return record


@transaction.atomic
def checklist_check(
    *,
    actor: Any,
    centre: ServiceCentre,
    results: Mapping[int, tuple[bool, str]],
    checked_on: date | None = None,
) -> list[ChecklistResult]:
    """Record the standardisation check of a centre: for each item id, met or not and a note.
    Items of other centre levels or inactive ones are refused; items not named keep their
    last result."""
    require(actor is None or policies.can_check_standard(actor, centre.area_path))
    checked_on = checked_on or today()
    if checked_on > today():
        raise ValidationError({"checked_on": _("检查日期不能晚于今天。")})
    items = {
        item.pk: item
        for item in ChecklistItem.objects.filter(is_active=True, levels__contains=[centre.level])
    }
    unknown = set(results) - set(items)
    if unknown:
        raise ValidationError(_("检查项不适用于该中心。"))
    existing = {row.item_id: row for row in centre.checklist.select_for_update()}
    rows = []
    for item_id, (met, note) in results.items():
        row = existing.get(item_id) or ChecklistResult(
            centre=centre, item=items[item_id], area_path=centre.area_path
        )
        row.met, row.note = bool(met), note.strip()[:200]
        row.checked_on, row.checked_by = checked_on, user_or_none(actor)
        row.save()
        rows.append(row)
    audit(
        actor=actor,
        target=centre,
        event="centre.checklist",
        items=len(rows),
        met=sum(1 for row in rows if row.met),
    )
    return rows

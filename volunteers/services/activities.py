"""Volunteer activities: publishing, sign-up (by staff, or by the volunteer on their phone
through the activity's link), check-in and check-out inside the activity's time, hours the
organiser approves (never more than the activity lasts), which add to the volunteer's total
and earn points once; photos, residents served, and a talk's audience."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.photos import check_photos
from common.errors import Conflict
from governance.models import Area, Department, Resident, VulnerableTag
from grids.models import Station

from .. import policies
from ..models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    ActivityState,
    Attendance,
    AttendanceState,
    SignupChannel,
    Volunteer,
    VolunteerTeam,
)
from .base import audit, author, community_of, require, trusted
from .points import points_award_attendance

#: Check-in opens this long before the start; check-out closes this long after the end.
EARLY = timedelta(minutes=30)
LATE = timedelta(hours=2)


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    community: Area,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    team: VolunteerTeam | None = None,
    organiser_unit: Department | None = None,
    station: Station | None = None,
    programme: str = "",
    capacity: int = 20,
    target_tags: Sequence[str] = (),
    description: str = "",
) -> Activity:
    """An activity of the community, organised by one of its teams (or a unit), at a place,
    a red station or a service centre, for target groups of residents."""
    community_of(community)
    require(trusted(actor) or policies.can_run_service(actor, community.path))
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写活动名称。")
    if kind not in ActivityKind.values:
        errors["kind"] = _("活动类型无效。")
    if not starts_at or not ends_at or ends_at <= starts_at:
        errors["ends_at"] = _("结束时间须晚于开始时间。")
    elif ends_at - starts_at > timedelta(hours=24):
        errors["ends_at"] = _("一次活动不超过 24 小时。")
    if team is not None and team.area_path != community.path:
        errors["team"] = _("组织队伍须是%(c)s的队伍。") % {"c": community.name}
    if station is not None and not station.area_path.startswith(community.path):
        errors["station"] = _("红色驿站须在%(c)s。") % {"c": community.name}
    if kind == ActivityKind.STATION and station is None:
        errors["station"] = _("党员志愿服务须选择所在的红色驿站。")
    if not 1 <= (capacity or 0) <= 1000:
        errors["capacity"] = _("招募人数须为 1 至 1000。")
    bad = [t for t in target_tags if t not in VulnerableTag.values]
    if bad:
        errors["target_tags"] = _("服务对象无效。")
    place = (place or "").strip() or (station.name if station else "")
    if not place:
        errors["place"] = _("请填写活动地点。")
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        community=community, area_path=community.path, title=title[:120], kind=kind,
        programme=(programme or "").strip()[:60], team=team, organiser_unit=organiser_unit,
        station=station, grid_id=station.grid_id if station else (team.grid_id if team else None),
        place=place[:200], starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        target_tags=list(dict.fromkeys(target_tags)), description=(description or "").strip(),
        created_by=author(actor),
    )  # fmt: skip
    audit(actor, activity, "activity.create", created=True)
    return activity


def _lock_activity(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def attendance_signup(
    *, actor: Any, activity: Activity, volunteer: Volunteer, by_volunteer: bool = False,
    channel: str = SignupChannel.STAFF,
) -> Attendance:  # fmt: skip
    """Sign a volunteer up: by the organiser, or by the volunteer on their phone
    (``by_volunteer``: the view checked their link). Refused when the activity is full, over,
    cancelled, of another community, or when they are signed up already."""
    locked = _lock_activity(activity)
    if not by_volunteer:
        require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    else:
        channel = SignupChannel.PHONE
    if locked.state != ActivityState.PUBLISHED:
        raise Conflict(_("活动%(s)s，不能报名。") % {"s": locked.get_state_display()})
    if channel != SignupChannel.IMPORT and locked.ends_at <= timezone.now():
        raise Conflict(_("活动已结束，不能报名。"))
    if volunteer.area_path != locked.area_path:
        raise ValidationError({"volunteer": _("只能报名本社区的活动。")})
    if Attendance.objects.filter(activity=locked, volunteer=volunteer).exists():
        raise ValidationError({"volunteer": _("%(n)s已报名该活动。") % {"n": volunteer.name}})
    if Attendance.objects.filter(activity=locked).count() >= locked.capacity:
        raise Conflict(_("报名人数已满（%(n)s 人）。") % {"n": locked.capacity})
    attendance = Attendance(
        activity=locked, volunteer=volunteer, area_path=locked.area_path, channel=channel,
        signed_up_at=timezone.now(),
    )  # fmt: skip
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        raise ValidationError(
            {"volunteer": _("%(n)s已报名该活动。") % {"n": volunteer.name}}
        ) from None
    audit(actor, attendance, "attendance.signup", created=True, channel=channel)
    return attendance


def _lock_attendance(attendance: Attendance) -> Attendance:
    return (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("activity", "volunteer")
        .get(pk=attendance.pk)
    )


def _within(activity: Activity, moment: datetime, field: str, late: timedelta = LATE) -> None:
    if not activity.starts_at - EARLY <= moment <= activity.ends_at + late:
        raise ValidationError(
            {field: _("时间须在活动时间（%(a)s 至 %(b)s）内。")
             % {"a": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                "b": timezone.localtime(activity.ends_at).strftime("%Y-%m-%d %H:%M")}}
        )  # fmt: skip


@transaction.atomic
def attendance_check_in(
    *, actor: Any, attendance: Attendance, at: datetime | None = None, by_volunteer: bool = False
) -> Attendance:
    """签到: from half an hour before the start until the end."""
    locked = _lock_attendance(attendance)
    if not by_volunteer:
        require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    if locked.state != AttendanceState.SIGNED_UP:
        raise Conflict(_("当前状态为“%(s)s”，不能签到。") % {"s": locked.get_state_display()})
    at = at or timezone.now()
    _within(locked.activity, at, "checked_in_at", late=timedelta(0))
    locked.state = AttendanceState.CHECKED_IN
    locked.checked_in_at = at
    locked.save(update_fields=["state", "checked_in_at"])
    audit(actor, locked, "attendance.check_in", by_volunteer=by_volunteer)
    return locked


@transaction.atomic
def attendance_check_out(
    *, actor: Any, attendance: Attendance, at: datetime | None = None, by_volunteer: bool = False
) -> Attendance:
    """签退: after check-in, until two hours after the end."""
    locked = _lock_attendance(attendance)
    if not by_volunteer:
        require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    if locked.state != AttendanceState.CHECKED_IN:
        raise Conflict(_("当前状态为“%(s)s”，不能签退。") % {"s": locked.get_state_display()})
    at = at or timezone.now()
    _within(locked.activity, at, "checked_out_at")
    if locked.checked_in_at and at <= locked.checked_in_at:
        raise ValidationError({"checked_out_at": _("签退时间须晚于签到时间。")})
    locked.state = AttendanceState.CHECKED_OUT
    locked.checked_out_at = at
    locked.save(update_fields=["state", "checked_out_at"])
    audit(actor, locked, "attendance.check_out", by_volunteer=by_volunteer)
    return locked


def served_hours(attendance: Attendance) -> Decimal:
    """The hours between check-in and check-out inside the activity, to the half hour."""
    activity = attendance.activity
    if not attendance.checked_in_at or not attendance.checked_out_at:
        return Decimal(str(activity.length_hours))
    start = max(attendance.checked_in_at, activity.starts_at)
    end = min(attendance.checked_out_at, activity.ends_at)
    halves = max(Decimal(0), Decimal((end - start).total_seconds()) / Decimal(1800))
    return halves.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


@transaction.atomic
def attendance_approve(
    *, actor: Any, attendance: Attendance, hours: Decimal | None = None
) -> Attendance:
    """The organiser approves the hours (by default those between check-in and check-out):
    more than zero and at most the activity's length. They add to the volunteer's total and
    earn points once; a second approval is refused."""
    locked = _lock_attendance(attendance)
    require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    if locked.state == AttendanceState.APPROVED:
        raise Conflict(_("该签到记录的时长已确认，不能重复确认。"))
    if locked.state == AttendanceState.ABSENT:
        raise Conflict(_("该志愿者已登记为缺席。"))
    if locked.activity.starts_at > timezone.now():
        raise ValidationError({"hours": _("活动尚未开始，不能确认时长。")})
    length = Decimal(str(locked.activity.length_hours))
    hours = served_hours(locked) if hours is None else Decimal(hours)
    if not Decimal(0) < hours <= length:
        raise ValidationError(
            {"hours": _("服务时长须大于 0 且不超过活动时长 %(h)s 小时。") % {"h": length}}
        )
    locked.state = AttendanceState.APPROVED
    locked.hours = hours.quantize(Decimal("0.1"))
    locked.approved_at = timezone.now()
    locked.approved_by = author(actor)
    locked.save(update_fields=["state", "hours", "approved_at", "approved_by"])
    Volunteer.objects.filter(pk=locked.volunteer_id).update(hours=F("hours") + locked.hours)
    audit(actor, locked, "attendance.approve", hours=str(locked.hours))
    points_award_attendance(actor=actor, attendance=locked)
    return locked


@transaction.atomic
def attendance_absent(*, actor: Any, attendance: Attendance) -> Attendance:
    locked = _lock_attendance(attendance)
    require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    if locked.state in (AttendanceState.APPROVED, AttendanceState.ABSENT):
        raise Conflict(_("当前状态为“%(s)s”，不能改为缺席。") % {"s": locked.get_state_display()})
    locked.state = AttendanceState.ABSENT
    locked.save(update_fields=["state"])
    audit(actor, locked, "attendance.absent")
    return locked


@transaction.atomic
def activity_record_served(
    *, actor: Any, activity: Activity, residents: Sequence[Resident] = (),
    attendance_count: int | None = None,
) -> Activity:  # fmt: skip
    """Residents served (named from the ledger of the community) and, for a talk, the
    residents who attended."""
    locked = _lock_activity(activity)
    require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    if any(not r.area_path.startswith(locked.area_path) for r in residents):
        raise ValidationError({"residents": _("服务居民须是本社区居民。")})
    if residents:
        locked.residents_served.add(*residents)
    locked.served_count = locked.residents_served.count()
    fields = ["served_count"]
    if attendance_count is not None:
        if attendance_count < 0 or attendance_count > 100_000:
            raise ValidationError({"attendance_count": _("听众人次无效。")})
        locked.attendance_count = attendance_count
        fields.append("attendance_count")
    locked.save(update_fields=fields)
    audit(actor, locked, "activity.served", served=locked.served_count)
    return locked


@transaction.atomic
def activity_close(*, actor: Any, activity: Activity, cancel: bool = False) -> Activity:
    """结项 after the activity (no more sign-ups), or cancel it before it starts."""
    locked = _lock_activity(activity)
    require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    if locked.state != ActivityState.PUBLISHED:
        raise Conflict(_("活动%(s)s。") % {"s": locked.get_state_display()})
    if (
        cancel
        and Attendance.objects.filter(activity=locked, state=AttendanceState.APPROVED).exists()
    ):
        raise Conflict(_("已有确认的服务时长，不能取消活动。"))
    locked.state = ActivityState.CANCELLED if cancel else ActivityState.CLOSED
    locked.save(update_fields=["state"])
    audit(actor, locked, "activity.cancel" if cancel else "activity.close")
    return locked


@transaction.atomic
def activity_photo_add(*, actor: Any, activity: Activity, upload: UploadedFile) -> ActivityPhoto:
    locked = _lock_activity(activity)
    require(trusted(actor) or policies.can_run_service(actor, locked.area_path))
    try:
        (photo,) = check_photos([upload])
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None
    row = ActivityPhoto(
        activity=locked, area_path=locked.area_path, content_type=photo.content_type,
        uploaded_by=author(actor),
    )  # fmt: skip
    row.file.save(photo.image.name or "photo", photo.image, save=False)
    row.thumbnail.save(photo.thumbnail.name or "thumb.jpg", photo.thumbnail, save=False)
    row.save()
    audit(actor, row, "activity.photo", created=True)
    return row

"""Council meetings (1+3+N 联席会议, 恳谈会, 协调会), their agenda and their resolutions.

A resolution follows ``property_mgmt.workflow``: each transition locks the row, checks the
actor against ``policies.can_take_resolution`` (403) and the state against the table (409,
``common.errors.Conflict``), saves, appends a timeline row and an audit row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.calendar import YELLOW_SHARE, WorkCalendar
from cases.models import Case, CaseSource, Category
from cases.photos import check_photos
from cases.services import case_report
from common.errors import Conflict
from governance.models import Area, AreaLevel, Department, PartyOrg, PropertyCompany
from governance.units import Unit

from .. import policies
from ..models import (
    AgendaItem,
    AttendeeSide,
    CouncilMeeting,
    MeetingAttendee,
    MeetingKind,
    MeetingPhoto,
    OwnersCommittee,
    Resolution,
    ResolutionEvent,
    ResolutionState,
)
from ..workflow import TRANSITIONS, Action
from ._common import audit, system_or

MAX_RESOLUTION_DAYS = 250


@dataclass(frozen=True)
class AttendeeFields:
    side: str
    name: str
    organisation: str = ""
    company: PropertyCompany | None = None
    department: Department | None = None
    committee: OwnersCommittee | None = None


def _clean_attendee(community: Area, a: AttendeeFields) -> MeetingAttendee:
    if a.side not in AttendeeSide.values:
        raise ValidationError({"attendees": _("参会方“%(side)s”无效。") % {"side": a.side}})
    name = (a.name or "").strip()
    if not name:
        raise ValidationError({"attendees": _("请填写参会人员姓名。")})
    if a.company is not None and a.side != AttendeeSide.COMPANY:
        raise ValidationError({"attendees": _("只有物业企业一方填写物业企业。")})
    if a.department is not None and a.side != AttendeeSide.DEPARTMENT:
        raise ValidationError({"attendees": _("只有区直部门一方填写部门。")})
    if a.committee is not None and (
        a.side != AttendeeSide.OWNERS_COMMITTEE
        or not a.committee.area_path.startswith(community.path)
    ):
        raise ValidationError({"attendees": _("请选择本社区的业主委员会。")})
    return MeetingAttendee(
        side=a.side,
        name=name[:50],
        organisation=(a.organisation or "").strip()[:100],
        company=a.company,
        department=a.department,
        committee=a.committee,
    )


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    community: Area,
    kind: str,
    title: str,
    held_at: datetime,
    convened_by: PartyOrg,
    place: str = "",
    estates: Sequence[Area] = (),
    minutes: str = "",
    attendees: Sequence[AttendeeFields] = (),
    photos: Sequence[UploadedFile] = (),
) -> CouncilMeeting:
    """Record a meeting convened by the community party organisation, with who came from
    which side."""
    system_or(actor, policies.can_keep(actor, community.path))
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("会议须由社区召集。")})
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("会议类型无效。")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写会议主题。")})
    if held_at is None:
        raise ValidationError({"held_at": _("请填写召开时间。")})
    if held_at > timezone.now() + timedelta(days=365):
        raise ValidationError({"held_at": _("召开时间不能晚于一年以后。")})
    if convened_by.area_id != community.pk:
        raise ValidationError({"convened_by": _("召集党组织须为本社区党组织。")})
    for estate in estates:
        if estate.level != AreaLevel.RESIDENTIAL_AREA or not estate.path.startswith(community.path):
            raise ValidationError({"estates": _("涉及小区须为本社区的小区。")})
    rows = [_clean_attendee(community, a) for a in attendees]
    checked = check_photos(list(photos))
    meeting = CouncilMeeting.objects.create(
        community=community,
        area_path=community.path,
        kind=kind,
        title=title[:120],
        held_at=held_at,
        place=(place or "").strip()[:120],
        convened_by=convened_by,
        minutes=(minutes or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if estates:
        meeting.estates.set(estates)
    for row in rows:
        row.meeting = meeting
    MeetingAttendee.objects.bulk_create(rows)
    for photo in checked:
        MeetingPhoto.objects.create(
            meeting=meeting,
            image=photo.image,
            thumbnail=photo.thumbnail,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
    audit(actor, "meeting.create", meeting, created=True, attendees=len(rows))
    return meeting


@transaction.atomic
def meeting_update_minutes(*, actor: Any, meeting: CouncilMeeting, minutes: str) -> CouncilMeeting:
    system_or(actor, policies.can_keep(actor, meeting.area_path))
    meeting.minutes = (minutes or "").strip()
    meeting.save(update_fields=["minutes"])
    audit(actor, "meeting.minutes", meeting)
    return meeting


@transaction.atomic
def attendee_add(
    *, actor: Any, meeting: CouncilMeeting, attendee: AttendeeFields
) -> MeetingAttendee:
    system_or(actor, policies.can_keep(actor, meeting.area_path))
    row = _clean_attendee(meeting.community, attendee)
    row.meeting = meeting
    row.save()
    audit(actor, "meeting.attendee_add", meeting, created=True)
    return row


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    meeting: CouncilMeeting,
    title: str,
    description: str = "",
    case: Case | None = None,
    open_case_in: Area | None = None,
    category: Category | None = None,
    outcome: str = "",
) -> AgendaItem:
    """An agenda item; it may link a case the actor can see, or open a new one (reported
    through the case service, in ``open_case_in``)."""
    system_or(actor, policies.can_keep(actor, meeting.area_path))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写议题。")})
    if case is not None and open_case_in is not None:
        raise ValidationError({"case": _("议题只能关联已有事件或新立事件，不能同时。")})
    if (
        case is not None
        and actor is not None
        and not Case.objects.visible_to(actor).filter(pk=case.pk).exists()
    ):
        raise ValidationError({"case": _("未找到该事件。")})
    opened = False
    if open_case_in is not None:
        if not open_case_in.path.startswith(meeting.area_path):
            raise ValidationError({"open_case_in": _("新立事件须在本社区范围内。")})
        if category is None:
            raise ValidationError({"category": _("新立事件须选择事件类别。")})
        case = case_report(
            actor=actor,
            category=category,
            area=open_case_in,
            title=title[:100],
            description=(description or title).strip(),
            source=CaseSource.RESIDENT,
            address=_("%(meeting)s议定事项") % {"meeting": meeting.get_kind_display()},
        )
        opened = True
    position = (
        meeting.agenda.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=title[:120],
        description=(description or "").strip(),
        case=case,
        opened_case=opened,
        outcome=(outcome or "").strip()[:500],
    )
    audit(actor, "meeting.agenda_add", meeting, created=True, case=case.pk if case else None)
    return item


def resolution_deadline(held_at: datetime, due_on: date) -> tuple[date, datetime, datetime]:
    """(due day, yellow mark, deadline) of a resolution due on ``due_on``: the deadline is the
    end of that day, moved on to the next working day when it is a holiday or a weekend; the
    yellow mark sits at 70 % of the working days from the meeting to it."""
    held_day = timezone.localtime(held_at).date()
    if due_on <= held_day:
        raise ValidationError({"due_on": _("完成时限须晚于会议日期。")})
    calendar = WorkCalendar.load(held_day, days=(due_on - held_day).days + 30)
    day = due_on
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    start_day = held_day + timedelta(days=1)
    days = calendar.working_days_between(start_day, day + timedelta(days=1))
    start = datetime.combine(start_day, time.min, tzinfo=timezone.get_current_timezone())
    warn_at = calendar.add_working_days(start, Decimal(days) * YELLOW_SHARE)
    due_at = calendar.add_working_days(start, Decimal(days))
    return day, warn_at, due_at


def due_on_after(held_at: datetime, working_days: int) -> date:
    """The day ``working_days`` working days after the meeting."""
    if not 1 <= working_days <= MAX_RESOLUTION_DAYS:
        raise ValidationError(
            {"due_days": _("时限须在 1 到 %(n)d 个工作日之间。") % {"n": MAX_RESOLUTION_DAYS}}
        )
    held_day = timezone.localtime(held_at).date()
    calendar = WorkCalendar.load(held_day, days=working_days * 2 + 30)
    start = datetime.combine(
        held_day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
    end = calendar.add_working_days(start, Decimal(working_days))
    return (timezone.localtime(end) - timedelta(microseconds=1)).date()


@transaction.atomic
def resolution_add(
    *,
    actor: Any,
    meeting: CouncilMeeting,
    text: str,
    unit: Unit,
    due_on: date | None = None,
    due_days: int | None = None,
    agenda_item: AgendaItem | None = None,
) -> Resolution:
    """A decision with its owner unit and due date (a day, or N working days after the
    meeting), counted on the work calendar."""
    system_or(actor, policies.can_keep(actor, meeting.area_path))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写决议事项。")})
    if unit.area is not None and not (
        meeting.area_path.startswith(unit.area.path) or unit.area.path.startswith(meeting.area_path)
    ):
        raise ValidationError({"unit": _("责任街道/社区须为本社区或其所属街道。")})
    if due_on is None and due_days is None:
        raise ValidationError({"due_on": _("请填写完成时限。")})
    if due_on is None:
        assert due_days is not None
        due_on = due_on_after(meeting.held_at, int(due_days))
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("议题不属于本次会议。")})
    day, warn_at, due_at = resolution_deadline(meeting.held_at, due_on)
    resolution = Resolution.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        area_path=meeting.area_path,
        text=text[:500],
        due_on=day,
        warn_at=warn_at,
        due_at=due_at,
        **unit.fields(),
    )
    ResolutionEvent.objects.create(
        resolution=resolution,
        action=Action.CREATE,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state="",
        to_state=resolution.state,
        note=str(unit.target)[:500],
    )
    audit(actor, "resolution.create", resolution, created=True, unit=unit.token)
    return resolution


@transaction.atomic
def resolution_transition(
    *, actor: Any, resolution: Resolution | int, action: str, note: str = ""
) -> Resolution:
    """One action of the resolution workflow (start, note, complete, cancel, reopen)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError({"action": _("未知的操作。")})
    pk = resolution if isinstance(resolution, int) else resolution.pk
    locked = Resolution.objects.select_for_update().get(pk=pk)
    if actor is not None and not policies.can_take_resolution(actor, action, locked):
        raise PermissionDenied(_("您无权对该决议执行“%(a)s”。") % {"a": transition.label})
    if locked.state not in transition.sources:
        raise Conflict(
            _("决议当前为“%(state)s”，不能“%(action)s”，请刷新后查看。")
            % {"state": locked.get_state_display(), "action": transition.label}
        )
    note = (note or "").strip()
    if transition.needs_note and not note:
        raise ValidationError({"note": _("请填写说明。")})
    before = locked.state
    fields = ["updated_at"]
    if transition.target is not None:
        locked.state = transition.target
        fields.append("state")
    if action == Action.COMPLETE:
        locked.done_at = timezone.now()
        locked.result = note[:500]
        fields += ["done_at", "result"]
    elif action == Action.REOPEN:
        locked.done_at = None
        fields.append("done_at")
    locked.save(update_fields=fields)
    ResolutionEvent.objects.create(
        resolution=locked,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state=before,
        to_state=locked.state,
        note=note[:500],
    )
    audit(actor, f"resolution.{action}", locked, before=before, after=locked.state)
    return locked


def resolution_is_late(resolution: Resolution, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if resolution.state == ResolutionState.DONE:
        return bool(resolution.done_at and resolution.done_at > resolution.due_at)
    return resolution.is_open and now > resolution.due_at

"""Every write of the cases app: one service per transition of ``cases.workflow``.

Each transition locks the case row (``select_for_update``), checks the actor's role against
``cases.policies`` (PermissionDenied: 403) and the current state against the transition table
(:class:`TransitionNotAllowed`: 409), sets state, tier and deadline, saves the changed fields,
appends a timeline row, writes its audit row in the same transaction and schedules side effects
(SMS / e-mail) with ``transaction.on_commit``. Of two concurrent requests the second waits for
the lock, then finds the state changed and is refused: no update is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction, RoleGrant, User
from accounts.roles import Role
from accounts.services import audit_record
from governance.models import Area, AreaLevel
from governance.units import Unit

from . import policies
from .calendar import deadlines
from .models import (
    SUPERVISION_RANK,
    AssignmentRole,
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseEvent,
    CaseSource,
    CaseState,
    Category,
    CategoryLimit,
    Notification,
    NotificationKind,
    RoutingRule,
    Satisfaction,
    Step,
    Supervision,
    SupervisionLevel,
)
from .photos import CheckedPhoto, check_photos
from .workflow import ACTION_LABELS, TRANSITIONS, Action


class TransitionNotAllowed(Exception):
    """A transition the current state does not allow, or one that lost a race (409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Limits used when a category and its parent carry none for a tier (working days).
DEFAULT_LIMITS: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "grid": (Decimal(1), Decimal(1), Decimal(1)),
    "community": (Decimal(1), Decimal(3), Decimal(2)),
    "street": (Decimal(1), Decimal(5), Decimal(2)),
    "district": (Decimal(2), Decimal(10), Decimal(3)),
}
CASE_AREA_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.RESIDENTIAL_AREA, AreaLevel.BUILDING)
MAX_EXTENSION_DAYS = 30


# --- Deadlines --------------------------------------------------------------------------------


def limit_days(category: Category, tier: str, step: str) -> Decimal:
    """The category's limit for ``step`` at ``tier``; the parent's, then the defaults."""
    limits = {
        limit.category_id: limit
        for limit in CategoryLimit.objects.filter(
            category_id__in=[c for c in (category.pk, category.parent_id) if c], tier=tier
        )
    }
    limit = limits.get(category.pk) or limits.get(category.parent_id or 0)
    if limit is not None:
        return Decimal(getattr(limit, f"{step}_days"))
    accept, handle, verify = DEFAULT_LIMITS[tier]
    return {"accept": accept, "handle": handle, "verify": verify}[step]


def _start_step(case: Case, step: str, now: datetime) -> list[str]:
    days = limit_days(case.category, case.tier, step)
    case.step = step
    case.step_started_at = now
    case.step_days = days
    case.warn_at, case.due_at = deadlines(now, days)
    case.alert = ""
    case.extension_requested_days = None
    return ["step", "step_started_at", "step_days", "warn_at", "due_at", "alert",
            "extension_requested_days"]  # fmt: skip


def _stop_step(case: Case) -> list[str]:
    case.step = Step.NONE
    case.step_started_at = case.warn_at = case.due_at = None
    case.step_days = None
    case.alert = ""
    case.extension_requested_days = None
    return ["step", "step_started_at", "step_days", "warn_at", "due_at", "alert",
            "extension_requested_days"]  # fmt: skip


# --- Recipients and notifications -------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    step = Area.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _desk_users(case: Case, role: str | None = None) -> set[int]:
    wanted = role or policies.DESK_ROLE[case.tier]
    return set(
        RoleGrant.objects.filter(
            role=wanted, area__path__in=_ancestor_paths(case.area_path)
        ).values_list("user_id", flat=True)
    )


def _unit_users(assignments: Iterable[CaseAssignment]) -> set[int]:
    condition = Q(pk__in=[])
    people: set[int] = set()
    for a in assignments:
        if a.person_id:
            people.add(a.person_id)
        if a.department_id:
            condition |= Q(role=Role.DEPARTMENT_LIAISON, department_id=a.department_id)
        elif a.company_id:
            condition |= Q(role=Role.PROPERTY_STAFF, company_id=a.company_id)
        else:
            condition |= Q(role__in=policies.UNIT_AREA_ROLES, area_id=a.unit_area_id)
    return people | set(RoleGrant.objects.filter(condition).values_list("user_id", flat=True))


def handler_users(case: Case) -> set[int]:
    """Whoever the case waits for now: the lead unit while it is dispatched, else the desk."""
    if case.state == CaseState.IN_PROGRESS:
        lead = CaseAssignment.objects.filter(case=case, role="lead", ended_at__isnull=True)
        users = _unit_users(lead)
        if users:
            return users
    return _desk_users(case)


def above_users(case: Case) -> set[int]:
    return _desk_users(case, policies.ABOVE_ROLE[case.tier])


def notify(*, case: Case, kind: str, users: Iterable[int], key: str) -> None:
    """In-app notifications, once per (recipient, key); the SMS / e-mail goes out after commit."""
    text = _notification_text(kind, case)
    rows = [Notification(recipient_id=u, kind=kind, case=case, text=text, key=key) for u in users]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    from .tasks import send_case_messages_task

    transaction.on_commit(lambda: send_case_messages_task.delay(case.pk, key))


def _notification_text(kind: str, case: Case) -> str:
    labels: dict[str, str] = {
        NotificationKind.ASSIGNED: _("新事件待办理"),
        NotificationKind.SENT_BACK: _("事件被回退"),
        NotificationKind.WARNING: _("事件即将超期"),
        NotificationKind.OVERDUE: _("事件已超期"),
        NotificationKind.SUPERVISED: _("事件被督办"),
        NotificationKind.ESCALATED: _("下级呼叫"),
        NotificationKind.EXTENSION: _("延期申请待审批"),
        NotificationKind.REOPENED: _("事件重新办理"),
    }
    return f"{labels[kind]}：{case.number} {case.title}"[:300]


def case_messages_send(*, case_id: int, key: str) -> int:
    """Send the SMS / e-mail of the notifications of one event. Each notification is claimed
    with a conditional UPDATE, so a task run twice (or on two workers) sends once."""
    from .messaging import get_channel, render_message

    case = Case.objects.get(pk=case_id)
    channel = get_channel()
    sent = 0
    for notification in Notification.objects.filter(case_id=case_id, key=key, sent_at=None):
        claimed = Notification.objects.filter(pk=notification.pk, sent_at=None).update(
            sent_at=timezone.now()
        )
        if not claimed:
            continue
        recipient = User.objects.get(pk=notification.recipient_id)
        channel.send(
            recipient=recipient,
            event=notification.kind,
            text=render_message(notification.kind, case),
            case_number=case.number,
        )
        sent += 1
    return sent


@transaction.atomic
def notification_mark_read(*, actor: Any, ids: Sequence[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when ``ids`` is None)."""
    unread = Notification.objects.filter(recipient=actor, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


# --- The transition frame ---------------------------------------------------------------------


def _lock(case: Case | int) -> Case:
    pk = case if isinstance(case, int) else case.pk
    locked: Case = (
        Case.objects.select_for_update(of=("self",)).select_related("category", "area").get(pk=pk)
    )
    return locked


def _begin(case: Case | int, actor: Any, action: str) -> Case:
    """Lock the row, then check the role (403) and the state (409)."""
    locked = _lock(case)
    if not policies.can_take(actor, action, locked):
        raise PermissionDenied(
            _("您无权对该事件执行“%(action)s”。") % {"action": ACTION_LABELS[action]}
        )
    transition = TRANSITIONS[action]
    if locked.state not in transition.sources:
        raise TransitionNotAllowed(
            _("事件当前为“%(state)s”，不能“%(action)s”，请刷新后查看。")
            % {"state": locked.get_state_display(), "action": transition.label}
        )
    return locked


def _finish(
    case: Case,
    *,
    actor: Any,
    action: str,
    from_state: str,
    fields: Iterable[str],
    note: str = "",
    detail: dict[str, Any] | None = None,
    photos: Sequence[CheckedPhoto] = (),
) -> CaseEvent:
    case.save(update_fields=sorted({*fields, "updated_at"}))
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_state=from_state,
        to_state=case.state,
        tier=case.tier,
        note=note,
        detail=detail or {},
    )
    _store_photos(case=case, event=event, photos=photos, actor=actor)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        username="system",
        target=case,
        detail={"transition": action, "from": from_state, "to": case.state},
    )
    return event


def _store_photos(
    *, case: Case, event: CaseEvent, photos: Sequence[CheckedPhoto], actor: Any
) -> None:
    for photo in photos:
        CaseAttachment.objects.create(
            case=case,
            event=event,
            image=photo.image,
            thumbnail=photo.thumbnail,
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def _required(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    return note


def _end_assignments(case: Case, now: datetime) -> int:
    return CaseAssignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)


# --- Report -----------------------------------------------------------------------------------


def case_locate(area: Area) -> dict[str, Any]:
    """The denormalised location of a case in ``area``: path, street and community."""
    if area.level not in CASE_AREA_LEVELS:
        raise ValidationError({"area": _("事件须定位到社区、小区或楼栋。")})
    step = Area.steplen
    ancestors = {
        a.level: a
        for a in Area.objects.filter(path__in=[area.path[: 2 * step], area.path[: 3 * step]])
    }
    if AreaLevel.STREET not in ancestors or AreaLevel.COMMUNITY not in ancestors:
        raise ValidationError({"area": _("该区域不在街道、社区之下。")})
    return {
        "area": area,
        "area_path": area.path,
        "street": ancestors[AreaLevel.STREET],
        "community": ancestors[AreaLevel.COMMUNITY],
    }


@transaction.atomic
def case_report(
    *,
    actor: Any,
    category: Category,
    area: Area,
    title: str,
    description: str,
    address: str = "",
    longitude: Decimal | None = None,
    latitude: Decimal | None = None,
    source: str = CaseSource.GRID,
    contact_name: str = "",
    contact_phone: str = "",
    photos: Sequence[UploadedFile] = (),
    urgent: bool = False,
) -> Case:
    """网格发现: a grid worker (or community / street staff) reports a problem in their area.
    The case starts at the category's tier with the accept deadline running."""
    checked = check_photos(list(photos))
    location = case_locate(area)
    if not policies.can_report(actor, area.path):
        raise PermissionDenied(_("只能上报本人负责区域内的事件。"))
    if category.parent_id is None or not category.is_active:
        raise ValidationError({"category": _("请选择一个启用的二级类别。")})
    title, description = title.strip(), description.strip()
    if not title:
        raise ValidationError({"title": _("请填写标题。")})
    if not description:
        raise ValidationError({"description": _("请描述问题。")})
    if source not in CaseSource.values:
        raise ValidationError({"source": _("来源无效。")})
    now = timezone.now()
    case = Case(
        title=title,
        description=description,
        category=category,
        source=source,
        state=CaseState.REPORTED,
        tier=category.start_tier,
        address=address.strip(),
        longitude=longitude,
        latitude=latitude,
        reporter=actor if getattr(actor, "is_authenticated", False) else None,
        contact_name=contact_name.strip(),
        contact_phone="".join(contact_phone.split()),
        is_urgent=urgent,
        **location,
    )
    _start_step(case, Step.ACCEPT, now)
    case.full_clean(exclude=["number", "street", "community", "area_path"])
    case.save()
    case.number = f"SJ{timezone.localtime(now):%Y%m%d}{case.pk:07d}"
    case.save(update_fields=["number"])
    event = CaseEvent.objects.create(
        case=case,
        action=Action.REPORT,
        actor=case.reporter,
        from_state="",
        to_state=case.state,
        tier=case.tier,
        note=description[:500],
        detail={"source": source},
    )
    _store_photos(case=case, event=event, photos=checked, actor=actor)
    audit_record(action=AuditAction.CREATE, actor=actor, username="system", target=case)
    notify(
        case=case,
        kind=NotificationKind.ASSIGNED,
        users=_desk_users(case) - {getattr(actor, "pk", None)},
        key=f"report:{case.pk}",
    )
    return case


@transaction.atomic
def case_update(
    *, actor: Any, case: Case, title: str | None = None, description: str | None = None,
    address: str | None = None,
) -> Case:  # fmt: skip
    """Correct the text of a case that nobody is handling yet (待受理 or 已受理)."""
    locked = _lock(case)
    if not (policies.holds_desk_for(actor, locked) or locked.reporter_id == actor.pk):
        raise PermissionDenied(_("只有上报人或受理单位可以修改事件。"))
    if locked.state not in (CaseState.REPORTED, CaseState.ACCEPTED):
        raise TransitionNotAllowed(_("事件已进入处置，不能再修改。"))
    changed: dict[str, str] = {}
    for field, value in (("title", title), ("description", description), ("address", address)):
        if value is not None:
            value = value.strip()
            if field != "address" and not value:
                raise ValidationError({field: _("不能为空。")})
            setattr(locked, field, value)
            changed[field] = value
    locked.save(update_fields=[*changed, "updated_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=locked, detail={"fields": sorted(changed)}
    )
    return locked


# --- Transitions ------------------------------------------------------------------------------


@transaction.atomic
def case_accept(*, actor: Any, case: Case | int, note: str = "") -> Case:
    """The desk takes the case on; the handling deadline starts."""
    case = _begin(case, actor, Action.ACCEPT)
    before = case.state
    case.state = CaseState.ACCEPTED
    fields = ["state", *_start_step(case, Step.HANDLE, timezone.now())]
    _finish(case, actor=actor, action=Action.ACCEPT, from_state=before, fields=fields, note=note)
    return case


@transaction.atomic
def case_reject(*, actor: Any, case: Case | int, note: str) -> Case:
    """Not a matter for the portal (duplicate reports are merged instead); a reason is kept."""
    note = _required(note, _("请填写不予受理的理由。"))
    case = _begin(case, actor, Action.REJECT)
    before = case.state
    case.state = CaseState.REJECTED
    case.closed_at = timezone.now()
    fields = ["state", "closed_at", *_stop_step(case)]
    _finish(case, actor=actor, action=Action.REJECT, from_state=before, fields=fields, note=note)
    return case


def _resolve(
    actor: Any, case: Case | int, action: str, note: str, photos: Sequence[UploadedFile]
) -> Case:
    """Solved (on the spot, or by the lead unit): on-site verification is the next step."""
    checked = check_photos(list(photos))
    case = _begin(case, actor, action)
    before = case.state
    now = timezone.now()
    case.state = CaseState.RESOLVED
    case.resolved_at = now
    fields = ["state", "resolved_at", *_start_step(case, Step.VERIFY, now)]
    _finish(
        case, actor=actor, action=action, from_state=before, fields=fields, note=note,
        photos=checked,
    )  # fmt: skip
    return case


@transaction.atomic
def case_handle(
    *, actor: Any, case: Case | int, note: str, photos: Sequence[UploadedFile] = ()
) -> Case:
    """即时办结: solved on the spot at grid level; it still goes through on-site verification."""
    note = _required(note, _("请说明处置情况。"))
    return _resolve(actor, case, Action.HANDLE, note, photos)


@transaction.atomic
def case_escalate(*, actor: Any, case: Case | int, note: str) -> Case:
    """社区呼叫: the desk calls the tier above; the case waits there for dispatch with that
    tier's deadline, and units already working on it are released."""
    note = _required(note, _("请说明呼叫上级的原因。"))
    case = _begin(case, actor, Action.ESCALATE)
    upper = policies.next_tier(case.tier)
    if upper is None:
        raise TransitionNotAllowed(_("事件已在区级处置，无法继续呼叫上级。"))
    before, before_tier = case.state, case.tier
    now = timezone.now()
    _end_assignments(case, now)
    case.state = CaseState.ACCEPTED
    case.tier = upper
    fields = ["state", "tier", *_start_step(case, Step.HANDLE, now)]
    _finish(
        case, actor=actor, action=Action.ESCALATE, from_state=before, fields=fields, note=note,
        detail={"from_tier": before_tier},
    )  # fmt: skip
    notify(
        case=case, kind=NotificationKind.ESCALATED, users=_desk_users(case),
        key=f"escalate:{case.pk}:{upper}:{now.timestamp()}",
    )  # fmt: skip
    return case


def routing_default(case: Case) -> RoutingRule | None:
    """The rule of the deepest area above the case for its category (or its parent)."""
    rules = (
        RoutingRule.objects.filter(
            category_id__in=[c for c in (case.category_id, case.category.parent_id) if c],
            area__path__in=_ancestor_paths(case.area_path),
        )
        .select_related("area", "unit_area", "department", "company")
        .order_by()
    )
    ranked = sorted(
        rules, key=lambda r: (len(r.area.path), r.category_id == case.category_id), reverse=True
    )
    return ranked[0] if ranked else None


@transaction.atomic
def case_dispatch(
    *,
    actor: Any,
    case: Case | int,
    lead: Unit | None = None,
    person: User | None = None,
    cooperating: Sequence[Unit] = (),
    note: str = "",
) -> Case:
    """The desk dispatches to one lead unit (the routing rule's unit unless staff pick another),
    optionally to a named person in it, with any cooperating units."""
    case = _begin(case, actor, Action.DISPATCH)
    if lead is None:
        rule = routing_default(case)
        if rule is None:
            raise ValidationError({"lead": _("没有适用的派单规则，请选择主办单位。")})
        lead = Unit.of(rule)
    keys = [lead.key(), *(u.key() for u in cooperating)]
    if len(set(keys)) != len(keys):
        raise ValidationError({"cooperating": _("协办单位不能重复，也不能与主办单位相同。")})
    if person is not None and not _person_in_unit(person, lead):
        raise ValidationError({"person": _("指定承办人须属于主办单位。")})
    before = case.state
    now = timezone.now()
    _end_assignments(case, now)
    created = [CaseAssignment(case=case, role=AssignmentRole.LEAD, person=person, **lead.fields())]
    created += [
        CaseAssignment(case=case, role=AssignmentRole.COOPERATING, **unit.fields())
        for unit in cooperating
    ]
    CaseAssignment.objects.bulk_create(created)
    case.state = CaseState.IN_PROGRESS
    fields = ["state"]
    if case.step != Step.HANDLE:
        fields += _start_step(case, Step.HANDLE, now)
    _finish(
        case, actor=actor, action=Action.DISPATCH, from_state=before, fields=fields, note=note,
        detail={"lead": str(lead.key()), "cooperating": [str(u.key()) for u in cooperating]},
    )  # fmt: skip
    notify(
        case=case, kind=NotificationKind.ASSIGNED, users=_unit_users(created),
        key=f"dispatch:{case.pk}:{now.timestamp()}",
    )  # fmt: skip
    return case


def _person_in_unit(person: User, unit: Unit) -> bool:
    grants = RoleGrant.objects.filter(user=person)
    if unit.department is not None:
        return grants.filter(department=unit.department).exists()
    if unit.company is not None:
        return grants.filter(company=unit.company).exists()
    return grants.filter(area=unit.area, role__in=policies.UNIT_AREA_ROLES).exists()


@transaction.atomic
def case_reply(
    *, actor: Any, case: Case | int, note: str, photos: Sequence[UploadedFile] = ()
) -> Case:
    """Each unit (lead or cooperating) gives its own reply; the state does not change."""
    note = _required(note, _("请填写办理答复。"))
    checked = check_photos(list(photos))
    case = _begin(case, actor, Action.REPLY)
    mine = policies.my_assignments(actor, case)
    now = timezone.now()
    CaseAssignment.objects.filter(pk__in=[a.pk for a in mine]).update(reply=note, replied_at=now)
    _finish(
        case, actor=actor, action=Action.REPLY, from_state=case.state, fields=[], note=note,
        detail={"units": [str(a.unit) for a in mine]}, photos=checked,
    )  # fmt: skip
    return case


@transaction.atomic
def case_send_back(*, actor: Any, case: Case | int, note: str) -> Case:
    """回退: the lead unit returns a case that is not theirs; the desk dispatches again. The
    handling deadline keeps running."""
    note = _required(note, _("请填写回退理由。"))
    case = _begin(case, actor, Action.SEND_BACK)
    before = case.state
    now = timezone.now()
    _end_assignments(case, now)
    case.state = CaseState.ACCEPTED
    case.extension_requested_days = None
    fields = ["state", "extension_requested_days"]
    _finish(case, actor=actor, action=Action.SEND_BACK, from_state=before, fields=fields, note=note)
    notify(
        case=case, kind=NotificationKind.SENT_BACK, users=_desk_users(case),
        key=f"send_back:{case.pk}:{now.timestamp()}",
    )  # fmt: skip
    return case


@transaction.atomic
def case_request_extension(*, actor: Any, case: Case | int, days: int, note: str) -> Case:
    """延期申请: the lead unit asks for more working days; the desk decides."""
    note = _required(note, _("请填写延期理由。"))
    if not 1 <= int(days) <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"days": _("延期天数须在 1 到 %(max)d 个工作日之间。") % {"max": MAX_EXTENSION_DAYS}}
        )
    case = _begin(case, actor, Action.REQUEST_EXTENSION)
    if case.extension_requested_days:
        raise TransitionNotAllowed(_("已有待审批的延期申请。"))
    case.extension_requested_days = int(days)
    _finish(
        case, actor=actor, action=Action.REQUEST_EXTENSION, from_state=case.state,
        fields=["extension_requested_days"], note=note, detail={"days": int(days)},
    )  # fmt: skip
    notify(
        case=case, kind=NotificationKind.EXTENSION, users=_desk_users(case),
        key=f"extension:{case.pk}:{timezone.now().timestamp()}",
    )  # fmt: skip
    return case


@transaction.atomic
def case_approve_extension(*, actor: Any, case: Case | int, note: str = "") -> Case:
    """Approving moves the deadline (and the yellow mark) by the days asked for."""
    case = _begin(case, actor, Action.APPROVE_EXTENSION)
    days = case.extension_requested_days
    if not days or case.step_started_at is None or case.step_days is None:
        raise TransitionNotAllowed(_("没有待审批的延期申请。"))
    total = case.step_days + days
    case.step_days = total
    case.warn_at, case.due_at = deadlines(case.step_started_at, total)
    case.alert = ""
    case.extension_requested_days = None
    _finish(
        case, actor=actor, action=Action.APPROVE_EXTENSION, from_state=case.state,
        fields=["step_days", "warn_at", "due_at", "alert", "extension_requested_days"],
        note=note, detail={"days": days},
    )  # fmt: skip
    return case


@transaction.atomic
def case_refuse_extension(*, actor: Any, case: Case | int, note: str) -> Case:
    note = _required(note, _("请填写驳回理由。"))
    case = _begin(case, actor, Action.REFUSE_EXTENSION)
    if not case.extension_requested_days:
        raise TransitionNotAllowed(_("没有待审批的延期申请。"))
    days = case.extension_requested_days
    case.extension_requested_days = None
    _finish(
        case, actor=actor, action=Action.REFUSE_EXTENSION, from_state=case.state,
        fields=["extension_requested_days"], note=note, detail={"days": days},
    )  # fmt: skip
    return case


@transaction.atomic
def case_resolve(
    *, actor: Any, case: Case | int, note: str, photos: Sequence[UploadedFile] = ()
) -> Case:
    """The lead unit reports the problem solved; on-site verification is next."""
    note = _required(note, _("请说明办理结果。"))
    return _resolve(actor, case, Action.RESOLVE, note, photos)


@transaction.atomic
def case_verify(
    *, actor: Any, case: Case | int, note: str = "", photos: Sequence[UploadedFile] = ()
) -> Case:
    """The grid worker confirms on site that the problem is gone; the resident rates next."""
    checked = check_photos(list(photos))
    case = _begin(case, actor, Action.VERIFY)
    before = case.state
    case.state = CaseState.VERIFIED
    fields = ["state", *_stop_step(case)]
    _finish(
        case, actor=actor, action=Action.VERIFY, from_state=before, fields=fields, note=note,
        photos=checked,
    )  # fmt: skip
    return case


@transaction.atomic
def case_rate(*, actor: Any, case: Case | int, satisfaction: str, note: str = "") -> Case:
    """The resident's rating (recorded by the grid worker or the community). Satisfied or
    basically satisfied closes the case; unsatisfied reopens it at the desk."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择满意度。")})
    if satisfaction == Satisfaction.UNSATISFIED:
        note = _required(note, _("请记录居民不满意的原因。"))
    case = _begin(case, actor, Action.RATE)
    before = case.state
    now = timezone.now()
    case.satisfaction = satisfaction
    if satisfaction == Satisfaction.UNSATISFIED:
        fields = ["satisfaction", *_reopen(case, now)]
    else:
        case.state = CaseState.CLOSED
        case.closed_at = now
        fields = ["satisfaction", "state", "closed_at"]
    _finish(
        case, actor=actor, action=Action.RATE, from_state=before, fields=fields, note=note,
        detail={"satisfaction": satisfaction},
    )  # fmt: skip
    if satisfaction == Satisfaction.UNSATISFIED:
        _notify_reopened(case, now)
    return case


def _reopen(case: Case, now: datetime) -> list[str]:
    _end_assignments(case, now)
    case.state = CaseState.ACCEPTED
    case.reopen_count += 1
    case.resolved_at = None
    case.closed_at = None
    return ["state", "reopen_count", "resolved_at", "closed_at",
            *_start_step(case, Step.HANDLE, now)]  # fmt: skip


def _notify_reopened(case: Case, now: datetime) -> None:
    notify(
        case=case, kind=NotificationKind.REOPENED, users=_desk_users(case),
        key=f"reopen:{case.pk}:{now.timestamp()}",
    )  # fmt: skip


@transaction.atomic
def case_reopen(*, actor: Any, case: Case | int, note: str) -> Case:
    """Back to the desk: verification found the problem still there, or the resident came back."""
    note = _required(note, _("请填写重新办理的原因。"))
    case = _begin(case, actor, Action.REOPEN)
    before = case.state
    now = timezone.now()
    fields = _reopen(case, now)
    _finish(case, actor=actor, action=Action.REOPEN, from_state=before, fields=fields, note=note)
    _notify_reopened(case, now)
    return case


@transaction.atomic
def case_close(*, actor: Any, case: Case | int, note: str = "") -> Case:
    """结案 without a rating (e.g. the resident cannot be reached)."""
    case = _begin(case, actor, Action.CLOSE)
    before = case.state
    case.state = CaseState.CLOSED
    case.closed_at = timezone.now()
    _finish(
        case, actor=actor, action=Action.CLOSE, from_state=before, fields=["state", "closed_at"],
        note=note,
    )  # fmt: skip
    return case


@transaction.atomic
def case_mark_urgent(*, actor: Any, case: Case | int, note: str = "") -> Case:
    case = _begin(case, actor, Action.MARK_URGENT)
    if case.is_urgent:
        raise TransitionNotAllowed(_("事件已是加急件。"))
    case.is_urgent = True
    _finish(
        case, actor=actor, action=Action.MARK_URGENT, from_state=case.state,
        fields=["is_urgent"], note=note,
    )  # fmt: skip
    notify(
        case=case, kind=NotificationKind.SUPERVISED, users=handler_users(case),
        key=f"urgent:{case.pk}",
    )  # fmt: skip
    return case


@transaction.atomic
def case_supervise(*, actor: Any, case: Case | int, level: str, note: str) -> Case:
    """督办 by the level above: ordinary, yellow card or red card. The level never goes down."""
    if level not in SupervisionLevel.values or not level:
        raise ValidationError({"level": _("请选择督办级别。")})
    note = _required(note, _("请填写督办意见。"))
    case = _begin(case, actor, Action.SUPERVISE)
    now = timezone.now()
    Supervision.objects.create(case=case, level=level, by=actor, note=note[:500])
    if SUPERVISION_RANK[level] > SUPERVISION_RANK[case.supervision]:
        case.supervision = level
    _finish(
        case, actor=actor, action=Action.SUPERVISE, from_state=case.state,
        fields=["supervision"], note=note, detail={"level": level},
    )  # fmt: skip
    notify(
        case=case, kind=NotificationKind.SUPERVISED,
        users=handler_users(case) | _desk_users(case),
        key=f"supervise:{case.pk}:{now.timestamp()}",
    )  # fmt: skip
    return case


@transaction.atomic
def case_merge(*, actor: Any, case: Case | int, into: Case, note: str = "") -> Case:
    """A duplicate report is merged into the case that carries on."""
    case = _begin(case, actor, Action.MERGE)
    if into.pk == case.pk:
        raise ValidationError({"into": _("不能合并到自身。")})
    target = Case.objects.visible_to(actor).filter(pk=into.pk).first()
    if target is None or not target.is_open:
        raise ValidationError({"into": _("请选择一个办理中的事件作为合并目标。")})
    before = case.state
    case.state = CaseState.MERGED
    case.duplicate_of = target
    case.closed_at = timezone.now()
    fields = ["state", "duplicate_of", "closed_at", *_stop_step(case)]
    _finish(
        case, actor=actor, action=Action.MERGE, from_state=before, fields=fields, note=note,
        detail={"into": target.number},
    )  # fmt: skip
    return case


def case_transition(*, actor: Any, case: Case | int, action: str, **params: Any) -> Case:
    """Dispatch one of the transition actions by name (the API's and the page's entry point)."""
    services: dict[str, Callable[..., Case]] = {
        Action.ACCEPT: case_accept,
        Action.REJECT: case_reject,
        Action.HANDLE: case_handle,
        Action.ESCALATE: case_escalate,
        Action.DISPATCH: case_dispatch,
        Action.REPLY: case_reply,
        Action.SEND_BACK: case_send_back,
        Action.REQUEST_EXTENSION: case_request_extension,
        Action.APPROVE_EXTENSION: case_approve_extension,
        Action.REFUSE_EXTENSION: case_refuse_extension,
        Action.RESOLVE: case_resolve,
        Action.VERIFY: case_verify,
        Action.RATE: case_rate,
        Action.REOPEN: case_reopen,
        Action.CLOSE: case_close,
        Action.MARK_URGENT: case_mark_urgent,
        Action.SUPERVISE: case_supervise,
        Action.MERGE: case_merge,
    }
    service = services.get(action)
    if service is None:
        raise ValidationError({"action": _("未知的操作。")})
    result: Case = service(actor=actor, case=case, **params)
    return result


# --- The overdue sweep ------------------------------------------------------------------------


SWEEP_BATCH = 500


def _sweep_mark(*, alert: str, now: datetime) -> list[int]:
    """Claim one batch of cases that passed their mark, with a conditional UPDATE under
    SKIP LOCKED: two sweeps at once never claim the same case."""
    if alert == "red":
        pending = Case.objects.filter(alert__in=["", "yellow"], due_at__lte=now)
    else:
        pending = Case.objects.filter(alert="", warn_at__lte=now, due_at__gt=now)
    ids = list(
        pending.exclude(step="")
        .order_by()
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    if not ids:
        return []
    Case.objects.filter(pk__in=ids).update(alert=alert)
    return ids


def _sweep_notify(*, ids: list[int], alert: str, now: datetime) -> None:
    kind = NotificationKind.OVERDUE if alert == "red" else NotificationKind.WARNING
    action = Action.OVERDUE if alert == "red" else Action.WARN
    cases = Case.objects.filter(pk__in=ids).select_related("category")
    events = []
    for case in cases:
        if alert == "red" and not case.supervision:
            case.supervision = SupervisionLevel.ORDINARY
            case.save(update_fields=["supervision"])
            Supervision.objects.create(
                case=case, level=SupervisionLevel.ORDINARY, by=None, note=_("超期自动督办")
            )
        events.append(
            CaseEvent(
                case=case, action=action, actor=None, from_state=case.state,
                to_state=case.state, tier=case.tier,
                detail={"due_at": case.due_at.isoformat() if case.due_at else None},
            )
        )  # fmt: skip
        stamp = case.due_at.timestamp() if case.due_at else 0
        notify(
            case=case,
            kind=kind,
            users=handler_users(case) | above_users(case),
            key=f"{alert}:{case.pk}:{case.step}:{stamp}",
        )
    CaseEvent.objects.bulk_create(events)


def sweep_overdue(*, now: datetime | None = None) -> dict[str, int]:
    """Mark yellow (70 % of the limit) and red (past it), notify the handler and the level
    above once per event, and put late cases under supervision. Safe to run twice or on two
    workers at once: each batch is claimed under SKIP LOCKED with a conditional UPDATE, and
    notifications are unique per (recipient, event)."""
    now = now or timezone.now()
    counts = {"red": 0, "yellow": 0}
    for alert in ("red", "yellow"):
        while True:
            with transaction.atomic():
                ids = _sweep_mark(alert=alert, now=now)
                if not ids:
                    break
                _sweep_notify(ids=ids, alert=alert, now=now)
                audit_record(
                    action=AuditAction.UPDATE,
                    username="system",
                    target="cases.sweep_overdue",
                    detail={"alert": alert, "cases": len(ids)},
                )
            counts[alert] += len(ids)
    return counts

"""Who is told of a case event, the in-app notifications (the bell) and their SMS / e-mail.

Who receives what is the ``notify`` column of ``cases.workflow``; :func:`tell` resolves its
recipients to users. Each notification is a row written in the transaction of the change, once
per (recipient, event); after commit ``cases.signals.notifications_written`` hands the event to
the message task, which sends each row once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RoleGrant, User
from accounts.roles import Role
from governance.models import Area

from .. import policies
from ..messaging import get_channel, render_message
from ..models import Case, CaseAssignment, CaseState, Notification, NotificationKind
from ..signals import notifications_written
from ..workflow import Recipient, event_for


def ancestor_paths(path: str) -> list[str]:
    step = Area.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def desk_users(case: Case, role: str | None = None) -> set[int]:
    wanted = role or policies.DESK_ROLE[case.tier]
    return set(
        RoleGrant.objects.filter(
            role=wanted, area__path__in=ancestor_paths(case.area_path)
        ).values_list("user_id", flat=True)
    )


def unit_users(assignments: Iterable[CaseAssignment]) -> set[int]:
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
        users = unit_users(lead)
        if users:
            return users
    return desk_users(case)


def above_users(case: Case) -> set[int]:
    return desk_users(case, policies.ABOVE_ROLE[case.tier])


def _recipients(
    recipient: Recipient, case: Case, assignments: Sequence[CaseAssignment] | None
) -> set[int]:
    if recipient == Recipient.DESK:
        return desk_users(case)
    if recipient == Recipient.ABOVE:
        return above_users(case)
    if recipient == Recipient.HANDLER:
        return handler_users(case)
    if assignments is None:
        assignments = list(CaseAssignment.objects.filter(case=case, ended_at__isnull=True))
    return unit_users(assignments)


def tell(
    *, case: Case, action: str, key: str, actor: Any = None,
    assignments: Sequence[CaseAssignment] | None = None,
) -> None:  # fmt: skip
    """Notify whoever the workflow row of ``action`` names, once per ``key`` and recipient.
    ``assignments``: the units just assigned (a dispatch), when they are already at hand."""
    for notice in event_for(action).notify:
        users: set[int] = set()
        for recipient in sorted(notice.to):
            users |= _recipients(recipient, case, assignments)
        if notice.skip_actor:
            users -= {getattr(actor, "pk", None)}
        notify(case=case, kind=notice.kind, users=users, key=key)


def notify(*, case: Case, kind: str, users: Iterable[int], key: str) -> None:
    """In-app notifications, once per (recipient, key); the SMS / e-mail goes out after commit."""
    text = _notification_text(kind, case)
    rows = [Notification(recipient_id=u, kind=kind, case=case, text=text, key=key) for u in users]
    if not rows:
        return
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    case_id = case.pk
    transaction.on_commit(
        lambda: notifications_written.send(sender=Notification, case_id=case_id, key=key)
    )


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

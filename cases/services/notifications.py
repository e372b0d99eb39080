"""Who is told of a case event, the in-app notifications (the bell) and their SMS / e-mail.

Who receives what is the table of ``cases.notify``; :func:`tell` resolves its recipients to
users (the transition frame calls it once per action). Each notification is a row written in
the transaction of the change, once per (recipient, event), keeping its event code and
parameters so that it is read in the reader's language. Its SMS / e-mail is a row of the
outbox (``cases.services.outbox``) written in the same transaction, which the relay sends once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import override

from accounts.models import RoleGrant
from accounts.roles import Role
from governance.models import Area

from .. import policies
from ..models import Case, CaseAssignment, CaseEvent, CaseState, Notification
from ..notify import Recipient, notice_params, notice_text, notices_for
from ..workflow import Action
from .outbox import messages_enqueue


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


def community_users(case: Case) -> set[int]:
    """The community office of the case's community (whatever the case's tier)."""
    return set(
        RoleGrant.objects.filter(role=Role.COMMUNITY_STAFF, area_id=case.community_id).values_list(
            "user_id", flat=True
        )
    )


def requester_users(case: Case) -> set[int]:
    """Who asked for the extension now decided: the actor of the latest request."""
    requester = (
        CaseEvent.objects.filter(case=case, action=Action.REQUEST_EXTENSION)
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    return {requester} if requester else set()


def _recipients(
    recipient: Recipient, case: Case, assignments: Sequence[CaseAssignment] | None
) -> set[int]:
    if recipient == Recipient.DESK:
        return desk_users(case)
    if recipient == Recipient.ABOVE:
        return above_users(case)
    if recipient == Recipient.HANDLER:
        return handler_users(case)
    if recipient == Recipient.REPORTER:
        return {case.reporter_id} if case.reporter_id else set()
    if recipient == Recipient.COMMUNITY:
        return community_users(case)
    if recipient == Recipient.REQUESTER:
        return requester_users(case)
    if assignments is None:
        assignments = list(CaseAssignment.objects.filter(case=case, ended_at__isnull=True))
    if recipient == Recipient.LEAD:
        assignments = [a for a in assignments if a.role == "lead"]
    return unit_users(assignments)


def tell(
    *, case: Case, action: str, key: str, actor: Any = None,
    assignments: Sequence[CaseAssignment] | None = None, detail: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """Notify whoever ``cases.notify`` names for ``action`` (given the state it left the case
    in), once per ``key`` and recipient. ``assignments``: the units just assigned, when they
    are already at hand; ``detail``: the event's detail (an extension's days)."""
    params = notice_params(case, detail)
    for notice in notices_for(action, case.state):
        users: set[int] = set()
        for recipient in sorted(notice.to):
            users |= _recipients(recipient, case, assignments)
        if notice.skip_actor:
            users -= {getattr(actor, "pk", None)}
        notify(case=case, kind=notice.kind, users=users, key=f"{key}:{notice.kind}", params=params)


def notify(
    *, case: Case, kind: str, users: Iterable[int], key: str, params: dict[str, Any] | None = None
) -> None:
    """In-app notifications, once per (recipient, key), and their SMS / e-mail in the outbox,
    both in the caller's transaction. ``text`` keeps the Chinese rendering for the message
    channel and older readers; pages and the API render ``kind`` and ``params`` in the reader's
    language."""
    params = params if params is not None else notice_params(case)
    users = sorted(set(users))
    if not users:
        return
    with override("zh-hans"):
        text = notice_text(kind, params)[:300]
        rows = [
            Notification(recipient_id=u, kind=kind, case=case, text=text, key=key, params=params)
            for u in users
        ]
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        messages_enqueue(case=case, event=kind, users=users, notification_key=key, fallback=text)


@transaction.atomic
def notification_mark_read(*, actor: Any, ids: Sequence[int] | None = None) -> int:
    """Mark the actor's own notifications read (all unread ones when ``ids`` is None)."""
    unread = Notification.objects.filter(recipient=actor, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())

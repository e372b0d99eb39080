"""Who is told of each action of the case workflow: the one notification table, beside the
transition table of ``cases.workflow``.

Every action (each transition and each system event: the report, the sweep's yellow and red
marks) has one row here, even when nobody is told, so a new action cannot be added without
deciding who hears of it (a test checks). A row lists notices: the event code stored on the
notification, who receives it and, for an action with more than one outcome (a rating closes
or reopens), the state it applies to. ``cases.services.notifications`` resolves recipients to
users; the transition frame calls it once per action.

Texts are not stored as sentences: a notification keeps its event code and parameters (case
number, title, an extension's days) and :func:`notice_text` renders them in the reader's
language when the bell, the list or the API shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import CaseState as S
from .models import NotificationKind as K
from .workflow import EVENTS, TRANSITIONS, Action


class Recipient(StrEnum):
    """Who is told; ``cases.services.notifications`` says which users each one is."""

    DESK = "desk"  # the desk of the case's tier (after the action: an escalation's new desk)
    UNITS = "units"  # the units assigned to the case (after a dispatch: the new ones)
    LEAD = "lead"  # the lead unit (主办)
    HANDLER = "handler"  # whoever the case waits for: the lead unit in progress, else the desk
    ABOVE = "above"  # the office above the desk
    REPORTER = "reporter"  # who reported the case (the grid worker who verifies on site)
    COMMUNITY = "community"  # the community office of the case's community
    REQUESTER = "requester"  # who asked for the extension being decided


@dataclass(frozen=True)
class Notice:
    """One notification of an action: its event code, who receives it (once per event), and
    the states after the action it applies to (None: whatever the outcome)."""

    kind: str
    to: frozenset[Recipient]
    when: frozenset[str] | None = None
    skip_actor: bool = True  # the one who acted is not told of their own act


def tell(kind: str, *to: Recipient, when: frozenset[str] | None = None) -> Notice:
    return Notice(kind, frozenset(to), when)


R = Recipient
CLOSED = frozenset({S.CLOSED})
REOPENED = frozenset({S.ACCEPTED})

#: action → who is told. The next actor first, then whoever must know.
NOTICES: dict[str, tuple[Notice, ...]] = {
    Action.REPORT: (tell(K.ASSIGNED, R.DESK),),
    Action.ACCEPT: (tell(K.ACCEPTED, R.REPORTER),),
    Action.REJECT: (tell(K.REJECTED, R.REPORTER),),
    Action.HANDLE: (tell(K.RESOLVED, R.REPORTER, R.COMMUNITY),),
    Action.ESCALATE: (tell(K.ESCALATED, R.DESK),),
    Action.DISPATCH: (tell(K.ASSIGNED, R.UNITS),),
    Action.REPLY: (tell(K.REPLIED, R.LEAD),),
    Action.SEND_BACK: (tell(K.SENT_BACK, R.DESK),),
    Action.REQUEST_EXTENSION: (tell(K.EXTENSION, R.DESK),),
    Action.APPROVE_EXTENSION: (tell(K.EXT_APPROVED, R.REQUESTER),),
    Action.REFUSE_EXTENSION: (tell(K.EXT_REFUSED, R.REQUESTER),),
    Action.RESOLVE: (tell(K.RESOLVED, R.REPORTER, R.COMMUNITY),),
    Action.VERIFY: (tell(K.VERIFIED, R.COMMUNITY),),
    Action.RATE: (
        tell(K.CLOSED, R.REPORTER, when=CLOSED),
        tell(K.REOPENED, R.DESK, when=REOPENED),
    ),
    Action.REOPEN: (tell(K.REOPENED, R.DESK),),
    Action.CLOSE: (tell(K.CLOSED, R.REPORTER),),
    Action.MARK_URGENT: (tell(K.URGENT, R.HANDLER),),
    # The handler, the desk above a dispatched unit and the office above the desk (the street
    # hears of the leader's card on its community's case; whoever supervised is skipped).
    Action.SUPERVISE: (tell(K.SUPERVISED, R.HANDLER, R.DESK, R.ABOVE),),
    Action.MERGE: (tell(K.MERGED, R.REPORTER),),
    Action.WARN: (tell(K.WARNING, R.HANDLER, R.ABOVE),),
    Action.OVERDUE: (tell(K.OVERDUE, R.HANDLER, R.ABOVE),),
}

#: Every action has its row (checked at import: a missing row is a programming error).
_MISSING = (set(TRANSITIONS) | set(EVENTS)) - set(NOTICES)
if _MISSING:
    raise LookupError(f"cases.notify has no row for {sorted(_MISSING)}")


def notices_for(action: str, state: str) -> tuple[Notice, ...]:
    """The notices of ``action`` that apply once the case is in ``state``."""
    return tuple(n for n in NOTICES.get(action, ()) if n.when is None or state in n.when)


#: What each event code says (in the reader's language); the text adds the case's number, title.
LABELS: dict[str, str | Promise] = {
    K.ASSIGNED: _("新事件待办理"),
    K.ACCEPTED: _("您上报的事件已受理"),
    K.REJECTED: _("您上报的事件不予受理"),
    K.RESOLVED: _("事件已办结，请现场核查"),
    K.VERIFIED: _("事件已核查，请回访居民评价"),
    K.CLOSED: _("事件已结案"),
    K.REPLIED: _("协办单位已答复"),
    K.SENT_BACK: _("事件被回退"),
    K.WARNING: _("事件即将超期"),
    K.OVERDUE: _("事件已超期"),
    K.SUPERVISED: _("事件被督办"),
    K.URGENT: _("事件被加急"),
    K.ESCALATED: _("下级呼叫"),
    K.EXTENSION: _("延期申请待审批"),
    K.EXT_APPROVED: _("延期申请已批准"),
    K.EXT_REFUSED: _("延期申请被驳回"),
    K.REOPENED: _("事件重新办理"),
    K.MERGED: _("您上报的事件已合并至其他事件"),
}
TEXT = _("%(event)s：%(number)s %(title)s")


def notice_params(case: Any, detail: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What a notification keeps to be rendered later: the case's number and title, and the
    days of an extension."""
    params: dict[str, Any] = {"number": case.number, "title": case.title}
    days = (detail or {}).get("days", case.extension_requested_days)
    if days:
        params["days"] = days
    return params


def notice_text(kind: str, params: Mapping[str, Any]) -> str:
    """The notification in the active language (the reader's)."""
    label = LABELS.get(kind, kind)
    return str(TEXT) % {
        "event": label,
        "number": params.get("number", ""),
        "title": params.get("title", ""),
    }


def notification_text(notification: Any) -> str:
    """A notification in the active language: from its code and parameters, or (a row written
    before codes were kept) its stored text."""
    if notification.params:
        return notice_text(notification.kind, notification.params)
    return str(notification.text)

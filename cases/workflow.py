"""The one transition table of the case workflow (网格发现、社区呼叫、分级响应、协同处置).

States and the actions between them::

    reported    accept → accepted; reject → rejected; handle (即时办结) → resolved;
                merge → merged
    accepted    dispatch → in_progress; escalate (社区呼叫, one tier up) → accepted;
                handle → resolved; merge → merged
    in_progress reply, request / approve / refuse extension (state unchanged);
                resolve → resolved; send_back (回退) → accepted; escalate → accepted
    resolved    verify → verified; reopen → accepted
    verified    rate → closed (satisfied) or accepted (unsatisfied); close → closed;
                reopen → accepted
    closed      reopen → accepted
    any open    mark_urgent (加急), supervise (督办): state unchanged

Each action names the states it may start from and the state it leads to (``None``: the state
does not change, e.g. a reply or a supervision). Who may take it is in ``cases.policies``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import CaseState as S


class Action:
    ACCEPT = "accept"
    REJECT = "reject"
    HANDLE = "handle"
    ESCALATE = "escalate"
    DISPATCH = "dispatch"
    REPLY = "reply"
    SEND_BACK = "send_back"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    RESOLVE = "resolve"
    VERIFY = "verify"
    RATE = "rate"
    REOPEN = "reopen"
    CLOSE = "close"
    MARK_URGENT = "mark_urgent"
    SUPERVISE = "supervise"
    MERGE = "merge"
    # Not transitions a user picks, but rows of the timeline.
    REPORT = "report"
    WARN = "warn"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None


OPEN = frozenset({S.REPORTED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED, S.VERIFIED})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(Action.ACCEPT, _("受理"), frozenset({S.REPORTED}), S.ACCEPTED),
        Transition(Action.REJECT, _("不予受理"), frozenset({S.REPORTED}), S.REJECTED),
        Transition(Action.HANDLE, _("即时办结"), frozenset({S.REPORTED, S.ACCEPTED}), S.RESOLVED),
        Transition(
            Action.ESCALATE, _("呼叫上级"), frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.ACCEPTED
        ),
        Transition(Action.DISPATCH, _("派单"), frozenset({S.ACCEPTED}), S.IN_PROGRESS),
        Transition(Action.REPLY, _("答复"), frozenset({S.IN_PROGRESS}), None),
        Transition(Action.SEND_BACK, _("回退"), frozenset({S.IN_PROGRESS}), S.ACCEPTED),
        Transition(Action.REQUEST_EXTENSION, _("申请延期"), frozenset({S.IN_PROGRESS}), None),
        Transition(Action.APPROVE_EXTENSION, _("批准延期"), frozenset({S.IN_PROGRESS}), None),
        Transition(Action.REFUSE_EXTENSION, _("驳回延期"), frozenset({S.IN_PROGRESS}), None),
        Transition(Action.RESOLVE, _("办结"), frozenset({S.IN_PROGRESS}), S.RESOLVED),
        Transition(Action.VERIFY, _("核查通过"), frozenset({S.RESOLVED}), S.VERIFIED),
        Transition(Action.RATE, _("居民评价"), frozenset({S.VERIFIED}), S.CLOSED),
        Transition(
            Action.REOPEN,
            _("重新办理"),
            frozenset({S.RESOLVED, S.VERIFIED, S.CLOSED}),
            S.ACCEPTED,
        ),
        Transition(Action.CLOSE, _("结案"), frozenset({S.VERIFIED}), S.CLOSED),
        Transition(Action.MARK_URGENT, _("加急"), OPEN, None),
        Transition(Action.SUPERVISE, _("督办"), OPEN, None),
        Transition(Action.MERGE, _("合并重复件"), frozenset({S.REPORTED, S.ACCEPTED}), S.MERGED),
    ]
}

#: Timeline labels of every action, including those the system takes.
ACTION_LABELS: dict[str, str | Promise] = {
    **{action: t.label for action, t in TRANSITIONS.items()},
    Action.REPORT: _("上报"),
    Action.WARN: _("黄灯预警"),
    Action.OVERDUE: _("红灯超期"),
}


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def allowed_from(action: str, state: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources

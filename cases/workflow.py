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

Each row says everything the rest of the app needs to know about an action: the states it may
start from, the state it leads to (``None``: unchanged, e.g. a reply or a supervision), who may
take it (:class:`Party`; ``cases.policies`` says who each party is), the inputs it reads
(:class:`Need`: the transition form builds only those fields, the page shows only those, the
service takes them as keywords). Who is told of each action is the table beside this one,
``cases.notify``. Adding an action is one row here, one there, plus its service (registered
with ``cases.services.frame.transition_service``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import CaseState as S
from .models import Tier


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


class Party(StrEnum):
    """Who may take an action; ``cases.policies`` decides whether an actor is that party."""

    DESK = "desk"  # 受理台: the office of the case's tier
    ON_SITE = "on_site"  # the grid worker or community worker of the case's community
    UNIT = "unit"  # any unit (or named person) the case is assigned to
    LEAD = "lead"  # the lead unit (主办)
    ABOVE = "above"  # the office above the desk
    LEADER = "leader"  # the district leader: supervises any case of the district, nothing else


class Need(StrEnum):
    """An input an action reads besides the note: a field of the form, a keyword of the service."""

    UNITS = "units"  # the lead unit and cooperating units (service: lead, cooperating)
    PERSON = "person"  # a named person in the lead unit
    DAYS = "days"  # working days of an extension
    SATISFACTION = "satisfaction"  # the resident's rating
    CARD = "card"  # the supervision level: ordinary, yellow or red card (service: level)
    TARGET = "target"  # the case a duplicate is merged into (service: into)
    PHOTOS = "photos"  # photos of the site


@dataclass(frozen=True)
class Event:
    """A row of the timeline and its label. Who is told of it is ``cases.notify``'s table."""

    action: str
    label: str | Promise


@dataclass(frozen=True)
class Transition(Event):
    """An action a user takes on a case."""

    sources: frozenset[str] = frozenset()
    target: str | None = None
    who: frozenset[Party] = frozenset()
    #: Tiers the action is open at (None: every tier).
    tiers: frozenset[str] | None = None
    #: The message when the note is missing; None: the note is optional.
    note_required: str | Promise | None = None
    needs: tuple[Need, ...] = ()


OPEN = frozenset({S.REPORTED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED, S.VERIFIED})
DESK = frozenset({Party.DESK})
DESK_OR_ON_SITE = frozenset({Party.DESK, Party.ON_SITE})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.ACCEPT, _("受理"), sources=frozenset({S.REPORTED}), target=S.ACCEPTED, who=DESK
        ),
        Transition(
            Action.REJECT, _("不予受理"), sources=frozenset({S.REPORTED}), target=S.REJECTED,
            who=DESK, note_required=_("请填写不予受理的理由。"),
        ),
        Transition(
            Action.HANDLE, _("即时办结"), sources=frozenset({S.REPORTED, S.ACCEPTED}),
            target=S.RESOLVED, who=DESK_OR_ON_SITE, tiers=frozenset({Tier.GRID, Tier.COMMUNITY}),
            note_required=_("请说明处置情况。"), needs=(Need.PHOTOS,),
        ),
        Transition(
            Action.ESCALATE, _("呼叫上级"),
            sources=frozenset({S.ACCEPTED, S.IN_PROGRESS}), target=S.ACCEPTED, who=DESK,
            note_required=_("请说明呼叫上级的原因。"),
        ),
        Transition(
            Action.DISPATCH, _("派单"),
            sources=frozenset({S.ACCEPTED}), target=S.IN_PROGRESS, who=DESK,
            needs=(Need.UNITS, Need.PERSON),
        ),
        Transition(
            Action.REPLY, _("答复"), sources=frozenset({S.IN_PROGRESS}),
            who=frozenset({Party.UNIT}), note_required=_("请填写办理答复。"), needs=(Need.PHOTOS,),
        ),
        Transition(
            Action.SEND_BACK, _("回退"),
            sources=frozenset({S.IN_PROGRESS}), target=S.ACCEPTED, who=frozenset({Party.LEAD}),
            note_required=_("请填写回退理由。"),
        ),
        Transition(
            Action.REQUEST_EXTENSION, _("申请延期"),
            sources=frozenset({S.IN_PROGRESS}), who=frozenset({Party.LEAD}),
            note_required=_("请填写延期理由。"), needs=(Need.DAYS,),
        ),
        Transition(
            Action.APPROVE_EXTENSION, _("批准延期"), sources=frozenset({S.IN_PROGRESS}), who=DESK
        ),
        Transition(
            Action.REFUSE_EXTENSION, _("驳回延期"), sources=frozenset({S.IN_PROGRESS}), who=DESK,
            note_required=_("请填写驳回理由。"),
        ),
        Transition(
            Action.RESOLVE, _("办结"), sources=frozenset({S.IN_PROGRESS}), target=S.RESOLVED,
            who=frozenset({Party.LEAD}), note_required=_("请说明办理结果。"),
            needs=(Need.PHOTOS,),
        ),
        Transition(
            Action.VERIFY, _("核查通过"), sources=frozenset({S.RESOLVED}), target=S.VERIFIED,
            who=DESK_OR_ON_SITE, needs=(Need.PHOTOS,),
        ),
        # Satisfied or basically satisfied closes; unsatisfied reopens (and tells as a reopen).
        # The note is required only for an unsatisfied rating: the service checks it.
        Transition(
            Action.RATE, _("居民评价"), sources=frozenset({S.VERIFIED}), target=S.CLOSED,
            who=DESK_OR_ON_SITE, needs=(Need.SATISFACTION,),
        ),
        Transition(
            Action.REOPEN, _("重新办理"),
            sources=frozenset({S.RESOLVED, S.VERIFIED, S.CLOSED}), target=S.ACCEPTED,
            who=frozenset({Party.DESK, Party.ON_SITE, Party.ABOVE}),
            note_required=_("请填写重新办理的原因。"),
        ),
        Transition(
            Action.CLOSE, _("结案"), sources=frozenset({S.VERIFIED}), target=S.CLOSED,
            who=DESK_OR_ON_SITE,
        ),
        Transition(
            Action.MARK_URGENT, _("加急"),
            sources=OPEN, who=frozenset({Party.DESK, Party.ABOVE, Party.LEADER}),
        ),
        Transition(
            Action.SUPERVISE, _("督办"),
            sources=OPEN, who=frozenset({Party.ABOVE, Party.LEADER}),
            note_required=_("请填写督办意见。"),
            needs=(Need.CARD,),
        ),
        Transition(
            Action.MERGE, _("合并重复件"), sources=frozenset({S.REPORTED, S.ACCEPTED}),
            target=S.MERGED, who=DESK, needs=(Need.TARGET,),
        ),
    ]
}  # fmt: skip

#: The rows of the timeline that no user picks: the report and the sweep's marks.
EVENTS: dict[str, Event] = {
    e.action: e
    for e in [
        Event(Action.REPORT, _("上报")),
        Event(Action.WARN, _("黄灯预警")),
        Event(Action.OVERDUE, _("红灯超期")),
    ]
}

#: Timeline labels of every action, including those the system takes.
ACTION_LABELS: dict[str, str | Promise] = {
    action: row.label for action, row in [*TRANSITIONS.items(), *EVENTS.items()]
}

#: The ``action`` values a user (page or API) may send.
ACTION_CHOICES: list[tuple[str, str | Promise]] = [(a, t.label) for a, t in TRANSITIONS.items()]


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def allowed_from(action: str, state: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources


def event_for(action: str) -> Event:
    """The row of ``action``: a transition or a system event."""
    return TRANSITIONS.get(action) or EVENTS[action]


def action_label(action: str) -> str:
    """The timeline label of ``action`` (the code itself for an action no longer in the table)."""
    return str(ACTION_LABELS.get(action, action))

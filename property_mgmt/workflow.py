"""The one transition table of a council resolution (会议决议), shaped like ``cases.workflow``.

States and the actions between them::

    open         start → in_progress; complete → done; cancel → cancelled
    in_progress  complete → done; cancel → cancelled; note (进展) → state unchanged
    done         reopen → in_progress

Each action names the states it may start from, the state it leads to (``None``: unchanged),
who may take it (``owner``: the unit that owns the resolution; ``keeper``: the community that
convened the meeting, its street, the district admin) and whether a note is required. The
services, the policies, the pages and the API all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import ResolutionState as S


class Action:
    START = "start"
    NOTE = "note"
    COMPLETE = "complete"
    CANCEL = "cancel"
    REOPEN = "reopen"
    # A timeline row, not an action a user picks.
    CREATE = "create"


OWNER = "owner"
KEEPER = "keeper"


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None
    taken_by: frozenset[str]
    needs_note: bool


OPEN = frozenset({S.OPEN, S.IN_PROGRESS})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.START,
            _("开始落实"),
            frozenset({S.OPEN}),
            S.IN_PROGRESS,
            frozenset({OWNER, KEEPER}),
            False,
        ),
        Transition(Action.NOTE, _("记录进展"), OPEN, None, frozenset({OWNER, KEEPER}), True),
        Transition(Action.COMPLETE, _("已落实"), OPEN, S.DONE, frozenset({OWNER, KEEPER}), True),
        Transition(Action.CANCEL, _("撤销"), OPEN, S.CANCELLED, frozenset({KEEPER}), True),
        Transition(
            Action.REOPEN,
            _("重新落实"),
            frozenset({S.DONE}),
            S.IN_PROGRESS,
            frozenset({KEEPER}),
            True,
        ),
    ]
}

ACTION_LABELS: dict[str, str | Promise] = {
    **{action: t.label for action, t in TRANSITIONS.items()},
    Action.CREATE: _("形成决议"),
}


def allowed_from(action: str, state: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources

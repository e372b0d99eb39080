"""The one transition table of a co-building project (共驻共建项目).

States and the actions between them::

    proposed     agree → agreed; cancel → cancelled
    agreed       start → in_progress; cancel → cancelled
    in_progress  complete → completed; cancel → cancelled
    completed    rate (社区评价, once): state unchanged

Each action names the states it may start from, the state it leads to (``None``: unchanged),
the sides that may take it (the community's offices, the lead unit's liaison) and the fields
it needs. ``volunteers.policies`` reads the sides, the services the rest; forms and the API
list the actions from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import ProjectState as S


class Action:
    AGREE = "agree"
    START = "start"
    COMPLETE = "complete"
    CANCEL = "cancel"
    RATE = "rate"
    # Not a transition a user picks, but the first row of the timeline.
    PROPOSE = "propose"


class Side:
    COMMUNITY = "community"  # the community's (and the street's, the district's) offices
    LEAD = "lead"  # the lead unit's liaison


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None
    sides: frozenset[str]
    needs: tuple[str, ...] = ()


OPEN = frozenset({S.PROPOSED, S.AGREED, S.IN_PROGRESS})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.AGREE, _("确定立项"), frozenset({S.PROPOSED}), S.AGREED,
            frozenset({Side.COMMUNITY}),
        ),
        Transition(
            Action.START, _("开始实施"), frozenset({S.AGREED}), S.IN_PROGRESS,
            frozenset({Side.COMMUNITY, Side.LEAD}),
        ),
        Transition(
            Action.COMPLETE, _("完成项目"), frozenset({S.IN_PROGRESS}), S.COMPLETED,
            frozenset({Side.COMMUNITY, Side.LEAD}), ("note",),
        ),
        Transition(
            Action.CANCEL, _("取消项目"), OPEN, S.CANCELLED, frozenset({Side.COMMUNITY}), ("note",),
        ),
        Transition(
            Action.RATE, _("社区评价"), frozenset({S.COMPLETED}), None,
            frozenset({Side.COMMUNITY}), ("rating",),
        ),
    ]
}  # fmt: skip

ACTION_LABELS: dict[str, str | Promise] = {
    **{action: t.label for action, t in TRANSITIONS.items()},
    Action.PROPOSE: _("拟定项目"),
}


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def allowed_from(action: str, state: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources

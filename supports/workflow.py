"""The one transition table of a difficult problem (疑难杂症) brought to the studio.

States and the actions between them::

    raised      accept (受理会诊) → consulting; withdraw (撤回) → withdrawn
    consulting  advise (出具意见, the advice is required) → advised; withdraw → withdrawn
    advised     follow_up (跟进落实, a note of what was done) → following; solve (化解销号) → solved
    following   follow_up → following (state kept, one more action); solve → solved
    solved      reopen (重新跟进) → following

Each action names the states it may start from, the state it leads to, the roles that may take
it (within the problem's community for area-scoped roles), and the fields it needs. Services,
policies, forms, the API and the templates read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

from .models import ProblemState as S


class Action:
    RAISE = "raise"
    ACCEPT = "accept"
    ADVISE = "advise"
    FOLLOW_UP = "follow_up"
    SOLVE = "solve"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"
    LINK_CASE = "link_case"


#: The studio is run by the district's organisation office and the street secretaries.
STUDIO_KEEPERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF})
#: The community that brought a problem follows it up, as do the offices above it.
FOLLOWERS = frozenset({Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    needs: tuple[str, ...] = ()  # fields the action requires: "advice", "note"


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.ACCEPT, _("受理会诊"), frozenset({S.RAISED}), S.CONSULTING, STUDIO_KEEPERS
        ),
        Transition(
            Action.ADVISE,
            _("出具意见"),
            frozenset({S.CONSULTING}),
            S.ADVISED,
            STUDIO_KEEPERS,
            ("advice",),
        ),
        Transition(
            Action.FOLLOW_UP,
            _("跟进落实"),
            frozenset({S.ADVISED, S.FOLLOWING}),
            S.FOLLOWING,
            FOLLOWERS,
            ("note",),
        ),
        Transition(
            Action.SOLVE,
            _("化解销号"),
            frozenset({S.ADVISED, S.FOLLOWING}),
            S.SOLVED,
            FOLLOWERS,
            ("note",),
        ),
        Transition(
            Action.REOPEN,
            _("重新跟进"),
            frozenset({S.SOLVED}),
            S.FOLLOWING,
            STUDIO_KEEPERS,
            ("note",),
        ),
        Transition(
            Action.WITHDRAW,
            _("撤回"),
            frozenset({S.RAISED, S.CONSULTING}),
            S.WITHDRAWN,
            FOLLOWERS,
        ),
    ]
}

#: Timeline labels, including the steps that are not transitions.
ACTION_LABELS: dict[str, str | Promise] = {
    **{action: t.label for action, t in TRANSITIONS.items()},
    Action.RAISE: _("提交问题"),
    Action.LINK_CASE: _("关联事件"),
}


def transition_for(action: str) -> Transition | None:
    return TRANSITIONS.get(action)


def allowed_from(action: str, state: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]

"""Writes of the secretaries' studio: the studio, members, sessions and difficult problems.

A problem's transitions follow ``supports.workflow``: the row is locked, the state checked
against the table, set, saved, and the timeline row and audit row written, so two people
pressing a button at once give one transition and one clear refusal (409)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import Conflict
from governance.models import Area, AreaLevel

from .. import policies
from ..models import (
    DifficultProblem,
    MemberRole,
    ProblemEvent,
    ProblemState,
    SessionKind,
    Studio,
    StudioMember,
    StudioSession,
    Topic,
)
from ..workflow import Action, transition_for
from ._base import audit, require, system_or, today, user_or_none


def _keeper(actor: Any) -> None:
    system_or(actor, lambda: policies.can_keep_studio(actor))


@transaction.atomic
def studio_create(
    *,
    actor: Any,
    name: str,
    host: Area,
    leader: str,
    founded_on: date,
    address: str = "",
    description: str = "",
) -> Studio:
    _keeper(actor)
    if Studio.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("已有同名的书记工作室。")})
    studio = Studio(
        name=name.strip(),
        host=host,
        leader=leader.strip(),
        founded_on=founded_on,
        address=address.strip(),
        description=description,
    )
    studio.full_clean()
    studio.save()
    audit(actor=actor, target=studio, event="studio.create", created=True)
    return studio


@transaction.atomic
def member_add(
    *,
    actor: Any,
    studio: Studio,
    name: str,
    role: str,
    organisation: str,
    joined_on: date,
    title: str = "",
) -> StudioMember:
    _keeper(actor)
    errors = {}
    if role not in MemberRole.values:
        errors["role"] = _("请选择成员身份。")
    if studio.members.filter(name=name.strip()).exists():
        errors["name"] = _("该成员已在工作室中。")
    if joined_on > today():
        errors["joined_on"] = _("加入日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    member = StudioMember(
        studio=studio,
        name=name.strip(),
        role=role,
        organisation=organisation.strip(),
        title=title.strip(),
        joined_on=joined_on,
    )
    member.full_clean()
    member.save()
    audit(actor=actor, target=member, event="studio.member_add", created=True)
    return member


@transaction.atomic
def session_record(
    *,
    actor: Any,
    studio: Studio,
    held_on: date,
    kind: str,
    topic: str,
    title: str,
    place: str = "",
    summary: str = "",
    attendees: Iterable[StudioMember] = (),
    guests: int = 0,
) -> StudioSession:
    """Record a session ("专家门诊", study or seminar) with the members who attended."""
    _keeper(actor)
    attendees = list(attendees)
    errors = {}
    if kind not in SessionKind.values:
        errors["kind"] = _("请选择活动形式。")
    if topic not in Topic.values:
        errors["topic"] = _("请选择主题类别。")
    if held_on > today():
        errors["held_on"] = _("活动日期不能晚于今天。")
    if any(member.studio_id != studio.pk for member in attendees):
        errors["attendees"] = _("参加成员须是本工作室成员。")
    if not attendees and not guests:
        errors["attendees"] = _("请选择参加成员或填写其他参加人数。")
    if errors:
        raise ValidationError(errors)
    session = StudioSession(
        studio=studio,
        held_on=held_on,
        kind=kind,
        topic=topic,
        title=title.strip(),
        place=place.strip(),
        summary=summary,
        guests=guests,
        recorded_by=user_or_none(actor),
    )
    session.full_clean()
    session.save()
    session.attendees.set(attendees)
    audit(actor=actor, target=session, event="studio.session", created=True, kind=kind)
    return session


def _check_case(case: Any, community_id: int) -> None:
    if case is not None and case.community_id != community_id:
        raise ValidationError({"case": _("关联事件须是该社区的事件。")})


@transaction.atomic
def problem_raise(
    *,
    actor: Any,
    studio: Studio,
    community: Area,
    title: str,
    topic: str,
    description: str,
    raised_on: date | None = None,
    case: Any = None,
) -> DifficultProblem:
    """A community brings a difficult problem to the studio (its own office or one above)."""
    if community.level != AreaLevel.COMMUNITY:
        raise ValidationError({"community": _("疑难问题须由社区提出。")})
    system_or(actor, lambda: policies.can_raise_problem(actor, community.path))
    raised_on = raised_on or today()
    errors = {}
    if topic not in Topic.values:
        errors["topic"] = _("请选择问题类别。")
    if raised_on > today():
        errors["raised_on"] = _("提出日期不能晚于今天。")
    if not description.strip():
        errors["description"] = _("请描述问题。")
    if errors:
        raise ValidationError(errors)
    _check_case(case, community.pk)
    problem = DifficultProblem(
        studio=studio,
        community=community,
        area_path=community.path,
        title=title.strip(),
        topic=topic,
        description=description.strip(),
        raised_on=raised_on,
        raised_by=user_or_none(actor),
        case=case,
    )
    problem.full_clean(exclude=["case"])
    problem.save()
    ProblemEvent.objects.create(
        problem=problem,
        area_path=problem.area_path,
        action=Action.RAISE,
        from_state=ProblemState.RAISED,
        to_state=ProblemState.RAISED,
        done_on=raised_on,
        actor=user_or_none(actor),
    )
    audit(actor=actor, target=problem, event="problem.raise", created=True)
    return problem


@transaction.atomic
def problem_transition(
    *,
    actor: Any,
    problem: DifficultProblem,
    action: str,
    note: str = "",
    advice: str = "",
    session: StudioSession | None = None,
    on: date | None = None,
) -> ProblemEvent:
    """Take one action of the transition table on a problem."""
    transition = transition_for(action)
    if transition is None:
        raise ValidationError({"action": _("未知的操作。")})
    problem = DifficultProblem.objects.select_for_update().get(pk=problem.pk)
    require(actor is None or policies.can_take(actor, transition, problem.area_path))
    if problem.state not in transition.sources:
        raise Conflict(
            _("问题当前为“%(state)s”，不能“%(action)s”。")
            % {"state": problem.get_state_display(), "action": transition.label}
        )
    on = on or today()
    errors = {}
    if "advice" in transition.needs and not advice.strip():
        errors["advice"] = _("请填写会诊意见。")
    if "note" in transition.needs and not note.strip():
        errors["note"] = _("请填写落实情况。")
    if on > today():
        errors["on"] = _("日期不能晚于今天。")
    elif on < problem.raised_on:
        errors["on"] = _("日期不能早于问题提出日期。")
    if session is not None and session.studio_id != problem.studio_id:
        errors["session"] = _("会诊活动须是本工作室的活动。")
    if errors:
        raise ValidationError(errors)
    before = problem.state
    problem.state = transition.target
    fields = ["state", "updated_at"]
    if action == Action.ADVISE:
        problem.advice = advice.strip()
        fields.append("advice")
        if session is not None:
            problem.session = session
            fields.append("session")
    if transition.target == ProblemState.SOLVED:
        problem.solved_on = on
        fields.append("solved_on")
    elif problem.solved_on is not None:
        problem.solved_on = None
        fields.append("solved_on")
    problem.save(update_fields=fields)
    event = ProblemEvent.objects.create(
        problem=problem,
        area_path=problem.area_path,
        action=action,
        from_state=before,
        to_state=problem.state,
        note=(advice if action == Action.ADVISE else note).strip(),
        done_on=on,
        actor=user_or_none(actor),
    )
    audit(actor=actor, target=problem, event=f"problem.{action}", to=problem.state)
    return event


@transaction.atomic
def problem_link_case(*, actor: Any, problem: DifficultProblem, case: Any) -> DifficultProblem:
    """Link the case (事件) that handles the problem, or unlink it (``case`` None)."""
    problem = DifficultProblem.objects.select_for_update().get(pk=problem.pk)
    require(actor is None or policies.can_raise_problem(actor, problem.area_path))
    _check_case(case, problem.community_id)
    problem.case = case
    problem.save(update_fields=["case", "updated_at"])
    ProblemEvent.objects.create(
        problem=problem,
        area_path=problem.area_path,
        action=Action.LINK_CASE,
        from_state=problem.state,
        to_state=problem.state,
        note=case.number if case is not None else "",
        done_on=today(),
        actor=user_or_none(actor),
    )
    audit(actor=actor, target=problem, event="problem.link_case", case=getattr(case, "pk", None))
    return problem

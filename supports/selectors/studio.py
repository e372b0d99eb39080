"""Reads of the secretaries' studio: the studio page, sessions and the difficult problems."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.scoping import Actor
from cases.models import Case
from governance.models import Area

from ..models import (
    DifficultProblem,
    ProblemEvent,
    ProblemState,
    Studio,
    StudioMember,
    StudioSession,
)
from ._base import ordered, under


def studio_main(*, actor: Actor) -> Studio | None:
    """The district's studio (the first active one the actor sees), with its members."""
    return (
        Studio.objects.visible_to(actor)
        .filter(is_active=True)
        .select_related("host")
        .prefetch_related(
            Prefetch("members", queryset=StudioMember.objects.order_by("role", "name"))
        )
        .order_by("pk")
        .first()
    )


def studio_figures(*, actor: Actor, studio: Studio) -> dict[str, int]:
    """Sessions, clinics and problems (raised, solved, open) the actor sees."""
    sessions = (
        StudioSession.objects.visible_to(actor)
        .filter(studio=studio)
        .aggregate(sessions=Count("pk"), clinics=Count("pk", filter=Q(kind="clinic")))
    )
    problems = (
        DifficultProblem.objects.visible_to(actor)
        .filter(studio=studio)
        .aggregate(
            problems=Count("pk"),
            solved=Count("pk", filter=Q(state=ProblemState.SOLVED)),
            open=Count("pk", filter=~Q(state__in=[ProblemState.SOLVED, ProblemState.WITHDRAWN])),
        )
    )
    return {**sessions, **problems}


SESSION_ORDERINGS = {
    "date": "held_on",
    "-date": "-held_on",
    "attendees": "n_attendees",
    "-attendees": "-n_attendees",
}


def session_list(
    *,
    actor: Actor,
    kind: str = "",
    topic: str = "",
    year: int | None = None,
    search: str = "",
    ordering: str = "-date",
) -> QuerySet[StudioSession]:
    sessions = (
        StudioSession.objects.visible_to(actor)
        .select_related("studio")
        .annotate(
            n_attendees=Count("attendees", distinct=True),
            n_problems=Count("problems", distinct=True),
        )
    )
    if kind:
        sessions = sessions.filter(kind=kind)
    if topic:
        sessions = sessions.filter(topic=topic)
    if year:
        sessions = sessions.filter(held_on__year=year)
    if search:
        sessions = sessions.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    return ordered(sessions, SESSION_ORDERINGS, ordering, "-date")


def session_get(*, actor: Actor, pk: int) -> StudioSession:
    sessions = StudioSession.objects.visible_to(actor).prefetch_related(
        "attendees",
        Prefetch(
            "problems",
            queryset=DifficultProblem.objects.visible_to(actor).select_related("community"),
            to_attr="visible_problems",
        ),
    )
    session: StudioSession = get_object_or_404(sessions, pk=pk)
    return session


PROBLEM_ORDERINGS = {
    "date": "raised_on",
    "-date": "-raised_on",
    "community": ("area_path", "-raised_on"),
    "-community": ("-area_path", "-raised_on"),
    "state": ("state", "-raised_on"),
    "solved": "solved_on",
    "-solved": "-solved_on",
}


def problem_list(
    *,
    actor: Actor,
    state: str = "",
    topic: str = "",
    community: int | None = None,
    street: Area | None = None,
    raised_from: date | None = None,
    search: str = "",
    ordering: str = "-date",
) -> QuerySet[DifficultProblem]:
    """Problems of the communities in scope; ``state`` "open" keeps those still in hand."""
    problems = DifficultProblem.objects.visible_to(actor).select_related(
        "community", "case", "session"
    )
    if state == "open":
        problems = problems.exclude(state__in=[ProblemState.SOLVED, ProblemState.WITHDRAWN])
    elif state:
        problems = problems.filter(state=state)
    if topic:
        problems = problems.filter(topic=topic)
    if community is not None:
        problems = problems.filter(community_id=community)
    if street is not None:
        problems = problems.filter(under("area_path", street))
    if raised_from is not None:
        problems = problems.filter(raised_on__gte=raised_from)
    if search:
        problems = problems.filter(
            Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(advice__icontains=search)
        )
    return ordered(problems, PROBLEM_ORDERINGS, ordering, "-date")


def problem_get(*, actor: Actor, pk: int) -> DifficultProblem:
    problems = (
        DifficultProblem.objects.visible_to(actor)
        .select_related("community", "studio", "case", "session", "raised_by")
        .prefetch_related(Prefetch("events", queryset=ProblemEvent.objects.select_related("actor")))
    )
    problem: DifficultProblem = get_object_or_404(problems, pk=pk)
    return problem


def solved_count(*, actor: Actor) -> int:
    return DifficultProblem.objects.visible_to(actor).filter(state=ProblemState.SOLVED).count()


def cases_for_problem(*, actor: Actor, problem: DifficultProblem) -> Any:
    """The cases of the problem's community the actor sees (choices for a link)."""
    return (
        Case.objects.visible_to(actor)
        .filter(community_id=problem.community_id)
        .order_by("-created_at")
    )

"""Reads of the worker careers: the roster of posts against quotas with vacancies, rounds and
applicants, appraisals and promotions, and one worker's career page."""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.scoping import Actor
from governance.models import Area
from grids.models import CommunityWorker, WorkerPost

from ..models import (
    Applicant,
    ApplicantResult,
    Appraisal,
    Promotion,
    RecruitmentPost,
    RecruitmentRound,
    StaffQuota,
)
from ..querysets import ROSTER_ROLES
from ..services.careers import IN_POST, INTERVIEW_WEIGHT, WRITTEN_WEIGHT
from ._base import areas_in_scope, ordered, under


def _quota(post: str) -> Coalesce:
    rows = StaffQuota.objects.filter(community=OuterRef("pk"), post=post).values("quota")[:1]
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _filled(post: str) -> Coalesce:
    rows = (
        CommunityWorker.objects.filter(community=OuterRef("pk"), post=post, status__in=IN_POST)
        .order_by()
        .values(n=Func(F("pk"), function="COUNT"))
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


ROSTER_ORDERINGS = {
    "community": "path",
    "-community": "-path",
    "vacancies": "vacancies",
    "-vacancies": "-vacancies",
    "filled": "filled",
    "-filled": "-filled",
}


def roster(
    *,
    actor: Actor,
    street: Area | None = None,
    short: str = "",
    search: str = "",
    ordering: str = "community",
) -> QuerySet[Area]:
    """Each community in scope with, per post, its quota, the workers in post (active or on
    probation) and the vacancies: one query for the page. ``short`` "yes" keeps communities
    with a vacancy, "over" those with more workers than the quota."""
    annotations: dict[str, Any] = {}
    for post in WorkerPost.values:
        annotations[f"{post}_quota"] = _quota(post)
        annotations[f"{post}_filled"] = _filled(post)
    rows = areas_in_scope(actor=actor, roles=ROSTER_ROLES).filter(under("path", street))
    rows = rows.annotate(**annotations)
    rows = rows.annotate(
        quota=reduce(operator.add, (F(f"{post}_quota") for post in WorkerPost.values)),
        filled=reduce(operator.add, (F(f"{post}_filled") for post in WorkerPost.values)),
    ).annotate(vacancies=F("quota") - F("filled"))
    if short == "yes":
        rows = rows.filter(vacancies__gt=0)
    elif short == "over":
        rows = rows.filter(vacancies__lt=0)
    if search:
        rows = rows.filter(name__icontains=search)
    return ordered(rows, ROSTER_ORDERINGS, ordering, "community")


def posts_of(row: Any) -> list[dict[str, Any]]:
    """Per post of a roster row: quota, filled, vacancies."""
    lines = []
    for post in WorkerPost.values:
        quota, filled = getattr(row, f"{post}_quota"), getattr(row, f"{post}_filled")
        lines.append(
            {
                "post": post,
                "label": WorkerPost(post).label,
                "quota": quota,
                "filled": filled,
                "vacancies": quota - filled,
            }
        )
    return lines


def round_list(*, actor: Actor, state: str = "", search: str = "") -> QuerySet[Any]:
    positions = RecruitmentPost.objects.visible_to(actor).filter(round=OuterRef("pk"))
    applicants = Applicant.objects.visible_to(actor).filter(round=OuterRef("pk"))
    rounds = RecruitmentRound.objects.visible_to(actor).annotate(
        n_openings=Coalesce(
            Subquery(
                positions.order_by().values(n=Func(F("openings"), function="SUM")),
                output_field=IntegerField(),
            ),
            0,
        ),
        n_applicants=Coalesce(
            Subquery(
                applicants.order_by().values(n=Func(F("pk"), function="COUNT")),
                output_field=IntegerField(),
            ),
            0,
        ),
        n_hired=Coalesce(
            Subquery(
                applicants.filter(result=ApplicantResult.HIRED)
                .order_by()
                .values(n=Func(F("pk"), function="COUNT")),
                output_field=IntegerField(),
            ),
            0,
        ),
    )
    if state:
        rounds = rounds.filter(state=state)
    if search:
        rounds = rounds.filter(title__icontains=search)
    return rounds.order_by("-year", "-announced_on", "-pk")


def round_get(*, actor: Actor, pk: int) -> RecruitmentRound:
    positions = (
        RecruitmentPost.objects.visible_to(actor)
        .select_related("community")
        .annotate(
            n_applicants=Count("applicants", distinct=True),
            n_hired=Count(
                "applicants", filter=Q(applicants__result=ApplicantResult.HIRED), distinct=True
            ),
        )
        .order_by("area_path", "post")
    )
    rounds = RecruitmentRound.objects.visible_to(actor).prefetch_related(
        Prefetch("positions", queryset=positions, to_attr="visible_positions")
    )
    round_: RecruitmentRound = get_object_or_404(rounds, pk=pk)
    return round_


SCORE = DecimalField(max_digits=6, decimal_places=2)

APPLICANT_ORDERINGS = {
    "name": "name",
    "-name": "-name",
    "total": F("total").asc(nulls_last=True),
    "-total": F("total").desc(nulls_last=True),
    "community": ("area_path", "name"),
    "-community": ("-area_path", "name"),
}


def applicant_list(
    *,
    actor: Actor,
    round: int,
    position: int | None = None,
    result: str = "",
    search: str = "",
    ordering: str = "-total",
) -> QuerySet[Applicant]:
    """A round's applicants in scope with the total score (笔试 60 % + 面试 40 %)."""
    applicants = (
        Applicant.objects.visible_to(actor)
        .filter(round_id=round)
        .select_related("position", "position__community", "worker")
        .annotate(
            total=ExpressionWrapper(
                F("written_score") * Value(WRITTEN_WEIGHT)
                + F("interview_score") * Value(INTERVIEW_WEIGHT),
                output_field=SCORE,
            )
        )
    )
    if position is not None:
        applicants = applicants.filter(position_id=position)
    if result:
        applicants = applicants.filter(result=result)
    if search:
        applicants = applicants.filter(name__icontains=search)
    return ordered(applicants, APPLICANT_ORDERINGS, ordering, "-total")


def applicant_get(*, actor: Actor, pk: int) -> Applicant:
    applicant: Applicant = get_object_or_404(
        Applicant.objects.visible_to(actor).select_related("round", "position"), pk=pk
    )
    return applicant


APPRAISAL_ORDERINGS = {
    "year": ("year", "area_path"),
    "-year": ("-year", "area_path"),
    "community": ("area_path", "-year"),
    "-community": ("-area_path", "-year"),
    "name": ("worker__name", "-year"),
    "result": ("result", "-year"),
}


def appraisal_list(
    *,
    actor: Actor,
    year: int | None = None,
    result: str = "",
    community: int | None = None,
    search: str = "",
    ordering: str = "-year",
) -> QuerySet[Appraisal]:
    appraisals = Appraisal.objects.visible_to(actor).select_related("worker", "worker__community")
    if year:
        appraisals = appraisals.filter(year=year)
    if result:
        appraisals = appraisals.filter(result=result)
    if community is not None:
        appraisals = appraisals.filter(worker__community_id=community)
    if search:
        appraisals = appraisals.filter(worker__name__icontains=search)
    return ordered(appraisals, APPRAISAL_ORDERINGS, ordering, "-year")


PROMOTION_ORDERINGS = {
    "date": "effective_on",
    "-date": "-effective_on",
    "community": ("area_path", "-effective_on"),
    "name": ("worker__name", "-effective_on"),
}


def promotion_list(
    *,
    actor: Actor,
    year: int | None = None,
    community: int | None = None,
    search: str = "",
    ordering: str = "-date",
) -> QuerySet[Promotion]:
    promotions = Promotion.objects.visible_to(actor).select_related(
        "worker", "worker__community", "appraisal"
    )
    if year:
        promotions = promotions.filter(effective_on__year=year)
    if community is not None:
        promotions = promotions.filter(worker__community_id=community)
    if search:
        promotions = promotions.filter(worker__name__icontains=search)
    return ordered(promotions, PROMOTION_ORDERINGS, ordering, "-date")


def career_of(*, actor: Actor, worker: CommunityWorker) -> dict[str, Any]:
    """One worker's appraisals and promotions (the grade history and trainings come with the
    grids' ``worker_get``)."""
    return {
        "appraisals": list(Appraisal.objects.visible_to(actor).filter(worker=worker)),
        "promotions": list(
            Promotion.objects.visible_to(actor).filter(worker=worker).select_related("appraisal")
        ),
    }

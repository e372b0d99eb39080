"""Survey answers: every served area's survey of last year has 50 % 满意, this year's 80 %."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from governance.models import (
    Area,
    Household,
    PropertyCompany,
)

from ..models import (
    AnswerChannel,
    Survey,
)
from ..services import (
    survey_answer_record,
    survey_create,
)
from ._base import (
    BASELINE_ANSWERS,
    BASELINE_SATISFIED,
    CURRENT_ANSWERS,
    CURRENT_SATISFIED,
    _at,
)


def _clip(score: int) -> int:
    return max(1, min(5, score))


def _surveys(estates: list[Area], served: dict[int, PropertyCompany], log: Any) -> None:
    if Survey.objects.filter(area__in=estates).exists():
        return
    today = timezone.localdate()
    year = today.year
    answers = 0
    for estate in estates:
        if estate.pk not in served:
            continue
        households = list(
            Household.objects.filter(area_path__startswith=estate.path).order_by("pk")
        )
        for period_year, n_answers, n_satisfied in (
            (year - 1, BASELINE_ANSWERS, BASELINE_SATISFIED),
            (year, CURRENT_ANSWERS, CURRENT_SATISFIED),
        ):
            opens = date(period_year, 11, 1)
            survey = survey_create(
                actor=None,
                area=estate,
                period_start=date(period_year, 1, 1),
                period_end=date(period_year, 12, 31),
                opens_on=opens,
                closes_on=date(period_year, 12, 31),
                title=f"{estate.name}{period_year}年度物业服务满意度调查",
            )
            last = min(date(period_year, 12, 20), today)
            for n, household in enumerate(households[:n_answers]):
                satisfied = n < n_satisfied
                overall = (5 if n % 2 else 4) if satisfied else (3 if n % 3 else 2)
                scores = {
                    "safety": _clip(overall + (0)),
                    "cleaning": _clip(overall + (1 if n % 4 == 0 else 0)),
                    "greening": _clip(overall + (-1 if n % 5 == 0 else 0)),
                    "repair": _clip(overall + (-1 if n % 3 == 0 else 0)),
                    "fees": _clip(overall + (-1 if n % 2 else 0)),
                    "attitude": _clip(overall + (1 if n % 3 == 1 else 0)),
                    "overall": overall,
                }
                day = opens + timedelta(days=(n * max((last - opens).days, 0)) // max(n_answers, 1))
                survey_answer_record(
                    survey=survey,
                    household=household,
                    scores=scores,
                    channel=AnswerChannel.CODE if n % 2 else AnswerChannel.PHONE,
                    submitted_at=_at(day, 8 + n % 12),
                )
                answers += 1
    log(f"红色物业: 满意度调查答卷 {answers} 份（上年满意率 50%，本年 80%）")

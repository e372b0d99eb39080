"""满意率: the share of answers whose overall rating is 满意 or 非常满意, by survey, company
or residential area, and its change against a baseline year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from governance.models import Area

from ...models import (
    ITEM_FIELDS,
    Survey,
    SurveyAnswer,
    SurveyItem,
)
from ..periods import Period
from .base import (
    ESTATE_PATH_LENGTH,
    change_pct,
    company_households,
    households_by_prefix,
    labels_of,
    share,
)

SATISFIED = Q(overall__gte=4)


def answer_figures(answers: QuerySet[SurveyAnswer]) -> dict[str, Any]:
    """Answers, satisfied answers, the 满意率 and the mean score of each item: one query."""
    values = answers.order_by().aggregate(
        n=Count("pk"),
        satisfied=Count("pk", filter=SATISFIED),
        **{f"avg_{item}": Avg(item) for item in ITEM_FIELDS},
    )
    values["rate"] = share(values["satisfied"], values["n"])
    values["items"] = [
        (SurveyItem(item).label, round(values[f"avg_{item}"], 2) if values[f"avg_{item}"] else None)
        for item in ITEM_FIELDS
    ]
    return values


def answers_in(
    actor: Any, *, year: int | None = None, within: Area | None = None
) -> QuerySet[SurveyAnswer]:
    rows = SurveyAnswer.objects.visible_to(actor)
    if year is not None:
        rows = rows.filter(survey__period_start__year=year)
    if within is not None:
        rows = rows.filter(area_path__startswith=within.path)
    return rows


def satisfaction_change(
    *, actor: Any, year: int, baseline: int, within: Area | None = None
) -> dict[str, Any]:
    """满意率 of the surveys of ``year`` against those of ``baseline`` (relative change)."""
    current = answer_figures(answers_in(actor, year=year, within=within))
    before = answer_figures(answers_in(actor, year=baseline, within=within))
    return {
        "year": year,
        "baseline": baseline,
        "current": current,
        "before": before,
        "change": change_pct(before["rate"], current["rate"]),
    }


def survey_results(surveys: QuerySet[Survey]) -> list[Any]:
    """Each survey with its answers, 满意率, item means and response rate (answers per
    household of the area): two queries for the page."""
    rows: list[Any] = list(
        surveys.annotate(
            n_answers=Count("answers"),
            n_satisfied=Count("answers", filter=Q(answers__overall__gte=4)),
            **{f"avg_{item}": Avg(f"answers__{item}") for item in ITEM_FIELDS},
        ).select_related("area", "company")
    )
    households = households_by_prefix([s.area_path for s in rows], ESTATE_PATH_LENGTH)
    for survey in rows:
        survey.households = households.get(survey.area_path, 0)
        survey.response_rate = share(survey.n_answers, survey.households)
        survey.satisfaction = share(survey.n_satisfied, survey.n_answers)
    return rows


def satisfaction_by(
    actor: Any, *, group: str, year: int, within: Area | None = None
) -> list[dict[str, Any]]:
    """满意率 and response by company or residential area for a year's surveys."""
    key = "company_id" if group == "company" else "survey__area_id"
    rows = list(
        answers_in(actor, year=year, within=within)
        .filter(**{f"{key}__isnull": False})
        .order_by()
        .values(key)
        .annotate(
            n=Count("pk"),
            satisfied=Count("pk", filter=SATISFIED),
            **{f"avg_{item}": Avg(item) for item in ITEM_FIELDS},
        )
    )
    ids = [row[key] for row in rows]
    labels = labels_of("company" if group == "company" else "estate", ids)
    if group == "company":
        households = company_households(ids, Period(date(year, 1, 1), date(year + 1, 1, 1)))
    else:
        paths = dict(Area.objects.filter(pk__in=ids).values_list("pk", "path"))
        counts = households_by_prefix(paths.values(), ESTATE_PATH_LENGTH)
        households = {pk: counts.get(path, 0) for pk, path in paths.items()}
    for row in rows:
        row["key"] = row[key]
        row["label"] = labels.get(row[key], "—")
        row["rate"] = share(row["satisfied"], row["n"])
        row["households"] = households.get(row[key], 0)
        row["response_rate"] = share(row["n"], row["households"])
    rows.sort(key=lambda r: (-(r["rate"] or 0), r["label"]))
    return rows

"""Where each number of a dashboard leads: the rows behind it.

A figure the case list can filter (state, tier, category, area, period, overdue, supervised,
urgent) links to ``/cases/?…``, the list everyone knows. The others (source, lead unit,
reporter, handling time, satisfaction, on time, reopened, escalated) link to the dashboards'
own case list, ``/dashboard/cases/?…``, which selects the cases of a figure exactly as the
rollups count them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from cases.models import Category

from .models import CaseFact
from .periods import Period
from .territory import Territory

OPEN_STATES = ["reported", "accepted", "in_progress", "resolved", "verified"]
#: Each measure as a condition on the facts (the same definitions as the rollup triggers).
MEASURE_CONDITIONS: dict[str, Q] = {
    "n": Q(),
    "open": Q(state__in=OPEN_STATES),
    "overdue_now": Q(state__in=OPEN_STATES, alert="red"),
    "yellow_now": Q(state__in=OPEN_STATES, alert="yellow"),
    "overdue_ever": Q(overdue_ever=True),
    "closed": Q(state="closed"),
    "on_time": Q(state="closed", overdue_ever=False),
    "late": Q(state="closed", overdue_ever=True),
    "rated": ~Q(satisfaction=""),
    "satisfied": Q(satisfaction__in=["satisfied", "basically"]),
    "unsatisfied": Q(satisfaction="unsatisfied"),
    "reopened": Q(reopened=True),
    "escalated": Q(escalated=True),
    "supervised": ~Q(supervision=""),
    "sup_ordinary": Q(supervision="ordinary"),
    "sup_yellow": Q(supervision="yellow"),
    "sup_red": Q(supervision="red"),
    "urgent": Q(is_urgent=True),
    "handled": Q(handling_seconds__isnull=False),
}
#: What the case list's own filters can say about a measure.
CASE_LIST_MEASURES: dict[str, dict[str, str]] = {
    "n": {},
    "open": {"state": "open"},
    "overdue_now": {"state": "open", "alert": "overdue"},
    "yellow_now": {"state": "open", "alert": "yellow"},
    "closed": {"state": "closed"},
    "supervised": {"supervised": "true"},
    "urgent": {"urgent": "true"},
}
#: The case list's name for a facet (its category filter takes a parent as well as a leaf).
CASE_LIST_NAMES = {"state": "state", "tier": "tier", "category": "category",
                   "category_parent": "category"}  # fmt: skip


def drill(
    territory: Territory,
    period: Period,
    *,
    measure: str = "n",
    facet: str = "",
    value: str = "",
    area_id: int | None = None,
) -> str:
    """The address of the cases counted by ``measure`` among those of ``facet`` = ``value``
    (and of the street or community ``area_id``) in the territory and period."""
    if (
        not territory.is_unit
        and measure in CASE_LIST_MEASURES
        and (not facet or facet in CASE_LIST_NAMES)
        and not (facet == "state" and measure not in ("n", "supervised", "urgent"))
    ):
        query: dict[str, str] = dict(territory.area_param)
        if area_id is not None:
            query["area"] = str(area_id)
        query.update(CASE_LIST_MEASURES[measure])
        if facet:
            query[CASE_LIST_NAMES[facet]] = value
        query["date_from"] = period.first.isoformat()
        query["date_to"] = period.last_day.isoformat()
        return f"{reverse('cases:list')}?{urlencode(query)}"
    query = {"from": f"{period.first:%Y-%m}", "to": f"{period.last:%Y-%m}", "measure": measure}
    if territory.is_unit:
        query["unit"] = territory.unit
    elif territory.area is not None:
        query["area"] = str(territory.area.pk)
    if area_id is not None:
        query["area"] = str(area_id)
    if facet:
        query.update(facet=facet, value=value)
    return f"{reverse('dashboards:cases')}?{urlencode(query)}"


def fact_condition(
    territory: Territory, period: Period, *, measure: str, facet: str = "", value: str = ""
) -> Q:
    """The facts of a drill: the territory, the months, the facet's value, the measure."""
    condition = Q(month__gte=period.first, month__lte=period.last)
    condition &= MEASURE_CONDITIONS.get(measure, Q())
    if territory.is_unit:
        condition &= Q(lead_unit=territory.unit)
    elif not territory.everything:
        condition &= Q(street_id__in=territory.street_ids) | Q(
            community_id__in=territory.community_ids
        )
    if facet == "state":
        condition &= Q(state=value)
    elif facet == "tier":
        condition &= Q(tier=value)
    elif facet == "category" and value.isdigit():
        condition &= Q(category_id=int(value))
    elif facet == "source":
        condition &= Q(source=value)
    elif facet == "unit":
        condition &= Q(lead_unit=value)
    elif facet == "reporter":
        condition &= Q(reporter_id=int(value)) if value.isdigit() else Q(reporter_id__isnull=True)
    elif facet == "category_parent" and value.isdigit():
        leaves = Category.objects.filter(parent_id=int(value)).values("id")
        condition &= Q(category_id__in=leaves)
    elif facet == "handling" and value.isdigit():
        days = int(value)  # the whole working days, rounded up
        if days == 0:
            condition &= Q(handling_seconds=0)
        else:
            condition &= Q(
                handling_seconds__gt=(days - 1) * 86400, handling_seconds__lte=days * 86400
            )
    return condition


def drill_case_ids(
    territory: Territory, period: Period, *, measure: str, facet: str = "", value: str = ""
) -> Any:
    """The ids of the cases of a drill (a subquery for ``pk__in``)."""
    condition = fact_condition(territory, period, measure=measure, facet=facet, value=value)
    return CaseFact.objects.filter(condition).values("case_id")

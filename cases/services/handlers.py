"""What a case waits for, kept on the case: the units (and named persons) of its active
assignments that still owe work, in four ``bigint[]`` columns (``cases.models.HANDLING_FIELDS``).

The lead unit owes work until the case is resolved; a cooperating unit until it replies.
Assignments end when the case leaves handling: completed by its resolution (办结), released by
回退, 呼叫上级 and 重新办理. A unit's queue is then a lookup in the partial GIN indexes over cases
in progress (``Case.Meta.indexes``), never a walk through every assignment the unit ever had.

The transition services keep the columns in the same transaction as the assignments (the
case row is locked and saved by ``frame.finish``); :func:`handlers_refresh` recomputes them in
one statement for rows written around the services (bulk loads, the demo, a data migration).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from ..models import HANDLING_FIELDS, AssignmentRole, Case, CaseAssignment


def owes_work(assignment: CaseAssignment) -> bool:
    return assignment.ended_at is None and (
        assignment.role == AssignmentRole.LEAD or assignment.replied_at is None
    )


def handlers_set(case: Case, assignments: Iterable[CaseAssignment]) -> list[str]:
    """Set the case's columns from its assignments (all of them, or the active ones); returns
    the fields to save."""
    waiting = [a for a in assignments if owes_work(a)]
    case.handling_departments = sorted({a.department_id for a in waiting if a.department_id})
    case.handling_companies = sorted({a.company_id for a in waiting if a.company_id})
    case.handling_areas = sorted({a.unit_area_id for a in waiting if a.unit_area_id})
    case.handling_persons = sorted({a.person_id for a in waiting if a.person_id})
    return list(HANDLING_FIELDS)


def handlers_reload(case: Case) -> list[str]:
    """The columns again from the case's active assignments in the database."""
    return handlers_set(case, CaseAssignment.objects.filter(case=case, ended_at__isnull=True))


def assignments_release(case: Case, now: datetime) -> list[str]:
    """回退, 呼叫上级, 重新办理: every unit is off the case (a completed lead too: its result
    was not accepted); the desk decides again."""
    CaseAssignment.objects.filter(Q(ended_at__isnull=True) | Q(completed=True), case=case).update(
        ended_at=Coalesce(F("ended_at"), now), completed=False
    )
    return handlers_set(case, ())


def assignments_complete(case: Case, now: datetime) -> list[str]:
    """办结: the active assignments end with the case's resolution and stay its handlers of
    record."""
    CaseAssignment.objects.filter(case=case, ended_at__isnull=True).update(
        ended_at=now, completed=True
    )
    return handlers_set(case, ())


REFRESH_SQL = """
UPDATE cases_case c
SET handling_departments = w.departments, handling_companies = w.companies,
    handling_areas = w.areas, handling_persons = w.persons
FROM (
    SELECT c2.id,
        COALESCE(array_agg(DISTINCT a.department_id ORDER BY a.department_id)
            FILTER (WHERE a.department_id IS NOT NULL), '{}') AS departments,
        COALESCE(array_agg(DISTINCT a.company_id ORDER BY a.company_id)
            FILTER (WHERE a.company_id IS NOT NULL), '{}') AS companies,
        COALESCE(array_agg(DISTINCT a.unit_area_id ORDER BY a.unit_area_id)
            FILTER (WHERE a.unit_area_id IS NOT NULL), '{}') AS areas,
        COALESCE(array_agg(DISTINCT a.person_id ORDER BY a.person_id)
            FILTER (WHERE a.person_id IS NOT NULL), '{}') AS persons
    FROM cases_case c2
    LEFT JOIN cases_caseassignment a
        ON a.case_id = c2.id AND a.ended_at IS NULL
        AND (a.role = 'lead' OR a.replied_at IS NULL)
    WHERE %(where)s
    GROUP BY c2.id
) w
WHERE c.id = w.id AND (c.handling_departments, c.handling_companies, c.handling_areas,
    c.handling_persons) IS DISTINCT FROM (w.departments, w.companies, w.areas, w.persons)
"""

#: Active assignments of cases no longer in handling: completed when the case was resolved
#: (its resolution's time), released otherwise.
END_SQL = """
UPDATE cases_caseassignment a
SET ended_at = COALESCE(c.resolved_at, c.closed_at, c.updated_at),
    completed = c.state IN ('resolved', 'verified', 'closed')
FROM cases_case c
WHERE a.case_id = c.id AND a.ended_at IS NULL AND c.state <> 'in_progress' %(and_where)s
"""


#: Every case whose columns may be other than empty: those in handling and those holding any.
ALL_WHERE = (
    "c2.state = 'in_progress' OR c2.handling_departments <> '{}' OR c2.handling_companies <> '{}'"
    " OR c2.handling_areas <> '{}' OR c2.handling_persons <> '{}'"
)


def handlers_refresh(case_ids: Iterable[int] | None = None) -> int:
    """For cases written around the services (``None``: every case): end the assignments
    of cases no longer in handling, then recompute the columns. Returns the cases changed."""
    ids = None if case_ids is None else sorted(set(case_ids))
    if ids == []:
        return 0
    params: list[Any] = [] if ids is None else [ids]
    with connection.cursor() as cursor:
        and_where = "" if ids is None else "AND c.id = ANY(%s)"
        cursor.execute(END_SQL % {"and_where": and_where}, params)
        where = ALL_WHERE if ids is None else "c2.id = ANY(%s)"
        cursor.execute(REFRESH_SQL % {"where": where}, params)
        changed: int = cursor.rowcount
    return changed

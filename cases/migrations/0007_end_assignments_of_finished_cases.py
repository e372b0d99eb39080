"""Assignments end when their case leaves handling (a resolution completes them), and each
case in progress gets its handling columns from its active assignments.

Before, an assignment stayed active after its case was resolved or closed (971,000 of 1.11 M
at scale 1 of the benchmark): they end now at the case's resolution (completed) or, for a case
that was not resolved, at its last change (released). The statements are those of
``cases.services.handlers.handlers_refresh`` as of this migration."""

from django.db import migrations

END_SQL = """
UPDATE cases_caseassignment a
SET ended_at = COALESCE(c.resolved_at, c.closed_at, c.updated_at),
    completed = c.state IN ('resolved', 'verified', 'closed')
FROM cases_case c
WHERE a.case_id = c.id AND a.ended_at IS NULL AND c.state <> 'in_progress'
"""

REFRESH_SQL = """
UPDATE cases_case c
SET handling_departments = w.departments, handling_companies = w.companies,
    handling_areas = w.areas, handling_persons = w.persons
FROM (
    SELECT a.case_id AS id,
        COALESCE(array_agg(DISTINCT a.department_id ORDER BY a.department_id)
            FILTER (WHERE a.department_id IS NOT NULL), '{}') AS departments,
        COALESCE(array_agg(DISTINCT a.company_id ORDER BY a.company_id)
            FILTER (WHERE a.company_id IS NOT NULL), '{}') AS companies,
        COALESCE(array_agg(DISTINCT a.unit_area_id ORDER BY a.unit_area_id)
            FILTER (WHERE a.unit_area_id IS NOT NULL), '{}') AS areas,
        COALESCE(array_agg(DISTINCT a.person_id ORDER BY a.person_id)
            FILTER (WHERE a.person_id IS NOT NULL), '{}') AS persons
    FROM cases_caseassignment a
    WHERE a.ended_at IS NULL AND (a.role = 'lead' OR a.replied_at IS NULL)
    GROUP BY a.case_id
) w
WHERE c.id = w.id AND c.state = 'in_progress'
"""


class Migration(migrations.Migration):

    dependencies = [("cases", "0006_case_handling_units")]

    operations = [
        migrations.RunSQL(END_SQL, migrations.RunSQL.noop),
        migrations.RunSQL(REFRESH_SQL, migrations.RunSQL.noop),
    ]

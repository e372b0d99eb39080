"""The triggers that keep the case rollups (see dashboards/models.py), and a first build.

Statement-level triggers with transition tables: one trigger run per statement whatever the
number of rows it touched (a bulk COPY of 20,000 cases costs one grouped insert, not 20,000
calls). The chain is::

    cases_case ──────────────┐
    cases_caseevent (escalate, overdue) ──┼─▶ dashboards_casefact ─▶ dashboards_caserollupdelta
    cases_caseassignment (lead) ──────────┘          (journal; folded into dashboards_caserollup)

Times are counted in the portal's time zone (settings.TIME_ZONE, read when this migration
runs). Working time follows cases.calendar: Monday to Friday unless cases_workcalendarday says
otherwise, whole local days.
"""

from django.conf import settings
from django.db import migrations

LOCK_KEY = 7343013  # pg_advisory_xact_lock: folds, bulk statements and rebuilds take turns
BULK_ROWS = 500  # a statement changing more facts than this folds straight into the rollup
OPEN_STATES = "('reported', 'accepted', 'in_progress', 'resolved', 'verified')"

MEASURES = [
    ("n", "1"),
    ("open", f"(c.state IN {OPEN_STATES})::int"),
    ("overdue_now", f"(c.state IN {OPEN_STATES} AND c.alert = 'red')::int"),
    ("yellow_now", f"(c.state IN {OPEN_STATES} AND c.alert = 'yellow')::int"),
    ("overdue_ever", "c.overdue_ever::int"),
    ("closed", "(c.state = 'closed')::int"),
    ("on_time", "(c.state = 'closed' AND NOT c.overdue_ever)::int"),
    ("rated", "(c.satisfaction <> '')::int"),
    ("satisfied", "(c.satisfaction IN ('satisfied', 'basically'))::int"),
    ("reopened", "c.reopened::int"),
    ("escalated", "c.escalated::int"),
    ("supervised", "(c.supervision <> '')::int"),
    ("sup_yellow", "(c.supervision = 'yellow')::int"),
    ("sup_red", "(c.supervision = 'red')::int"),
    ("urgent", "c.is_urgent::int"),
    ("handled", "(c.handling_seconds IS NOT NULL)::int"),
    ("handling_seconds", "COALESCE(c.handling_seconds, 0)"),
]
NAMES = ", ".join(name for name, _expr in MEASURES)
KEY = "month, street_id, community_id, facet, value"
FACETS = """(VALUES
    ('state', c.state),
    ('tier', c.tier),
    ('category', c.category_id::text),
    ('source', c.source),
    ('unit', c.lead_unit),
    ('reporter', COALESCE(c.reporter_id::text, '')),
    ('handling', CASE WHEN c.handling_seconds IS NULL THEN NULL
                      ELSE ceil(c.handling_seconds / 86400)::int::text END)
) AS v(facet, value)"""


def grouped(source: str) -> str:
    """Rollup rows (key and summed measures) of the signed fact rows of ``source``, which
    selects ``sign`` and the fact's columns as ``c``."""
    sums = ", ".join(f"sum(c.sign * {expr})" for _name, expr in MEASURES)
    nonzero = " OR ".join(f"sum(c.sign * {expr}) <> 0" for _name, expr in MEASURES)
    return f"""
        SELECT c.month, c.street_id, c.community_id, v.facet, v.value, {sums}
        FROM ({source}) AS c CROSS JOIN LATERAL {FACETS}
        WHERE c.month IS NOT NULL AND c.street_id IS NOT NULL AND c.community_id IS NOT NULL
          AND v.value IS NOT NULL
        GROUP BY c.month, c.street_id, c.community_id, v.facet, v.value
        HAVING {nonzero}"""


def upsert(source: str) -> str:
    adds = ", ".join(f"{name} = r.{name} + excluded.{name}" for name, _expr in MEASURES)
    return f"""
        INSERT INTO dashboards_caserollup AS r ({KEY}, {NAMES}) {grouped(source)}
        ON CONFLICT (facet, month, street_id, community_id, value) DO UPDATE SET {adds}"""


def fold_upsert() -> str:
    sums = ", ".join(f"sum({name})" for name, _expr in MEASURES)
    adds = ", ".join(f"{name} = r.{name} + excluded.{name}" for name, _expr in MEASURES)
    return f"""
        WITH gone AS (DELETE FROM dashboards_caserollupdelta RETURNING *)
        INSERT INTO dashboards_caserollup AS r ({KEY}, {NAMES})
        SELECT {KEY}, {sums} FROM gone GROUP BY {KEY}
        ON CONFLICT (facet, month, street_id, community_id, value) DO UPDATE SET {adds}"""


def journal(source: str) -> str:
    return f"INSERT INTO dashboards_caserollupdelta ({KEY}, {NAMES}) {grouped(source)}"


def fact_function_sql(bulk_ops: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")) -> str:
    """The journal's trigger function; a statement of ``bulk_ops`` changing more than
    BULK_ROWS facts folds straight into the rollup."""
    sources = {
        "INSERT": "SELECT 1 AS sign, n.* FROM new_rows n",
        "DELETE": "SELECT -1 AS sign, o.* FROM old_rows o",
        "UPDATE": "SELECT -1 AS sign, o.* FROM old_rows o "
        "UNION ALL SELECT 1 AS sign, n.* FROM new_rows n",
    }
    counts = {
        "INSERT": "SELECT count(*) FROM new_rows",
        "DELETE": "SELECT count(*) FROM old_rows",
        "UPDATE": "SELECT count(*) FROM new_rows",
    }
    branches = []
    for op, source in sources.items():
        bulk = op in bulk_ops
        branches.append(f"""
    IF TG_OP = '{op}' THEN
        {counts[op]} INTO changed;
        IF changed = 0 THEN RETURN NULL; END IF;
        IF {"true" if bulk else "false"} AND changed > {BULK_ROWS} THEN
            PERFORM pg_advisory_xact_lock({LOCK_KEY});
            {upsert(source)};
        ELSE
            {journal(source)};
        END IF;
    END IF;""")
    return f"""
CREATE OR REPLACE FUNCTION dashboards_fact_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE changed bigint;
BEGIN
    IF current_setting('dashboards.rebuilding', true) = 'on' THEN RETURN NULL; END IF;
    {"".join(branches)}
    RETURN NULL;
END $$;
"""


def fact_trigger_sql() -> str:
    return fact_function_sql() + """
CREATE TRIGGER dashboards_fact_inserted AFTER INSERT ON dashboards_casefact
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboards_fact_changed();
CREATE TRIGGER dashboards_fact_updated AFTER UPDATE ON dashboards_casefact
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboards_fact_changed();
CREATE TRIGGER dashboards_fact_deleted AFTER DELETE ON dashboards_casefact
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboards_fact_changed();
"""


FACT_COLUMNS = (
    "case_id, month, street_id, community_id, category_id, reporter_id, source, state, tier, "
    "alert, supervision, satisfaction, is_urgent, reopened, handling_seconds, escalated, "
    "overdue_ever, lead_id, lead_unit"
)
CASE_DIMS = [
    "month", "street_id", "community_id", "category_id", "reporter_id", "source", "state",
    "tier", "alert", "supervision", "satisfaction", "is_urgent", "reopened", "handling_seconds",
]  # fmt: skip
#: The columns of cases_case the dimensions are read from (an update of others is ignored).
CASE_COLUMNS = [
    "created_at", "street_id", "community_id", "category_id", "reporter_id", "source", "state",
    "tier", "alert", "supervision", "satisfaction", "is_urgent", "reopen_count", "resolved_at",
]  # fmt: skip


def case_values(alias: str, tz: str) -> str:
    a = alias
    return (
        f"{a}.id, date_trunc('month', {a}.created_at AT TIME ZONE '{tz}')::date, "
        f"{a}.street_id, {a}.community_id, {a}.category_id, {a}.reporter_id, {a}.source, "
        f"{a}.state, {a}.tier, {a}.alert, {a}.supervision, {a}.satisfaction, {a}.is_urgent, "
        f"{a}.reopen_count > 0, CASE WHEN {a}.resolved_at IS NULL THEN NULL ELSE "
        f"dashboards_working_seconds({a}.created_at, {a}.resolved_at) END"
    )


LEAD_UNIT = (
    "CASE WHEN a.department_id IS NOT NULL THEN 'department:' || a.department_id "
    "WHEN a.company_id IS NOT NULL THEN 'company:' || a.company_id "
    "WHEN a.unit_area_id IS NOT NULL THEN 'area:' || a.unit_area_id ELSE '' END"
)


def forward_sql(tz: str) -> str:
    dims_set = ", ".join(f"{d} = excluded.{d}" for d in CASE_DIMS)
    dims_old = ", ".join(f"f.{d}" for d in CASE_DIMS)
    dims_new = ", ".join(f"excluded.{d}" for d in CASE_DIMS)
    changed_cols = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in CASE_COLUMNS)
    upsert_case = f"""
        INSERT INTO dashboards_casefact AS f ({FACT_COLUMNS})
        SELECT {case_values("n", tz)}, false, false, NULL, '' FROM {{source}}
        ON CONFLICT (case_id) DO UPDATE SET {dims_set}
        WHERE ({dims_old}) IS DISTINCT FROM ({dims_new})"""
    rebuild_facts = f"""
        INSERT INTO dashboards_casefact ({FACT_COLUMNS})
        SELECT {case_values("n", tz)}, COALESCE(e.escalated, false), COALESCE(e.overdue, false),
               a.id, COALESCE({LEAD_UNIT}, '')
        FROM cases_case n
        LEFT JOIN (
            SELECT case_id, bool_or(action = 'escalate') AS escalated,
                   bool_or(action = 'overdue') AS overdue
            FROM cases_caseevent WHERE action IN ('escalate', 'overdue') GROUP BY case_id
        ) e ON e.case_id = n.id
        LEFT JOIN cases_caseassignment a
            ON a.case_id = n.id AND a.role = 'lead' AND a.ended_at IS NULL"""
    return f"""
CREATE OR REPLACE FUNCTION dashboards_is_working_day(d date) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT w.is_working_day FROM cases_workcalendarday w WHERE w.date = d),
        extract(isodow FROM d) < 6)
$$;

-- Whole working days in [a, b): weekdays by arithmetic, then the calendar's exceptions.
CREATE OR REPLACE FUNCTION dashboards_working_days_between(a date, b date) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN b <= a THEN 0 ELSE
        ((b - a) / 7) * 5
        + (SELECT count(*)::int FROM generate_series(0, (b - a) % 7 - 1) AS i
           WHERE extract(isodow FROM a + ((b - a) / 7) * 7 + i) < 6)
        + COALESCE((SELECT sum(CASE
                WHEN w.is_working_day AND extract(isodow FROM w.date) >= 6 THEN 1
                WHEN NOT w.is_working_day AND extract(isodow FROM w.date) < 6 THEN -1
                ELSE 0 END)::int
            FROM cases_workcalendarday w WHERE w.date >= a AND w.date < b), 0)
    END
$$;

-- Seconds of working days between two moments (cases.calendar's clock-time counting).
CREATE OR REPLACE FUNCTION dashboards_working_seconds(t0 timestamptz, t1 timestamptz)
RETURNS numeric LANGUAGE plpgsql STABLE AS $$
DECLARE
    d0 date;
    d1 date;
    total numeric := 0;
BEGIN
    IF t0 IS NULL OR t1 IS NULL OR t1 <= t0 THEN RETURN 0; END IF;
    d0 := (t0 AT TIME ZONE '{tz}')::date;
    d1 := (t1 AT TIME ZONE '{tz}')::date;
    IF d0 = d1 THEN
        IF dashboards_is_working_day(d0) THEN RETURN extract(epoch FROM t1 - t0); END IF;
        RETURN 0;
    END IF;
    IF dashboards_is_working_day(d0) THEN
        total := total + extract(epoch FROM ((d0 + 1)::timestamp AT TIME ZONE '{tz}') - t0);
    END IF;
    IF dashboards_is_working_day(d1) THEN
        total := total + extract(epoch FROM t1 - (d1::timestamp AT TIME ZONE '{tz}'));
    END IF;
    RETURN total + 86400 * dashboards_working_days_between(d0 + 1, d1);
END $$;

{fact_trigger_sql()}

CREATE OR REPLACE FUNCTION dashboards_case_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {upsert_case.format(source="new_rows n")};
    ELSIF TG_OP = 'UPDATE' THEN
        {upsert_case.format(source=f"new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed_cols}")};
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM dashboards_casefact f USING old_rows o WHERE f.case_id = o.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER dashboards_case_inserted AFTER INSERT ON cases_case
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboards_case_changed();
CREATE TRIGGER dashboards_case_updated AFTER UPDATE ON cases_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboards_case_changed();
CREATE TRIGGER dashboards_case_deleted AFTER DELETE ON cases_case
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboards_case_changed();

CREATE OR REPLACE FUNCTION dashboards_case_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE dashboards_casefact, dashboards_caserollupdelta, dashboards_caserollup;
    RETURN NULL;
EXCEPTION WHEN object_in_use THEN
    -- Truncated in the same statement as the cases (a test database's flush): already empty.
    PERFORM set_config('dashboards.rebuilding', 'on', true);
    DELETE FROM dashboards_casefact;
    DELETE FROM dashboards_caserollupdelta;
    DELETE FROM dashboards_caserollup;
    PERFORM set_config('dashboards.rebuilding', 'off', true);
    RETURN NULL;
END $$;
CREATE TRIGGER dashboards_case_truncated AFTER TRUNCATE ON cases_case
    FOR EACH STATEMENT EXECUTE FUNCTION dashboards_case_truncated();

-- Escalations (社区呼叫) and red marks are timeline rows: the flags never go back.
CREATE OR REPLACE FUNCTION dashboards_event_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboards_casefact AS f ({FACT_COLUMNS})
    SELECT e.case_id, NULL, NULL, NULL, NULL, NULL, '', '', '', '', '', '', false, false, NULL,
           e.escalated, e.overdue, NULL, ''
    FROM (SELECT case_id, bool_or(action = 'escalate') AS escalated,
                 bool_or(action = 'overdue') AS overdue
          FROM new_rows WHERE action IN ('escalate', 'overdue') GROUP BY case_id) e
    ON CONFLICT (case_id) DO UPDATE
        SET escalated = f.escalated OR excluded.escalated,
            overdue_ever = f.overdue_ever OR excluded.overdue_ever
        WHERE (excluded.escalated AND NOT f.escalated)
           OR (excluded.overdue_ever AND NOT f.overdue_ever);
    RETURN NULL;
END $$;
CREATE TRIGGER dashboards_event_added AFTER INSERT ON cases_caseevent
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboards_event_added();

-- The lead unit: whichever lead assignment of the case is active after the statement.
CREATE OR REPLACE FUNCTION dashboards_assignment_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboards_casefact AS f ({FACT_COLUMNS})
    SELECT DISTINCT ON (t.case_id) t.case_id, NULL, NULL, NULL, NULL, NULL, '', '', '', '', '',
           '', false, false, NULL, false, false, a.id, COALESCE({LEAD_UNIT}, '')
    FROM (SELECT DISTINCT case_id FROM new_rows WHERE role = 'lead') t
    LEFT JOIN cases_caseassignment a
        ON a.case_id = t.case_id AND a.role = 'lead' AND a.ended_at IS NULL
    ORDER BY t.case_id, a.id DESC
    ON CONFLICT (case_id) DO UPDATE SET lead_id = excluded.lead_id, lead_unit = excluded.lead_unit
        WHERE (f.lead_id, f.lead_unit) IS DISTINCT FROM (excluded.lead_id, excluded.lead_unit);
    RETURN NULL;
END $$;
CREATE TRIGGER dashboards_assignment_inserted AFTER INSERT ON cases_caseassignment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboards_assignment_changed();
CREATE TRIGGER dashboards_assignment_updated AFTER UPDATE ON cases_caseassignment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboards_assignment_changed();

-- Fold the journal into the rollup (returns the keys folded); while another fold, a bulk
-- statement or a rebuild holds the lock, it does nothing and returns -1.
CREATE OR REPLACE FUNCTION dashboards_fold() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE moved bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock({LOCK_KEY}) THEN RETURN -1; END IF;
    {fold_upsert()};
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved > 0 THEN
        DELETE FROM dashboards_caserollup WHERE n = 0;
    END IF;
    RETURN moved;
END $$;

-- Everything again from the case tables (the first build, and `manage.py dashboards_rebuild`).
CREATE OR REPLACE FUNCTION dashboards_rebuild() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE built bigint;
BEGIN
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    LOCK TABLE cases_case, cases_caseevent, cases_caseassignment IN SHARE MODE;
    PERFORM set_config('dashboards.rebuilding', 'on', true);
    TRUNCATE dashboards_casefact, dashboards_caserollupdelta, dashboards_caserollup;
    {rebuild_facts};
    GET DIAGNOSTICS built = ROW_COUNT;
    {upsert("SELECT 1 AS sign, f.* FROM dashboards_casefact f")};
    PERFORM set_config('dashboards.rebuilding', 'off', true);
    RETURN built;
END $$;
"""


BACKWARD = """
DROP TRIGGER IF EXISTS dashboards_case_inserted ON cases_case;
DROP TRIGGER IF EXISTS dashboards_case_updated ON cases_case;
DROP TRIGGER IF EXISTS dashboards_case_deleted ON cases_case;
DROP TRIGGER IF EXISTS dashboards_case_truncated ON cases_case;
DROP TRIGGER IF EXISTS dashboards_event_added ON cases_caseevent;
DROP TRIGGER IF EXISTS dashboards_assignment_inserted ON cases_caseassignment;
DROP TRIGGER IF EXISTS dashboards_assignment_updated ON cases_caseassignment;
DROP TRIGGER IF EXISTS dashboards_fact_inserted ON dashboards_casefact;
DROP TRIGGER IF EXISTS dashboards_fact_updated ON dashboards_casefact;
DROP TRIGGER IF EXISTS dashboards_fact_deleted ON dashboards_casefact;
DROP FUNCTION IF EXISTS dashboards_case_changed();
DROP FUNCTION IF EXISTS dashboards_case_truncated();
DROP FUNCTION IF EXISTS dashboards_event_added();
DROP FUNCTION IF EXISTS dashboards_assignment_changed();
DROP FUNCTION IF EXISTS dashboards_fact_changed();
DROP FUNCTION IF EXISTS dashboards_fold();
DROP FUNCTION IF EXISTS dashboards_rebuild();
DROP FUNCTION IF EXISTS dashboards_working_seconds(timestamptz, timestamptz);
DROP FUNCTION IF EXISTS dashboards_working_days_between(date, date);
DROP FUNCTION IF EXISTS dashboards_is_working_day(date);
"""


def forward(apps, schema_editor):
    schema_editor.execute(forward_sql(settings.TIME_ZONE), params=None)
    schema_editor.execute("SELECT dashboards_rebuild()")


def backward(apps, schema_editor):
    schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0003_rollups"),
        ("cases", "0005_units_in_governance"),
    ]

    operations = [migrations.RunPython(forward, backward)]

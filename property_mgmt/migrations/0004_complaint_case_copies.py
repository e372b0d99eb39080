"""Copies of three facts of a complaint's case on its detail row, kept by the database: whether
the complaint counts (its case is not rejected or merged), when the case was resolved, and
whether it ever went red-overdue. The complaint rate and the 红黑榜 then count this table alone
instead of joining a million cases and seven million events.

* a detail row computes them when it is written (``BEFORE INSERT OR UPDATE``);
* a case whose state or resolution time changes touches its detail row;
* an ``overdue`` event marks its case's detail row (statement trigger, bulk inserts too).
"""

from django.db import migrations, models

SQL = """
CREATE OR REPLACE FUNCTION property_complaint_copy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.state NOT IN ('rejected', 'merged'), c.resolved_at
      INTO NEW.counted, NEW.case_resolved_at
      FROM cases_case c WHERE c.id = NEW.case_id;
    NEW.went_overdue := EXISTS (
        SELECT 1 FROM cases_caseevent e WHERE e.case_id = NEW.case_id AND e.action = 'overdue');
    RETURN NEW;
END $$;
CREATE TRIGGER property_complaint_copy BEFORE INSERT OR UPDATE ON property_mgmt_complaintdetail
    FOR EACH ROW EXECUTE FUNCTION property_complaint_copy();

CREATE OR REPLACE FUNCTION property_complaint_case_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE property_mgmt_complaintdetail SET case_id = case_id WHERE case_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER property_complaint_case_changed AFTER UPDATE OF state, resolved_at ON cases_case
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at)
    EXECUTE FUNCTION property_complaint_case_changed();

CREATE OR REPLACE FUNCTION property_complaint_overdue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE property_mgmt_complaintdetail d SET went_overdue = true
      FROM (SELECT DISTINCT case_id FROM new_rows WHERE action = 'overdue') n
     WHERE d.case_id = n.case_id AND NOT d.went_overdue;
    RETURN NULL;
END $$;
CREATE TRIGGER property_complaint_overdue AFTER INSERT ON cases_caseevent
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION property_complaint_overdue();

UPDATE property_mgmt_complaintdetail SET case_id = case_id;
"""

REVERSE = """
DROP TRIGGER IF EXISTS property_complaint_overdue ON cases_caseevent;
DROP FUNCTION IF EXISTS property_complaint_overdue();
DROP TRIGGER IF EXISTS property_complaint_case_changed ON cases_case;
DROP FUNCTION IF EXISTS property_complaint_case_changed();
DROP TRIGGER IF EXISTS property_complaint_copy ON property_mgmt_complaintdetail;
DROP FUNCTION IF EXISTS property_complaint_copy();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("property_mgmt", "0003_red_property"),
        ("cases", "0010_photos_private_storage"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaintdetail",
            name="counted",
            field=models.BooleanField(default=True, editable=False, verbose_name="计入投诉率"),
        ),
        migrations.AddField(
            model_name="complaintdetail",
            name="case_resolved_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="办结时间"
            ),
        ),
        migrations.AddField(
            model_name="complaintdetail",
            name="went_overdue",
            field=models.BooleanField(default=False, editable=False, verbose_name="曾红灯超期"),
        ),
        migrations.RunSQL(SQL, REVERSE),
        migrations.AddIndex(
            model_name="complaintdetail",
            index=models.Index(
                fields=["kind", "company", "case_resolved_at"],
                condition=models.Q(counted=True),
                name="complaint_company_resolved",
            ),
        ),
    ]

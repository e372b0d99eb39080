"""A case counts for its active lead unit or, once resolved, for the lead that completed it.

Assignments now end when their case is resolved (``CaseAssignment.completed``, cases 0007);
the unit facet kept reading only active leads and would have lost every resolved and closed
case of a unit. The assignment trigger and the rebuild read active or completed leads (a
release by 回退, 呼叫上级 or 重新办理 clears ``completed``, as it used to end the lead), then
everything is counted again."""

import re
from importlib import import_module

from django.conf import settings
from django.db import migrations

first = import_module("dashboards.migrations.0004_rollup_triggers")
ACTIVE = "a.ended_at IS NULL"
ACTIVE_OR_COMPLETED = "(a.ended_at IS NULL OR a.completed)"


def functions(condition: str) -> str:
    sql = first.forward_sql(settings.TIME_ZONE)
    parts = [
        re.search(
            rf"CREATE OR REPLACE FUNCTION {name}\(\).*?END \$\$;", sql, flags=re.DOTALL
        ).group(0)
        for name in ("dashboards_assignment_changed", "dashboards_rebuild")
    ]
    assert all(ACTIVE in part for part in parts)
    return "\n".join(part.replace(ACTIVE, condition) for part in parts)


def forward(apps, schema_editor):
    schema_editor.execute(functions(ACTIVE_OR_COMPLETED), params=None)
    schema_editor.execute("SELECT dashboards_rebuild()")


def backward(apps, schema_editor):
    schema_editor.execute(functions(ACTIVE), params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0006_deletes_always_journal"),
        ("cases", "0007_end_assignments_of_finished_cases"),
    ]

    operations = [migrations.RunPython(forward, backward)]

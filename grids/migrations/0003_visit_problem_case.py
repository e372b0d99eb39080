"""A visit's problem points at its case (a real foreign key, no longer a bare number), and
"solved" is the case's state: the stored ``solved_on`` goes.

The old ``case_id`` numbers are kept where they name an existing case; numbers of cases that do
not exist are dropped (the foreign key could not hold them)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_case_ids(apps, schema_editor):
    VisitProblem = apps.get_model("grids", "VisitProblem")
    Case = apps.get_model("cases", "Case")
    VisitProblem.objects.filter(legacy_case_id__in=Case.objects.values("pk")).update(
        case_id=models.F("legacy_case_id")
    )
    # Check the new foreign keys now, so that the table can be altered again in this migration
    # (PostgreSQL refuses ALTER TABLE while deferred constraint checks are pending).
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_case_ids_back(apps, schema_editor):
    VisitProblem = apps.get_model("grids", "VisitProblem")
    VisitProblem.objects.update(legacy_case_id=models.F("case_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_open_path_index"),
        ("grids", "0002_visits"),
    ]

    operations = [
        migrations.RemoveField(model_name="visitproblem", name="solved_on"),
        migrations.RenameField(
            model_name="visitproblem", old_name="case_id", new_name="legacy_case_id"
        ),
        migrations.AddField(
            model_name="visitproblem",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="visit_problems",
                to="cases.case",
                verbose_name="事件",
            ),
        ),
        migrations.RunPython(copy_case_ids, copy_case_ids_back),
        migrations.RemoveField(model_name="visitproblem", name="legacy_case_id"),
    ]

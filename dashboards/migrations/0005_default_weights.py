"""The appraisal weights a district starts with (the district admin changes them in the admin)."""

from django.db import migrations

DEFAULTS = {
    "areas": {"on_time": 30, "satisfaction": 30, "reopen": 10, "overdue": 20, "visits": 10},
    "departments": {"on_time": 35, "satisfaction": 35, "reopen": 15, "overdue": 15, "visits": 0},
    "grid_workers": {"on_time": 20, "satisfaction": 20, "reopen": 10, "overdue": 10, "visits": 40},
}


def forward(apps, schema_editor):
    weights = apps.get_model("dashboards", "AppraisalWeights")
    for subject, values in DEFAULTS.items():
        weights.objects.get_or_create(subject=subject, defaults=values)


class Migration(migrations.Migration):

    dependencies = [("dashboards", "0004_rollup_triggers")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

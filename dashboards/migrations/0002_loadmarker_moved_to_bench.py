"""LoadMarker lives in bench now; its table was renamed there, so this only forgets it."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("dashboards", "0001_initial"),
        ("bench", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LoadMarker")],
        ),
    ]

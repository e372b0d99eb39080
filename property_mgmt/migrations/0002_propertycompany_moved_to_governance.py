"""PropertyCompany lives in governance now; its table was renamed there, so this only forgets it."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("property_mgmt", "0001_initial"),
        ("governance", "0003_handling_units"),
        ("accounts", "0004_units_in_governance"),
        ("cases", "0005_units_in_governance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PropertyCompany")],
        ),
    ]

"""Routing rules and assignments name departments and companies in governance now (the
tables were renamed in place there): a change of the migration state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_open_assignment_indexes"),
        ("governance", "0003_handling_units"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='caseassignment',
                    name='company',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='case_assignments', to='governance.propertycompany', verbose_name='物业企业'),
                ),
                migrations.AlterField(
                    model_name='caseassignment',
                    name='department',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='case_assignments', to='governance.department', verbose_name='区直部门'),
                ),
                migrations.AlterField(
                    model_name='routingrule',
                    name='company',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='governance.propertycompany', verbose_name='承办物业企业'),
                ),
                migrations.AlterField(
                    model_name='routingrule',
                    name='department',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='governance.department', verbose_name='承办部门'),
                ),
            ],
        ),
    ]

"""Grants name departments and companies in governance now (the tables were renamed in
place there); the scope check is the same condition, built from the shared unit field set."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_unmask_permission"),
        ("governance", "0003_handling_units"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='rolegrant',
            name='rolegrant_scope_fits_role',
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='rolegrant',
                    name='company',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='grants', to='governance.propertycompany', verbose_name='物业企业'),
                ),
                migrations.AlterField(
                    model_name='rolegrant',
                    name='department',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='grants', to='governance.department', verbose_name='区直部门'),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role__in', ['district_admin', 'district_leader', 'street_staff', 'community_staff', 'grid_worker', 'security_admin', 'auditor']), ('area__isnull', False), ('company__isnull', True), ('department__isnull', True)), models.Q(('role__in', ['department_liaison']), ('area__isnull', True), ('company__isnull', True), ('department__isnull', False)), models.Q(('role__in', ['property_staff']), ('area__isnull', True), ('company__isnull', False), ('department__isnull', True)), _connector='OR'), name='rolegrant_scope_fits_role'),
        )    ]

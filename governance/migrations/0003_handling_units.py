"""Department and PropertyCompany move here from volunteers and property_mgmt: they are
handling units like areas, and everything below the domain apps needs them. The tables are
renamed in place, so no row moves and every foreign key keeps pointing at them."""

import django.db.models.deletion
from django.db import migrations, models

RENAME = """
ALTER TABLE volunteers_department RENAME TO governance_department;
ALTER SEQUENCE IF EXISTS volunteers_department_id_seq RENAME TO governance_department_id_seq;
ALTER TABLE property_mgmt_propertycompany RENAME TO governance_propertycompany;
ALTER SEQUENCE IF EXISTS property_mgmt_propertycompany_id_seq
    RENAME TO governance_propertycompany_id_seq;
"""
RENAME_BACK = """
ALTER TABLE governance_department RENAME TO volunteers_department;
ALTER SEQUENCE IF EXISTS governance_department_id_seq RENAME TO volunteers_department_id_seq;
ALTER TABLE governance_propertycompany RENAME TO property_mgmt_propertycompany;
ALTER SEQUENCE IF EXISTS governance_propertycompany_id_seq
    RENAME TO property_mgmt_propertycompany_id_seq;
"""
MOVED = [("volunteers", "department"), ("property_mgmt", "propertycompany")]


def move_content_types(apps, schema_editor, forward=True):
    """Permissions granted on the old models stay granted: their content types move along."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model in MOVED:
        source, target = (old_app, "governance") if forward else ("governance", old_app)
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0002_backbone"),
        ("volunteers", "0001_initial"),
        ("property_mgmt", "0001_initial"),
        # Every migration that makes a foreign key to the old tables runs before the rename.
        ("accounts", "0003_unmask_permission"),
        ("cases", "0004_open_assignment_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(RENAME, RENAME_BACK)],
            state_operations=[
                migrations.CreateModel(
                    name='Department',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                        ('code', models.CharField(max_length=32, unique=True, verbose_name='编码')),
                        ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                    ],
                    options={
                        'verbose_name': '区直部门',
                        'verbose_name_plural': '区直部门',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='PropertyCompany',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='名称')),
                        ('credit_code', models.CharField(help_text='18 位统一社会信用代码', max_length=18, unique=True, verbose_name='统一社会信用代码')),
                        ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                    ],
                    options={
                        'verbose_name': '物业企业',
                        'verbose_name_plural': '物业企业',
                        'ordering': ['name'],
                    },
                ),
                migrations.AlterField(
                    model_name='partyorg',
                    name='department',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='party_orgs', to='governance.department', verbose_name='所属区直部门'),
                ),
                migrations.AlterField(
                    model_name='partyorg',
                    name='company',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='party_orgs', to='governance.propertycompany', verbose_name='所属物业企业'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

"""LoadMarker moves here from dashboards with the load generator; its table is renamed in place."""

from django.db import migrations, models

RENAME = """
ALTER TABLE dashboards_loadmarker RENAME TO bench_loadmarker;
ALTER SEQUENCE IF EXISTS dashboards_loadmarker_id_seq RENAME TO bench_loadmarker_id_seq;
"""
RENAME_BACK = """
ALTER TABLE bench_loadmarker RENAME TO dashboards_loadmarker;
ALTER SEQUENCE IF EXISTS bench_loadmarker_id_seq RENAME TO dashboards_loadmarker_id_seq;
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("dashboards", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(RENAME, RENAME_BACK)],
            state_operations=[
                migrations.CreateModel(
                    name='LoadMarker',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scale', models.DecimalField(decimal_places=4, max_digits=9, verbose_name='规模')),
                        ('seed', models.PositiveIntegerField(verbose_name='随机种子')),
                        ('started_at', models.DateTimeField(verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                        ('seconds', models.FloatField(blank=True, null=True, verbose_name='耗时（秒）')),
                        ('counts', models.JSONField(blank=True, default=dict, verbose_name='行数')),
                    ],
                    options={
                        'verbose_name': '压测数据载入记录',
                        'verbose_name_plural': '压测数据载入记录',
                        'ordering': ['-started_at', '-id'],
                    },
                ),
            ],
        ),
    ]

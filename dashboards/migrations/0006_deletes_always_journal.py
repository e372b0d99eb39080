"""Deleted cases always go through the journal, however many one statement deletes.

A bulk delete used to fold straight into the rollup while the rows it undid could still sit
in the journal; whoever then removes the journal rows of those cases along with the cases (the
benchmark's restore removes every row added since its checkpoint) left the rollup short. In
the journal, the deletion's rows go with them. Everything is counted again afterwards, which
repairs a rollup that drifted that way."""

from importlib import import_module

from django.db import migrations

first = import_module("dashboards.migrations.0004_rollup_triggers")


def forward(apps, schema_editor):
    schema_editor.execute(first.fact_function_sql(bulk_ops=("INSERT", "UPDATE")), params=None)
    schema_editor.execute("SELECT dashboards_rebuild()")


def backward(apps, schema_editor):
    schema_editor.execute(first.fact_function_sql(), params=None)


class Migration(migrations.Migration):

    dependencies = [("dashboards", "0005_default_weights")]

    operations = [migrations.RunPython(forward, backward)]

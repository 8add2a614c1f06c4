"""An index for the RUNNING tasks, which the workers' recovery pass reads every beat.

django-tasks-db indexes READY tasks only (a partial index on PostgreSQL; on
SQLite its index is not partial and leads with the status, so it serves here
too). Without this, every beat would scan every finished task on PostgreSQL.
"""

from django.db import migrations

INDEX = "core_task_running_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("django_tasks_database", "DBTaskResult")._meta.db_table
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" (started_at) '
        "WHERE status = 'RUNNING'"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_hmac_chain_and_anchor"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(create, drop)]

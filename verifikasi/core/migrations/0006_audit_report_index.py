from django.db import migrations, models

INDEX = models.Index(fields=["office", "action", "created_at"], name="audit_office_action_at")


def create(apps, schema_editor):
    """On PostgreSQL the index also carries the actor and the object (INCLUDE), so the
    reports' counts and decisions are index-only scans; elsewhere the plain index."""
    model = apps.get_model("core", "AuditEvent")
    index = INDEX
    if schema_editor.connection.features.supports_covering_indexes:
        index = models.Index(fields=INDEX.fields, name=INDEX.name,
                             include=["actor", "object_id", "seq"])
    schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("core", "AuditEvent"), INDEX)


class Migration(migrations.Migration):
    """The office reports (issue 19) count an office's events of some actions in a period."""

    dependencies = [("core", "0005_audit_personal_digest_retention_run")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="auditevent", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]

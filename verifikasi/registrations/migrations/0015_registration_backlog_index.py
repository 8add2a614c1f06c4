from django.db import migrations, models

BACKLOG = ["submitted", "revision_requested", "documents_accepted", "scheduled", "verified",
           "certificate_sent"]
INDEX = models.Index(fields=["office", "submitted_at"], condition=models.Q(status__in=BACKLOG),
                     name="registration_backlog")


def create(apps, schema_editor):
    """On PostgreSQL the index also carries status and assignee (INCLUDE), so the reports'
    backlog counts read only the index; elsewhere the plain partial index."""
    model = apps.get_model("registrations", "Registration")
    index = INDEX
    if schema_editor.connection.features.supports_covering_indexes:
        index = models.Index(fields=INDEX.fields, condition=INDEX.condition, name=INDEX.name,
                             include=["status", "assigned_to"])
    schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    schema_editor.remove_index(apps.get_model("registrations", "Registration"), INDEX)


class Migration(migrations.Migration):
    """The office reports' backlog (issue 19): open registrations, oldest first."""

    dependencies = [("registrations", "0013_merge_check_state_queue_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="registration", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]

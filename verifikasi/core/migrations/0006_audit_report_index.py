from django.db import migrations, models


class Migration(migrations.Migration):
    """The office reports (issue 19) count an office's events of some actions in a period."""

    dependencies = [("core", "0005_audit_personal_digest_retention_run")]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["office", "action", "created_at"],
                               name="audit_office_action_at"),
        ),
    ]

"""The queue's version per office, written by database triggers only (issue 16)."""

from django.db import migrations, models

from verifikasi.registrations import version_triggers as vt

TRIGGERS = (
    lambda vendor: vt.office_triggers(vendor, "registrations_registration",
                                      "registrations_queue_version"),
    lambda vendor: vt.people_triggers(vendor, "accounts_user", "registrations_people_version"),
)


def create(apps, schema_editor):
    vt.migrate(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    vt.migrate(schema_editor, TRIGGERS, drop=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_encrypt_mfa_secrets"),
        ("registrations", "0019_queue_late_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueueVersion",
            fields=[
                ("office_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
            ],
            options={"verbose_name": "versi antrean", "verbose_name_plural": "versi antrean"},
        ),
        migrations.RunPython(create, drop),
    ]

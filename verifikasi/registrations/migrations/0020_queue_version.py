"""The queue's version per office, written by database triggers only (issue 16)."""

from django.db import migrations, models

from verifikasi.registrations.version_triggers import office_triggers, people_triggers

PEOPLE = 0
TRIGGERS = (
    lambda vendor: office_triggers(vendor, "registrations_registration",
                                   "registrations_queue_version"),
    lambda vendor: people_triggers(vendor, "accounts_user", "registrations_people_version",
                                   PEOPLE),
)


def create(apps, schema_editor):
    for triggers in TRIGGERS:
        for sql in triggers(schema_editor.connection.vendor)[0]:
            schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    for triggers in TRIGGERS:
        for sql in triggers(schema_editor.connection.vendor)[1]:
            schema_editor.execute(sql, params=None)


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

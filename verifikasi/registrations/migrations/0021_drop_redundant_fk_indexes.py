"""Foreign-key indexes that a composite index already begins with, dropped: every
registration and document written (and the national-scale seed, which rebuilds them) paid
for them (docs/performance.md).

- ``registrations_document.registration_id``: the unique ``document_unique_version``
  (registration_id, document_type_id, version);
- ``registrations_registration.office_id``: the queue's (office_id, …) indexes;
- ``registrations_registration.vendor_id``: (vendor_id, created_at DESC), the vendor's
  own list.

The database operations are written out: the generated AlterFields would drop and re-add
each foreign key on PostgreSQL (checking every row again), and on SQLite copy both tables,
which drops the queue's version triggers on the registrations (migration 0020) with the
old table.
"""

from django.conf import settings
from django.db import migrations, models

INDEXES = [
    ("Document", models.Index(fields=["registration"],
                              name="registrations_document_registration_id_cefacdab")),
    ("Registration", models.Index(fields=["office"],
                                  name="registrations_registration_office_id_44326eda")),
    ("Registration", models.Index(fields=["vendor"],
                                  name="registrations_registration_vendor_id_9c7a68f3")),
]


def drop(apps, schema_editor):
    for model, index in INDEXES:
        schema_editor.remove_index(apps.get_model("registrations", model), index)


def restore(apps, schema_editor):
    for model, index in INDEXES:
        schema_editor.add_index(apps.get_model("registrations", model), index)


class Migration(migrations.Migration):

    dependencies = [
        ("offices", "0004_office_deadline_settings"),
        ("registrations", "0020_queue_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="document",
                    name="registration",
                    field=models.ForeignKey(
                        db_index=False, on_delete=models.PROTECT,
                        related_name="documents", to="registrations.registration"),
                ),
                migrations.AlterField(
                    model_name="registration",
                    name="office",
                    field=models.ForeignKey(
                        db_index=False, on_delete=models.PROTECT,
                        related_name="registrations", to="offices.office"),
                ),
                migrations.AlterField(
                    model_name="registration",
                    name="vendor",
                    field=models.ForeignKey(
                        db_index=False, on_delete=models.PROTECT,
                        related_name="registrations", to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]

"""Indexes of the audit log that no query needs, dropped: every event written (and the
national-scale seed, which rebuilds them) paid for them (docs/performance.md).

- ``office_id`` alone: ``audit_office_action_at`` (office_id, action, created_at) begins
  with it, and serves the office reports, the IP retention, an office admin's list and
  the check before an office is deleted;
- the ``varchar_pattern_ops`` twins PostgreSQL got for ``hash`` (unique) and ``action``
  (db_index): they serve only ``LIKE 'prefix%'``; nothing searches hashes so, and the one
  prefix search on actions (the scheduling panel's ``appointment.``) reads one
  registration's events through the object index.

Kept: the unique constraint on ``hash``, under its name (now a Meta constraint, so Django
makes no pattern twin; equality lookups use it), and the plain index on ``action``, now
the Meta index ``audit_action``: the operator's admin filters every office's events by
action.

The database operations are written out: the generated AlterFields would rebuild the
hash's unique constraint and drop and re-add the office's foreign key (checking every row
again) on PostgreSQL, and copy the whole table four times on SQLite. On SQLite the hash
keeps its column ``UNIQUE`` (the same rule as the named constraint).
"""

from django.conf import settings
from django.db import migrations, models

OFFICE = models.Index(fields=["office"], name="core_auditevent_office_id_0d596356")
ACTION_BEFORE = models.Index(fields=["action"], name="core_auditevent_action_b3c9b7a8")
ACTION = models.Index(fields=["action"], name="audit_action")
# PostgreSQL only (Django makes them for a CharField that is unique or db_index there).
PATTERN_TWINS = [
    models.Index(fields=["hash"], name="core_auditevent_hash_f08202aa_like",
                 opclasses=["varchar_pattern_ops"]),
    models.Index(fields=["action"], name="core_auditevent_action_b3c9b7a8_like",
                 opclasses=["varchar_pattern_ops"]),
]


def drop(apps, schema_editor):
    model = apps.get_model("core", "AuditEvent")
    schema_editor.remove_index(model, OFFICE)
    # PostgreSQL renames it in place; SQLite cannot rename an index and builds it again.
    schema_editor.rename_index(model, ACTION_BEFORE, ACTION)
    if schema_editor.connection.vendor == "postgresql":
        for index in PATTERN_TWINS:
            schema_editor.remove_index(model, index)


def restore(apps, schema_editor):
    model = apps.get_model("core", "AuditEvent")
    if schema_editor.connection.vendor == "postgresql":
        for index in PATTERN_TWINS:
            schema_editor.add_index(model, index)
    schema_editor.rename_index(model, ACTION, ACTION_BEFORE)
    schema_editor.add_index(model, OFFICE)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0006_audit_report_index"),
        ("offices", "0004_office_deadline_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="action",
                    field=models.CharField(max_length=64),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="hash",
                    field=models.CharField(max_length=64),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="office",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True,
                        on_delete=models.PROTECT, related_name="+",
                        to="offices.office"),
                ),
                migrations.AddIndex(model_name="auditevent", index=ACTION),
                migrations.AddConstraint(
                    model_name="auditevent",
                    constraint=models.UniqueConstraint(fields=("hash",),
                                                       name="core_auditevent_hash_key"),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]

"""An office's closures and availability decide its working days, which the queue's
clocks count: a change gives the office's queue version a new value (issue 16)."""

from django.db import migrations

from verifikasi.registrations.version_triggers import office_triggers

TABLES = (("scheduling_closure", "scheduling_closure_queue_version"),
          ("scheduling_availability", "scheduling_availability_queue_version"))


def create(apps, schema_editor):
    for table, name in TABLES:
        for sql in office_triggers(schema_editor.connection.vendor, table, name)[0]:
            schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    for table, name in TABLES:
        for sql in office_triggers(schema_editor.connection.vendor, table, name)[1]:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0020_queue_version"),
        ("scheduling", "0003_single_line_and_max_length"),
    ]

    operations = [migrations.RunPython(create, drop)]

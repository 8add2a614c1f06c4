"""An office's closures and availability decide its working days, which the queue's
clocks count: a change gives the office's queue version a new value (issue 16)."""

from django.db import migrations

from verifikasi.registrations import version_triggers as vt

TRIGGERS = tuple(
    (lambda vendor, table=table, name=name: vt.office_triggers(vendor, table, name))
    for table, name in (("scheduling_closure", "scheduling_closure_queue_version"),
                        ("scheduling_availability", "scheduling_availability_queue_version")))


def create(apps, schema_editor):
    vt.migrate(schema_editor, TRIGGERS)


def drop(apps, schema_editor):
    vt.migrate(schema_editor, TRIGGERS, drop=True)


class Migration(migrations.Migration):

    dependencies = [
        ("registrations", "0020_queue_version"),
        ("scheduling", "0003_single_line_and_max_length"),
    ]

    operations = [migrations.RunPython(create, drop)]

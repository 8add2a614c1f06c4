"""The thumbnail task, renamed after its service like the others (see 0001)."""

from django.db import migrations

RENAMED = {
    "verifikasi.registrations.tasks.document_render_thumbnail":
        "verifikasi.registrations.tasks.document_thumbnail_render",
}


def rename(apps, schema_editor, mapping=RENAMED):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in mapping.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("front", "0001_rename_queued_tasks")]

    operations = [migrations.RunPython(rename, rename_back)]

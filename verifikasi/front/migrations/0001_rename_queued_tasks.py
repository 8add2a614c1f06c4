"""Tasks were renamed after the services they run; work already queued under an old
name (an upgraded installation's reminders, retries, polls) keeps its place in the queue."""

from django.db import migrations

RENAMED = {
    "verifikasi.notifications.tasks.deliver_email":
        "verifikasi.notifications.tasks.email_deliver",
    "verifikasi.scheduling.tasks.send_appointment_reminder":
        "verifikasi.scheduling.tasks.appointment_send_reminder",
    "verifikasi.certificates.tasks.receipt_reminder":
        "verifikasi.certificates.tasks.receipt_reminder_send",
    "verifikasi.meetings.tasks.create_meeting": "verifikasi.meetings.tasks.meeting_create_run",
    "verifikasi.meetings.tasks.update_meeting": "verifikasi.meetings.tasks.meeting_update_run",
    "verifikasi.meetings.tasks.delete_meeting": "verifikasi.meetings.tasks.meeting_delete_run",
    "verifikasi.meetings.tasks.fetch_recording": "verifikasi.meetings.tasks.recording_fetch_run",
    "verifikasi.meetings.tasks.poll_recordings": "verifikasi.meetings.tasks.recordings_poll",
}


def rename(apps, schema_editor, mapping=RENAMED):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in mapping.items():
        DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]

"""Work queued under a task's old name still runs after the upgrade (migration)."""

from importlib import import_module

from django.apps import apps
from django_tasks_db.models import DBTaskResult

from tests.conftest import run_worker
from verifikasi.notifications.models import EmailStatus
from verifikasi.notifications.services import email_queue

migration = import_module("verifikasi.front.migrations.0001_rename_queued_tasks")


def test_a_task_queued_under_its_old_name_is_renamed_and_runs(db):
    email = email_queue(template="test_message", to="a@example.com", context={})
    DBTaskResult.objects.update(task_path="verifikasi.notifications.tasks.deliver_email")

    migration.rename(apps, None)

    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "verifikasi.notifications.tasks.email_deliver"]
    run_worker()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_every_new_name_is_a_task():
    from django.tasks import Task
    from django.utils.module_loading import import_string

    for new in migration.RENAMED.values():
        assert isinstance(import_string(new), Task), new

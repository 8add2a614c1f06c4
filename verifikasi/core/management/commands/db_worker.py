from django.conf import settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from verifikasi.core.heartbeat import beat, run_upkeep, start_heartbeat_thread


class Command(DbWorkerCommand):
    """django-tasks-db's worker, plus a heartbeat for /healthz and periodic upkeep."""

    def handle(self, *args, **options):
        if options["batch"]:
            # One pass, in this thread: what tests and cron-style runs need.
            beat(options["worker_id"], timezone.now())
            run_upkeep()
            return super().handle(*args, **options)
        stop = start_heartbeat_thread(options["worker_id"], settings.WORKER_HEARTBEAT_SECONDS)
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()

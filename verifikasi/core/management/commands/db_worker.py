import logging

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from verifikasi.core.heartbeat import (
    beat_and_recover,
    run_upkeep,
    start_heartbeat_threads,
    worker_gone,
)
from verifikasi.core.worker import ResilientWorker, set_current_worker_id

logger = logging.getLogger(__name__)


class Command(DbWorkerCommand):
    """django-tasks-db's worker, plus a heartbeat (the tasks' lease, /healthz), the
    recovery of tasks whose worker died, periodic upkeep, and a loop that waits out
    a database outage instead of exiting (verifikasi.core.worker)."""

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        if reload:
            # Under the reloader a code change would kill a task mid-run; workers
            # are restarted by their supervisor instead (systemd, scripts/demo).
            logger.warning("db_worker ignores --reload; restart it to load new code.")
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names, interval=interval, batch=batch,
            backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
            worker_id=worker_id, excluded_queue_names=excluded,
        )
        set_current_worker_id(worker_id)
        if batch:
            # One pass, in this thread: what tests and cron-style runs need.
            beat_and_recover(worker_id, timezone.now())
            run_upkeep()
            worker.configure_signals()
            worker.run()
            return
        stop = start_heartbeat_threads(worker_id,
                                       beat_seconds=settings.WORKER_HEARTBEAT_SECONDS,
                                       upkeep_seconds=settings.WORKER_UPKEEP_SECONDS)
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            worker_gone(worker_id)

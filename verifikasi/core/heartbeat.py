"""Worker liveness and periodic upkeep, run beside the task loop.

django-tasks-db's worker loop has no hook for "I am alive", so ``db_worker``
(our override) runs this in a daemon thread: it stamps a heartbeat row that
/healthz reads, and every beat runs the cheap upkeep jobs that must happen even
when nobody enqueues anything (e.g. re-queueing emails stuck by a crash).
Upkeep jobs are idempotent and claim rows with conditional updates, so several
workers may run them at once.
"""

import logging
import os
import socket
import threading

from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

UPKEEP_JOBS = [
    "verifikasi.notifications.services.email_requeue_stale",
    "verifikasi.core.retention_policy.retention_daily",
    "verifikasi.core.maintenance.database_analyze",
    "verifikasi.notifications.audit_anchor.audit_anchor_daily",
]


def beat(worker_id: str, started_at) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now,
        },
    )


def run_upkeep() -> None:
    for path in UPKEEP_JOBS:
        try:
            import_string(path)()
        except Exception:
            logger.exception("upkeep job %s failed", path)


def start_heartbeat_thread(worker_id: str, interval: float) -> threading.Event:
    stop = threading.Event()
    started_at = timezone.now()

    def loop():
        while not stop.is_set():
            try:
                close_old_connections()
                beat(worker_id, started_at)
                run_upkeep()
            except Exception:
                logger.exception("worker heartbeat failed")
            finally:
                close_old_connections()
            stop.wait(interval)

    threading.Thread(target=loop, name="heartbeat", daemon=True).start()
    return stop

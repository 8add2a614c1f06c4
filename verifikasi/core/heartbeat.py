"""Worker liveness and periodic upkeep, run beside the task loop.

django-tasks-db's worker loop has no hook for "I am alive", so ``db_worker``
(our override) runs two daemon threads beside it:

- the heartbeat, every ``WORKER_HEARTBEAT_SECONDS``: stamps this worker's row
  (the lease on the task it runs, and what /healthz reads), then gives back to
  the queue the RUNNING tasks of workers whose lease expired
  (``recovery.tasks_requeue_stale``). Both are one or two small queries, so a
  beat is never late because of slow upkeep;
- the upkeep, every ``WORKER_UPKEEP_SECONDS``: the jobs that must happen even
  when nobody enqueues anything (e.g. re-queueing emails stuck by a crash).

Upkeep jobs are idempotent and claim rows with conditional updates, so several
workers may run them at once. A worker that stops cleanly deletes its row, so
/healthz sees it gone at once; one that is killed stops beating and counts as
down after ``WORKER_LEASE_SECONDS``.
"""

import logging
import os
import socket
import threading

from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import WorkerHeartbeat
from .recovery import tasks_requeue_stale

logger = logging.getLogger(__name__)

UPKEEP_JOBS = [
    "verifikasi.notifications.services.email_requeue_stale",
    "verifikasi.whatsapp.services.whatsapp_flag_uncertain",
    "verifikasi.core.retention_policy.retention_daily",
    "verifikasi.privacy.requests.data_requests_remind",
    "verifikasi.core.maintenance.database_analyze",
    "verifikasi.notifications.audit_anchor.audit_anchor_daily",
    "verifikasi.registrations.deadlines.revision_deadlines_tick",
    "verifikasi.registrations.sla_summary.sla_summaries_tick",
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


def beat_and_recover(worker_id: str, started_at) -> None:
    beat(worker_id, started_at)
    tasks_requeue_stale()


def run_upkeep() -> None:
    for path in UPKEEP_JOBS:
        try:
            import_string(path)()
        except Exception:
            logger.exception("upkeep job %s failed", path)


def worker_gone(worker_id: str) -> None:
    """A worker that stops cleanly says so: /healthz stops counting it at once."""
    try:
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
    except Exception:
        logger.exception("could not remove the heartbeat of worker %s", worker_id)


def _every(name: str, interval: float, stop: threading.Event, job) -> None:
    def loop():
        while not stop.is_set():
            try:
                close_old_connections()
                job()
            except (OperationalError, InterfaceError) as e:
                # A database outage: the main loop logs it and backs off; one line here.
                logger.warning("worker %s skipped: database unavailable (%s)", name,
                               type(e).__name__)
            except Exception:
                logger.exception("worker %s failed", name)
            finally:
                close_old_connections()
            stop.wait(interval)

    threading.Thread(target=loop, name=name, daemon=True).start()


def start_heartbeat_threads(worker_id: str, *, beat_seconds: float,
                            upkeep_seconds: float) -> threading.Event:
    stop = threading.Event()
    started_at = timezone.now()
    _every("heartbeat", beat_seconds, stop, lambda: beat_and_recover(worker_id, started_at))
    _every("upkeep", upkeep_seconds, stop, run_upkeep)
    return stop

"""Tasks whose worker died: a lease on each RUNNING task, given back when it expires.

django-tasks-db marks a claimed task RUNNING and never looks at it again, so a
worker killed in the middle of a task (SIGKILL, a lost machine, the OOM
killer) would leave it RUNNING for ever. Our workers stamp a heartbeat row
(``WorkerHeartbeat``) every ``WORKER_HEARTBEAT_SECONDS``; a task's lease is
the heartbeat of the worker that claimed it last (``worker_ids[-1]``). When
that heartbeat is older than ``WORKER_LEASE_SECONDS`` (or was never written
and the task started longer ago than that), every live worker's recovery pass
may give the task back to the queue, with one conditional UPDATE on (id,
RUNNING, started_at): whoever matches first wins, the others change nothing.

A task is run at most ``TASK_MAX_RUNS`` times (each claim appends the worker's
id to ``worker_ids``); after that it is marked FAILED with a clear reason and
logged, so a task that kills its worker cannot loop for ever. Every task is
written to be idempotent in effect (an outbox row or a conditional UPDATE
decides whether the effect already happened), so running one again is safe.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.db.models.functions import Greatest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_LOST = "verifikasi.core.recovery.WorkerLost"
ERR_GAVE_UP = (
    "The worker running this task stopped {runs} times (last: worker {worker}, no heartbeat "
    "since {since}); it is not run again. Fix the cause, then enqueue it anew."
)


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker kept dying while running it."""


def lease() -> timedelta:
    return timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def _last_worker(task: DBTaskResult) -> str:
    ids = task.worker_ids or []
    return ids[-1] if ids else ""


def task_requeue(task: DBTaskResult, *, reason: str,
                 status: str = TaskResultStatus.RUNNING) -> str:
    """Give one task back to the queue, or fail it after its last allowed run.

    Conditional on the run we looked at (``status`` and the same
    ``started_at``): if another pass requeued it, or a worker finished or
    claimed it again meanwhile, nothing changes and "skipped" is returned.
    ``status`` is RUNNING for a task whose worker died, FAILED for one that
    failed only because the database went away (``core.worker``).
    """
    now = timezone.now()
    same_run = DBTaskResult.objects.filter(pk=task.pk, status=status,
                                           started_at=task.started_at)
    runs = len(task.worker_ids or [])
    if runs >= settings.TASK_MAX_RUNS:
        if status != TaskResultStatus.RUNNING:
            return "failed"  # it already is, with its own error
        message = ERR_GAVE_UP.format(runs=runs, worker=_last_worker(task), since=reason)
        updated = same_run.update(status=TaskResultStatus.FAILED, finished_at=now,
                                  exception_class_path=WORKER_LOST, traceback=message,
                                  return_value=None)
        if updated:
            logger.error("task %s (%s) failed for good: %s", task.pk, task.task_path, message)
            return "failed"
        return "skipped"
    updated = same_run.update(status=TaskResultStatus.READY, finished_at=None,
                              exception_class_path="", traceback="", return_value=None)
    if updated:
        logger.warning("task %s (%s) given back to the queue after run %s: %s",
                       task.pk, task.task_path, runs, reason)
        return "requeued"
    return "skipped"


def tasks_requeue_stale(*, now=None) -> dict[str, int]:
    """Upkeep: requeue (or fail) every RUNNING task whose worker's lease has expired."""
    now = now or timezone.now()
    cutoff = now - lease()
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        .only("pk", "task_path", "worker_ids", "started_at")
    )
    counts = {"requeued": 0, "failed": 0, "skipped": 0}
    if not running:
        return counts
    seen = dict(
        WorkerHeartbeat.objects.filter(worker_id__in={_last_worker(t) for t in running})
        .values_list("worker_id", "last_seen")
    )
    for task in running:
        last_seen = seen.get(_last_worker(task))
        if last_seen is not None:
            if last_seen >= cutoff:
                continue  # its worker is alive: the task is running
            reason = f"{last_seen.isoformat()}"
        elif task.started_at is not None and task.started_at >= cutoff:
            continue  # a worker that started just now and has not beaten yet
        else:
            reason = "never"
        counts[task_requeue(task, reason=reason)] += 1
    return counts


def tasks_stale_count(*, now=None) -> int:
    """How many RUNNING tasks have no live worker (for /healthz; normally 0)."""
    now = now or timezone.now()
    cutoff = now - lease()
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
                   .values_list("worker_ids", "started_at"))
    if not running:
        return 0
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True)
    )
    return sum(
        1 for ids, started_at in running
        if (ids[-1] if ids else "") not in alive and (started_at is None or started_at < cutoff)
    )


def oldest_ready_age(*, now=None) -> float | None:
    """Seconds the longest-waiting due task has waited, or None when none is due."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    # run_after is 9999-01-01 for "as soon as possible": waiting since enqueued.
    since = [
        ready.filter(run_after=get_date_max()).aggregate(t=Min("enqueued_at"))["t"],
        ready.filter(run_after__lte=now).aggregate(
            t=Min(Greatest("enqueued_at", "run_after")))["t"],
    ]
    since = [t for t in since if t is not None]
    if not since:
        return None
    return max((now - min(since)).total_seconds(), 0.0)

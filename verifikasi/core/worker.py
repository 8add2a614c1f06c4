"""The task worker loop, made to outlive a database outage.

django-tasks-db's loop re-raises any database error other than SQLite's
"database is locked", so a PostgreSQL restart of a few seconds used to end
``db_worker``. Here the loop is wrapped: a database error is logged, the
connection closed, and the loop starts again after a backoff (1, 2, 4, ...
seconds, at most ``WORKER_DB_RETRY_MAX_SECONDS``). A task whose result could
not be recorded because the database went away is given back to the queue
(conditionally, see ``recovery.task_requeue``) as soon as the database answers
again; tasks are idempotent in effect, so running it again is safe.
"""

import contextlib
import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .recovery import task_requeue
from .storage import files_unit

logger = logging.getLogger(__name__)

# What a database outage raises (a dropped connection is an InterfaceError on
# psycopg when the socket is gone before the query is sent).
OUTAGE_ERRORS = (OperationalError, InterfaceError)
OUTAGE_PATHS = {f"{e.__module__}.{e.__qualname__}" for e in OUTAGE_ERRORS}
FIRST_DELAY = 1.0
# A loop that ran this long without an error starts its backoff afresh.
CALM_SECONDS = 60.0

_current_worker_id = ""


def current_worker_id() -> str:
    """The id of the worker running this process's tasks ("" outside a worker).

    Outbox rows record it when they claim an external effect, so an upkeep job
    can tell a delivery whose worker died from one still in progress.
    """
    return _current_worker_id


def set_current_worker_id(worker_id: str) -> None:
    global _current_worker_id
    _current_worker_id = worker_id


def close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        # An unusable connection may fail to close; it is reopened on the next query.
        with contextlib.suppress(DatabaseError):
            conn.close()


class ResilientWorker(Worker):
    """django-tasks-db's Worker that waits out a database outage instead of exiting."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.orphan = None  # a task whose outcome could not be recorded

    def run_task(self, db_task_result) -> None:
        try:
            # Files a failed task stored for a row that never committed are removed.
            with files_unit() as unit:
                super().run_task(db_task_result)
                unit.failed = db_task_result.status != TaskResultStatus.SUCCESSFUL
            if (db_task_result.status == TaskResultStatus.FAILED
                    and db_task_result.exception_class_path in OUTAGE_PATHS):
                # It failed because the database blinked, not because of what it
                # does: run it again (within TASK_MAX_RUNS) instead of dropping it.
                task_requeue(db_task_result, reason="the database failed during the task",
                             status=TaskResultStatus.FAILED)
        except OUTAGE_ERRORS:
            # The task ran (or failed), but recording that failed: the row is
            # still RUNNING and this worker is alive, so no other worker's
            # recovery pass would take it. Give it back once we can.
            self.orphan = db_task_result
            raise

    def _give_back_orphan(self) -> None:
        orphan = self.orphan
        if orphan is None:
            return
        reason = "the database failed while recording its result"
        if task_requeue(orphan, reason=reason) == "skipped" and DBTaskResult.objects.filter(
                pk=orphan.pk, status=TaskResultStatus.FAILED,
                exception_class_path__in=OUTAGE_PATHS).exists():
            # Its failure was recorded, but not our giving it back.
            task_requeue(orphan, reason=reason, status=TaskResultStatus.FAILED)
        self.orphan = None

    def run(self) -> None:
        if self.batch:
            return super().run()  # one pass for tests and cron: an error is the answer
        delay = FIRST_DELAY
        last_error_at = 0.0
        while True:
            try:
                self._give_back_orphan()
                return super().run()
            except OUTAGE_ERRORS as e:
                now = time.monotonic()
                if now - last_error_at > CALM_SECONDS:
                    delay = FIRST_DELAY
                last_error_at = now
                logger.error("worker %s: database unavailable (%s: %s); retrying in %.0f s",
                             self.worker_id, type(e).__name__, str(e).strip()[:300], delay)
                close_connections()
                time.sleep(delay)
                delay = min(delay * 2, settings.WORKER_DB_RETRY_MAX_SECONDS)

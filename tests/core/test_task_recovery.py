"""A task whose worker died while RUNNING runs again, once in effect (verifikasi.core.recovery).

The lease on a RUNNING task is the heartbeat of the worker that claimed it
last; these tests leave rows the way a SIGKILLed worker leaves them.
"""

import logging
import threading
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import run_worker
from tests.notifications import queue_test_email
from verifikasi.core.models import WorkerHeartbeat
from verifikasi.core.recovery import WORKER_LOST, task_requeue, tasks_requeue_stale
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.notifications.services import email_requeue_stale

LONG_AGO = timedelta(minutes=5)


def _worker(worker_id: str, *, last_seen):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"started_at": last_seen, "last_seen": last_seen})


def _left_running(task: DBTaskResult, *, by: str, started_at, runs: int = 1) -> DBTaskResult:
    """The row as a worker leaves it when it dies in the middle of the task."""
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, started_at=started_at,
        worker_ids=[f"earlier-{i}" for i in range(runs - 1)] + [by],
        finished_at=None, return_value=None)
    return DBTaskResult.objects.get(pk=task.pk)


def _email_task(email) -> DBTaskResult:
    return DBTaskResult.objects.get(task_path__endswith="email_deliver",
                                    args_kwargs__args=[email.pk])


def test_it_runs_again_a_task_whose_worker_died_before_its_effect(smtp_server, office):
    email = queue_test_email(office)
    dead_at = timezone.now() - LONG_AGO
    _worker("dead-worker", last_seen=dead_at)
    task = _left_running(_email_task(email), by="dead-worker", started_at=dead_at)

    assert tasks_requeue_stale() == {"requeued": 1, "failed": 0, "skipped": 0}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    run_worker()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == "sent"
    assert len(task.worker_ids) == 2  # the dead worker's run and this one
    assert len(smtp_server.for_email(email)) == 1


def test_a_task_run_again_after_its_effect_does_not_repeat_it(smtp_server, office):
    email = queue_test_email(office)
    run_worker()
    assert len(smtp_server.for_email(email)) == 1
    # The worker sent the email, then died before recording the task's success.
    dead_at = timezone.now() - LONG_AGO
    _worker("dead-worker", last_seen=dead_at)
    task = _left_running(_email_task(email), by="dead-worker", started_at=dead_at)

    run_worker()  # batch mode: heartbeat and recovery first, then the due tasks

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.return_value == "skipped"
    assert len(smtp_server.for_email(email)) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1


def test_it_leaves_alone_the_task_of_a_live_worker(office):
    email = queue_test_email(office)
    _worker("live-worker", last_seen=timezone.now())
    # Running for a long time is not dying: the heartbeat is what counts.
    task = _left_running(_email_task(email), by="live-worker",
                         started_at=timezone.now() - LONG_AGO)

    assert tasks_requeue_stale() == {"requeued": 0, "failed": 0, "skipped": 0}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_it_waits_for_the_first_beat_of_a_worker_that_just_started(office, settings):
    email = queue_test_email(office)
    task = _left_running(_email_task(email), by="new-worker", started_at=timezone.now())

    assert tasks_requeue_stale()["requeued"] == 0
    later = timezone.now() + timedelta(seconds=settings.WORKER_LEASE_SECONDS + 1)
    assert tasks_requeue_stale(now=later)["requeued"] == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


def test_it_fails_a_task_whose_worker_died_on_every_allowed_run(office, settings, caplog):
    email = queue_test_email(office)
    dead_at = timezone.now() - LONG_AGO
    _worker("dead-worker", last_seen=dead_at)
    task = _left_running(_email_task(email), by="dead-worker", started_at=dead_at,
                         runs=settings.TASK_MAX_RUNS)

    with caplog.at_level(logging.ERROR, logger="verifikasi.core.recovery"):
        assert tasks_requeue_stale()["failed"] == 1

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == WORKER_LOST
    assert f"stopped {settings.TASK_MAX_RUNS} times" in task.traceback
    assert task.finished_at is not None
    assert "failed for good" in caplog.text and str(task.pk) in caplog.text
    run_worker()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED  # not run again


def test_a_pass_that_read_an_old_run_changes_nothing(office):
    """Pass A lists the stale task; pass B requeues it; a live worker claims it
    again; then A acts on what it read: the conditional UPDATE matches nothing."""
    email = queue_test_email(office)
    dead_at = timezone.now() - LONG_AGO
    _worker("dead-worker", last_seen=dead_at)
    seen_by_a = _left_running(_email_task(email), by="dead-worker", started_at=dead_at)

    assert tasks_requeue_stale()["requeued"] == 1  # pass B
    _worker("live-worker", last_seen=timezone.now())
    _left_running(seen_by_a, by="live-worker", started_at=timezone.now(), runs=2)

    assert task_requeue(seen_by_a, reason="pass A") == "skipped"
    seen_by_a.refresh_from_db()
    assert seen_by_a.status == TaskResultStatus.RUNNING
    assert seen_by_a.worker_ids[-1] == "live-worker"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_recovery_passes_at_once_requeue_each_task_once(office):
    dead_at = timezone.now() - LONG_AGO
    _worker("dead-worker", last_seen=dead_at)
    for i in range(30):
        queue_test_email(office, to=f"pu{i}@contoh.test")
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.READY):
        _left_running(task, by="dead-worker", started_at=dead_at)
    start = threading.Barrier(2)
    results = []

    def recovery_pass():
        try:
            start.wait()
            results.append(tasks_requeue_stale())
        finally:
            connection.close()

    threads = [threading.Thread(target=recovery_pass) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(results) == 2
    assert sum(r["requeued"] for r in results) == 30
    assert sum(r["failed"] for r in results) == 0
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 30


def test_an_email_its_dead_worker_was_sending_goes_back_once_the_lease_expires(
        smtp_server, office, settings):
    email = queue_test_email(office)
    dead_at = timezone.now() - timedelta(seconds=settings.WORKER_LEASE_SECONDS + 5)
    _worker("dead-worker", last_seen=dead_at)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=1, last_attempt_at=dead_at, claimed_by="dead-worker")
    _left_running(_email_task(email), by="dead-worker", started_at=dead_at)

    run_worker()  # recovery and upkeep first (long before the 10-minute fallback), then tasks

    assert len(smtp_server.for_email(email)) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 2
    assert email.claimed_by  # the worker that delivered it


def test_an_email_a_live_worker_is_sending_is_left_alone(office, settings):
    email = queue_test_email(office)
    _worker("live-worker", last_seen=timezone.now())
    long_ago = timezone.now() - timedelta(seconds=settings.WORKER_LEASE_SECONDS + 5)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENDING, attempts=1, last_attempt_at=long_ago,
        claimed_by="live-worker")

    assert email_requeue_stale() == 0
    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING


# Autocommit, as in the worker: no test transaction around the failed statement.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_that_failed_only_because_the_database_blinked_runs_again(smtp_server, office):
    email = queue_test_email(office)
    refused = []

    def blink(execute, sql, params, many, context):
        # The first claim of the email meets a dropped connection.
        if not refused and sql.startswith('UPDATE "notifications_outboundemail"'):
            refused.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(blink):
        run_worker()

    assert refused
    task = _email_task(email)
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2  # the failed run, then the one that sent it
    assert len(smtp_server.for_email(email)) == 1

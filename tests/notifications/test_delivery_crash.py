"""A worker killed between the mail server's 250 and the outbox row's update.

The message is recorded as sent as soon as the server has accepted it (250 to
DATA), before QUIT; a worker killed after that leaves nothing to send again.
Every message carries a Message-ID made from its outbox row, so should a
delivery ever repeat, it is recognisably the same message.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from tests.notifications import queue_test_email, run_worker
from tests.smtp import SMTPServer
from verifikasi.notifications.models import EmailStatus, OutboundEmail
from verifikasi.notifications.services import EMAIL_TASK, email_resend

ROOT = Path(__file__).resolve().parents[2]


def test_every_message_has_a_message_id_from_its_outbox_row(smtp_server, office):
    email = queue_test_email(office)
    run_worker()
    email_resend(email=email)
    run_worker()

    first, again = smtp_server.for_email(email)
    assert first["Message-ID"] == again["Message-ID"] == f"<{email.code}@testserver>"


def test_the_row_is_sent_before_the_connection_is_closed(smtp_server, office):
    email = queue_test_email(office)
    seen_at_quit = []
    smtp_server.on_quit = lambda: seen_at_quit.append(len(smtp_server.messages))
    run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert seen_at_quit == [1]  # QUIT came after the message was accepted


def test_a_mail_server_that_never_answers_is_a_failed_attempt_after_the_timeout(
        settings, office):
    # Accepts the connection, then says nothing (not even its greeting): a hung server.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        settings.MAILERS = {"default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": silent.getsockname()[1], "timeout": 1},
        }}
        email = queue_test_email(office)
        started = time.monotonic()
        run_worker()
        took = time.monotonic() - started

    email.refresh_from_db()
    assert took < 10
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)  # retried later
    assert "timed out" in email.last_error


def start_worker(tmp_path: Path, name: str, smtp: SMTPServer) -> tuple[subprocess.Popen, Path]:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "DATA_DIR": str(tmp_path / "data"),
        "EMAIL_MODE": "smtp",
        "SMTP_HOST": smtp.host,
        "SMTP_PORT": str(smtp.port),
        "SITE_URL": "http://testserver",
        "DEBUG": "0",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.2", "--worker-id", name, "-v", "1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return process, log


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(what: str, condition, *, log: Path, timeout: float = 40.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}:\n"
                         f"{log.read_text(errors='replace')[-12000:]}")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_after_the_250_does_not_send_the_email_again(tmp_path, office):
    smtp = SMTPServer().start()
    first, first_log = start_worker(tmp_path, "worker-killed", smtp)
    second = None
    status_at_quit = []
    killed = threading.Event()

    def crash_before_quit():
        # The server has answered 250 to DATA; the worker has sent QUIT and
        # waits for the answer. What the outbox row says now is what a crash
        # at this point leaves behind.
        status_at_quit.append(OutboundEmail.objects.get(pk=email.pk).status)
        connections.close_all()  # this thread's connection
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed.set()

    smtp.on_quit = crash_before_quit
    try:
        email = queue_test_email(office)
        assert killed.wait(timeout=60), first_log.read_text(errors="replace")
        smtp.on_quit = None
        assert status_at_quit == [EmailStatus.SENT]
        task = DBTaskResult.objects.get(task_path=EMAIL_TASK,
                                        args_kwargs__args=[email.pk])
        assert task.status == "RUNNING"  # the worker died before recording the task

        # Another worker takes the dead worker's task back once its lease expired
        # and runs it again: the row says SENT, so nothing is sent.
        second, second_log = start_worker(tmp_path, "worker-after", smtp)

        def task_done():
            task.refresh_from_db()
            return task.status == "SUCCESSFUL"

        wait_for("the dead worker's task to run again", task_done, log=second_log)
        assert task.return_value == "skipped"
        email.refresh_from_db()
        assert (email.status, email.attempts) == (EmailStatus.SENT, 1)
        received = smtp.for_email(email)
        assert len(received) == 1
        assert received[0]["Message-ID"] == f"<{email.code}@testserver>"
    finally:
        stop(first)
        if second is not None:
            stop(second)
        smtp.stop()

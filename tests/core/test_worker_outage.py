"""The worker outlives a PostgreSQL outage (verifikasi.core.worker).

A real ``manage.py db_worker`` process talks to the test database through a
TCP proxy; the test cuts the proxy for five seconds (every connection dropped,
new ones refused), queues an email meanwhile, restores it, and expects the
same worker process to deliver the email and to have logged the outage.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.fakes.tcp_proxy import TcpProxy
from tests.notifications import queue_test_email
from verifikasi.core.models import WorkerHeartbeat
from verifikasi.notifications.models import EmailStatus

ROOT = Path(__file__).resolve().parents[2]


def wait_for(what: str, condition, *, process, log: Path, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the worker exited (code {process.returncode}) before "
                                 f"{what}:\n{log.read_text(errors='replace')[-12000:]}")
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}:\n"
                         f"{log.read_text(errors='replace')[-12000:]}")


@pytest.fixture
def proxied_worker(tmp_path):
    db = connection.settings_dict
    proxy = TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)).start()
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{proxy.port}/{db['NAME']}",
        "DATA_DIR": str(tmp_path / "data"),
        "EMAIL_MODE": "capture",
        "DEBUG": "0",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_DB_RETRY_MAX_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.2", "--worker-id", "proxied-worker", "-v", "1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proxy, process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        proxy.cut()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_waits_out_a_database_outage_and_carries_on(proxied_worker, office):
    proxy, process, log = proxied_worker
    wait_for("the worker's first heartbeat",
             lambda: WorkerHeartbeat.objects.filter(worker_id="proxied-worker").exists(),
             process=process, log=log)

    proxy.cut()
    email = queue_test_email(office)  # this test's own connection does not go through it
    wait_for("the worker to notice the outage",
             lambda: "database unavailable" in log.read_text(errors="replace"),
             process=process, log=log)
    time.sleep(5)  # the outage the issue measured; the worker must still be alive after it
    assert process.poll() is None, log.read_text(errors="replace")
    proxy.restore()

    def delivered():
        email.refresh_from_db()
        return email.status == EmailStatus.SENT

    wait_for("the queued email to be delivered after the outage", delivered,
             process=process, log=log)
    assert email.attempts == 1

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0, log.read_text(errors="replace")
    # A worker that stops cleanly removes its heartbeat: /healthz sees it gone at once.
    assert not WorkerHeartbeat.objects.filter(worker_id="proxied-worker").exists()
